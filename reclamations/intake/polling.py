"""Which mailboxes the worker reads, and reading them, several at once (decision 0032).

Each organisation's own mailbox (intake.Mailbox) is read when active. The IMAP_* settings stay
the mailbox of one organisation, IMAP_ORGANISATION (else the first), as long as that
organisation has no mailbox of its own: a one-organisation installation works as before, and a
row made later takes over. A mailbox that cannot be read is recorded on its organisation and
the others are read all the same. A worker reads IMAP_READERS mailboxes at once, each in its
own thread, and claims each for its reading (Mailbox.reading_until), so that two workers share
the mailboxes rather than both reading every one.
"""

import imaplib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from reclamations.core.models import Organisation
from reclamations.core.oauth2 import OAuth2Config
from reclamations.core.sealed import SealedSecretError, unseal
from reclamations.core.worded import Part, said
from reclamations.intake.imap import MailboxError, MailboxSettings
from reclamations.intake.mailbox import (
    NO_ORGANISATION,
    failure_parts,
    fetch_mail,
    mailbox_organisation,
    record_failure,
)
from reclamations.intake.models import Mailbox

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "IMAP non configuré (IMAP_HOST vide) : aucune boîte à relever."


def oauth2_config(mailbox: Mailbox, *, client_secret: str) -> OAuth2Config:
    """The OAuth 2.0 application `mailbox` names (its own, not the OAUTH2_* settings')."""
    return OAuth2Config(
        provider=mailbox.oauth_provider,
        client_id=mailbox.oauth_client_id,
        client_secret=client_secret,
        tenant=mailbox.oauth_tenant,
        grant=mailbox.oauth_grant,
        scope=mailbox.oauth_scope,
        token_url=mailbox.oauth_token_url,
        authorize_url=mailbox.oauth_authorize_url,
    )


def mailbox_settings(mailbox: Mailbox) -> MailboxSettings:
    """What connects to `mailbox`, its secrets opened. Raises MailboxError (French) when a
    secret cannot be opened with the installation's key."""
    try:
        password = unseal(mailbox.password_sealed)
        client_secret = unseal(mailbox.oauth_client_secret_sealed)
        refresh_token = unseal(mailbox.oauth_refresh_token_sealed)
    except SealedSecretError as error:
        raise MailboxError(str(error)) from error
    oauth2 = (
        oauth2_config(mailbox, client_secret=client_secret) if mailbox.auth == "oauth2" else None
    )
    return MailboxSettings(
        host=mailbox.host,
        port=mailbox.port,
        security=mailbox.security,
        user=mailbox.user,
        password=password,
        folder=mailbox.folder,
        processed=mailbox.processed,
        batch=settings.IMAP_BATCH,
        timeout=settings.IMAP_TIMEOUT,
        since=mailbox.since,
        auth=mailbox.auth,
        oauth2=oauth2,
        refresh_token=refresh_token,
        stored=True,
        organisation_id=mailbox.organisation_id,
    )


# How long a reading may hold its mailbox: longer than any reading (IMAP_BATCH messages),
# short enough that a worker that died does not keep it from the others for long. A reading
# that outlasts it is harmless: a message read twice is recognised as already received.
READING_LEASE = timedelta(minutes=10)
BEING_READ = "relève déjà en cours par un autre worker."


@dataclass(frozen=True)
class Reading:
    """One mailbox to read: its organisation, and its row (None: the IMAP_* settings)."""

    organisation: Organisation
    mailbox: Mailbox | None


def env_mailbox_organisation() -> Organisation | None:
    """The organisation the IMAP_* settings feed, when they are set and it has no mailbox of
    its own (a row of its own, even inactive, takes their place)."""
    if not settings.IMAP_HOST:
        return None
    organisation = mailbox_organisation()
    if organisation is None or Mailbox.objects.filter(organisation=organisation).exists():
        return None
    return organisation


def readings(organisation: Organisation | None = None) -> list[Reading]:
    """The mailboxes to read, by organisation: all of them, or `organisation`'s."""
    rows = Mailbox.objects.filter(active=True).select_related("organisation")
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    found = [Reading(row.organisation, row) for row in rows.order_by("organisation_id")]
    env = env_mailbox_organisation()
    if env is not None and (organisation is None or env.pk == organisation.pk):
        found.append(Reading(env, None))
        found.sort(key=lambda reading: reading.organisation.pk)
    return found


@dataclass(frozen=True)
class Outcome:
    organisation: Organisation
    summary: str  # what was read, or why it could not be
    failed: bool
    stored: bool  # the organisation's own mailbox (else the IMAP_* settings)


def read_one(reading: Reading) -> Outcome:
    """Read one mailbox; its failure is recorded on its organisation, never raised."""
    row = reading.mailbox
    try:
        config = mailbox_settings(row) if row is not None else MailboxSettings.from_settings()
    except MailboxError as error:
        # A secret the installation's key cannot open: nothing was read.
        return _failed(reading, error.parts)
    try:
        summary = fetch_mail(config=config, organisation=reading.organisation)
    except (MailboxError, imaplib.IMAP4.error, OSError) as error:
        # fetch_mail recorded it on the organisation already.
        return _failed(reading, failure_parts(error, config), recorded=True)
    _stamp(row, succeeded=True)
    return Outcome(reading.organisation, summary, failed=False, stored=row is not None)


def _failed(reading: Reading, failure: Sequence[Part], *, recorded: bool = False) -> Outcome:
    if not recorded:
        record_failure(reading.organisation, failure)
    text = said(failure)
    _stamp(reading.mailbox, succeeded=False)
    logger.error("Boîte de « %s » non relevée : %s", reading.organisation.name, text)
    return Outcome(reading.organisation, text, failed=True, stored=reading.mailbox is not None)


def _stamp(row: Mailbox | None, *, succeeded: bool) -> None:
    if row is None:
        return
    now = timezone.now()
    values = {"last_polled_at": now, **({"last_success_at": now} if succeeded else {})}
    # An update, not save(): the page may be changing the row's settings meanwhile.
    Mailbox.objects.filter(pk=row.pk).update(**values)


def read_all(organisation: Organisation | None = None) -> list[Outcome]:
    """Read every mailbox (or `organisation`'s), IMAP_READERS at once; one failing or slow
    stops none of the others. A mailbox another worker is reading is left to it."""
    found = readings(organisation)
    readers = min(settings.IMAP_READERS, len(found))
    if readers <= 1:
        return [_read_claimed(reading) for reading in found]
    with ThreadPoolExecutor(readers, thread_name_prefix="releve") as pool:
        return list(pool.map(_in_own_connection, found))


def _in_own_connection(reading: Reading) -> Outcome:
    """A reader thread's work: its own database connection, closed when done."""
    try:
        return _read_claimed(reading)
    finally:
        connections.close_all()


def _read_claimed(reading: Reading) -> Outcome:
    row = reading.mailbox
    if row is None:  # the IMAP_* settings' mailbox: no row to claim
        return read_one(reading)
    if not _claim(row):
        return Outcome(reading.organisation, BEING_READ, failed=False, stored=True)
    try:
        return read_one(reading)
    finally:
        Mailbox.objects.filter(pk=row.pk).update(reading_until=None)


def _claim(row: Mailbox) -> bool:
    """Take the mailbox for this reading, unless another worker's reading holds it."""
    now = timezone.now()
    free = Q(reading_until__isnull=True) | Q(reading_until__lt=now)
    return Mailbox.objects.filter(free, pk=row.pk).update(reading_until=now + READING_LEASE) == 1


def nothing_to_read() -> str:
    """Why no mailbox is read, in French (the IMAP_* settings' words, as before)."""
    if Mailbox.objects.filter(active=True).exists():
        return "Aucune boîte à relever pour cet organisme."
    if not settings.IMAP_HOST:
        return NOT_CONFIGURED
    if mailbox_organisation() is None:
        if settings.IMAP_ORGANISATION:
            return (
                f"Organisme « {settings.IMAP_ORGANISATION} » (IMAP_ORGANISATION) introuvable : "
                "boîte non relevée."
            )
        return f"Boîte non relevée. {NO_ORGANISATION}"
    return (
        "Les IMAP_* sont remplacés par la boîte propre à l'organisme, désactivée : rien à relever."
    )


def report(outcomes: list[Outcome]) -> str:
    """One line per mailbox; the IMAP_* mailbox alone reads as it always did."""
    if len(outcomes) == 1 and not outcomes[0].stored:
        return outcomes[0].summary
    return "\n".join(
        f"« {outcome.organisation.name} » : {'ÉCHEC : ' if outcome.failed else ''}{outcome.summary}"
        for outcome in outcomes
    )


def fetch_all_mail() -> str:
    """The worker's job: every mailbox in turn. Raises MailboxError after reading them all when
    one or more failed, so that the worker logs the job as failed; each failure is already
    recorded on its organisation (staff pages, /plateforme/, /sante/)."""
    outcomes = read_all()
    if not outcomes:
        return nothing_to_read()
    failed = [outcome for outcome in outcomes if outcome.failed]
    if failed:
        raise MailboxError(report(outcomes))
    return report(outcomes)
