"""The complaints mailbox over IMAP: fetch each new message, process it, commit, then mark it.

A message is marked processed (moved to a folder, or flagged) only after what it produced is
committed. A crash between the two leaves it unmarked: the next run processes it again, which
intake_process recognises as a duplicate, and marks it then. Nothing lost, nothing twice.
"""

import contextlib
import imaplib
import logging
from collections import Counter
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from reclamations.core.catalogue import gettext_noop
from reclamations.core.models import Organisation
from reclamations.core.worded import Part, Phrase, as_json, said
from reclamations.intake.imap import (
    MailboxError,
    MailboxSettings,
    MarkProcessed,
    MessageGone,
    checked,
    connect,
    encode_folder,
    fetch_message,
    mailbox_uidvalidity,
    mark_processed,
    unprocessed_uids,
)
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.services import intake_process

logger = logging.getLogger(__name__)

# A first reading of a mailbox holding more unprocessed messages than this stops and asks for
# IMAP_SINCE: ten years of old mail registered as new complaints would be hard to undo.
FIRST_READING_LIMIT = 500


NO_ORGANISATION = (
    "Aucun organisme enregistré : créez-le avec « reclamations init » (ou la page de première "
    "installation) ; pour essayer l'application, « reclamations demo » sur un dossier de données "
    "à part."
)


def mailbox_organisation() -> Organisation | None:
    """The organisation the mailbox feeds: IMAP_ORGANISATION by name, else the first one."""
    organisations = Organisation.objects.order_by("id")
    if settings.IMAP_ORGANISATION:
        return organisations.filter(name=settings.IMAP_ORGANISATION).first()
    return organisations.first()


OUTCOME_LABELS = {
    "created": "réclamations créées",
    "appended": "ajoutés à une réclamation",
    "duplicate": "doublons",
    "auto_reply": "réponses automatiques ignorées",
    "triage": "à trier",
    "quarantined": "illisibles (quarantaine)",
}


def summary_line(counts: Counter[str], errors: int) -> str:
    total = sum(counts.values())
    details = ", ".join(f"{label} : {counts[key]}" for key, label in OUTCOME_LABELS.items())
    line = f"{total} message{'s' if total > 1 else ''} traité{'s' if total > 1 else ''} ({details})"
    if errors:
        line += f" ; {errors} en erreur, laissé{'s' if errors > 1 else ''} dans la boîte"
    return line


def fetch_mail(
    *,
    config: MailboxSettings | None = None,
    organisation: Organisation | None = None,
    mark: MarkProcessed = mark_processed,
) -> str:
    """Process up to `config.batch` new messages of the mailbox; return a French summary.

    `mark` marks one message processed; it runs after the message's transaction committed.
    """
    config = config or MailboxSettings.from_settings()
    if not config.host:
        return "IMAP non configuré (IMAP_HOST vide) : aucune boîte à relever."
    organisation = organisation or mailbox_organisation()
    if organisation is None:
        if settings.IMAP_ORGANISATION:
            return (
                f"Organisme « {settings.IMAP_ORGANISATION} » (IMAP_ORGANISATION) introuvable : "
                "boîte non relevée."
            )
        return f"Boîte non relevée. {NO_ORGANISATION}"
    try:
        summary = _read_mailbox(config, organisation, mark)
    except (MailboxError, imaplib.IMAP4.error, OSError) as error:
        _record_reading(organisation, failure=failure_parts(error, config))
        raise
    _record_reading(organisation, failure=None)
    return summary


def failure_parts(error: Exception, config: MailboxSettings) -> tuple[Part, ...]:
    """Why the mailbox could not be read, with what to check (core.worded parts)."""
    if isinstance(error, MailboxError):
        return error.parts
    if isinstance(error, OSError):
        unreachable = (
            gettext_noop(
                "Serveur IMAP injoignable (%(error)s) : vérifiez le serveur, le port et la "
                "sécurité de la boîte (page Réglages, Boîte des réclamations)."
            )
            if config.stored
            else gettext_noop(
                "Serveur IMAP injoignable (%(error)s) : vérifiez IMAP_HOST, IMAP_PORT et "
                "IMAP_SECURITY."
            )
        )
        return ((unreachable, {"error": error}),)
    return (
        (
            gettext_noop("Le serveur IMAP a répondu de façon inattendue : %(error)s"),
            {"error": error},
        ),
    )


def failure_text(error: Exception, config: MailboxSettings) -> str:
    """Why the mailbox could not be read, in French, with what to check."""
    return said(failure_parts(error, config))


def record_failure(organisation: Organisation, failure: Sequence[Part]) -> None:
    """Keep on the organisation that its mailbox cannot be read, and why: staff pages warn
    (core.Organisation.mailbox_failing_since), from the first failure of a series, and say
    why in their reader's language (mailbox_error_parts; mailbox_error in French)."""
    rows = Organisation.objects.filter(pk=organisation.pk)
    rows.filter(mailbox_failing_since__isnull=True).update(mailbox_failing_since=timezone.now())
    rows.update(mailbox_error=said(failure)[:2000], mailbox_error_parts=as_json(failure))


def _record_reading(organisation: Organisation, *, failure: Sequence[Part] | None) -> None:
    """Keep on the organisation whether its mailbox can be read."""
    if failure is not None:
        record_failure(organisation, failure)
        return
    Organisation.objects.filter(pk=organisation.pk, mailbox_failing_since__isnull=False).update(
        mailbox_failing_since=None, mailbox_error="", mailbox_error_parts=[]
    )


def _read_mailbox(config: MailboxSettings, organisation: Organisation, mark: MarkProcessed) -> str:
    connection = connect(config)
    counts: Counter[str] = Counter()
    errors = 0
    try:
        checked(
            connection.select(encode_folder(config.folder)),
            Phrase(gettext_noop("ouvrir %(folder)s"), {"folder": config.folder}),
        )
        uidvalidity = mailbox_uidvalidity(connection)
        waiting = unprocessed_uids(connection, config.since)
        first_reading = not InboundEmail.objects.filter(
            organisation=organisation, source=IntakeSource.IMAP
        ).exists()
        if first_reading and not config.since and len(waiting) > FIRST_READING_LIMIT:
            past = (
                gettext_noop(
                    "Première relève : la boîte contient %(count)s messages non traités. Pour ne "
                    "pas enregistrer le passé comme de nouvelles réclamations, fixez « relever à "
                    "partir du » (AAAA-MM-JJ, ou all pour tout importer) de la boîte (page "
                    "Réglages, Boîte des réclamations)"
                )
                if config.stored
                else gettext_noop(
                    "Première relève : la boîte contient %(count)s messages non traités. Pour ne "
                    "pas enregistrer le passé comme de nouvelles réclamations, fixez "
                    "IMAP_SINCE=AAAA-MM-JJ (le jour à partir duquel relever), ou IMAP_SINCE=all "
                    "pour tout importer."
                )
            )
            raise MailboxError(past, values={"count": len(waiting)})
        uids = waiting[: config.batch]
        if uids and config.move_to:
            connection.create(encode_folder(config.move_to))  # "already exists" is fine
        for uid in uids:
            try:
                raw, arrived_at = fetch_message(connection, uid)
            except MessageGone:
                logger.info("Message IMAP UID %s parti avant sa lecture (autre relève ?)", uid)
                continue
            try:
                result = intake_process(
                    organisation=organisation,
                    raw=raw,
                    arrived_at=arrived_at,
                    source=IntakeSource.IMAP,
                    mailbox_uid=int(uid),
                    mailbox_uidvalidity=uidvalidity,
                )
            except MailboxError:
                raise
            except Exception:
                # One message the code cannot handle must not block the others: it stays
                # unmarked in the mailbox, logged, and is tried again on the next run.
                logger.exception("Message IMAP UID %s non traité", uid)
                errors += 1
                continue
            try:
                mark(connection, uid, config)
            except MessageGone:
                # Another worker read it too and moved it first; what this one did with it is
                # committed (a duplicate of the other's, recognised as such).
                logger.info("Message IMAP UID %s déjà déplacé par une autre relève", uid)
            counts[result.outcome] += 1
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return "IMAP : " + summary_line(counts, errors)


def connection_check(config: MailboxSettings) -> int:
    """Log in and open the folder, read nothing, mark nothing; return how many messages wait
    there (the settings page's "Tester la connexion"). Raises MailboxError with what to check,
    in French."""
    try:
        connection = connect(config)
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailboxError.of(failure_parts(error, config)) from error
    try:
        status, data = connection.select(encode_folder(config.folder), readonly=True)
        if status != "OK":
            detail = b" ".join(item for item in data if isinstance(item, bytes)).decode(
                "utf-8", "replace"
            )
            raise MailboxError(
                gettext_noop(
                    "Connexion réussie, mais le dossier « %(folder)s » ne s'ouvre pas : %(detail)s"
                ),
                values={"folder": config.folder, "detail": detail},
            )
        waiting = len(unprocessed_uids(connection, config.since))
    except (imaplib.IMAP4.error, OSError) as error:
        raise MailboxError.of(failure_parts(error, config)) from error
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            connection.logout()
    return waiting


def connection_test(config: MailboxSettings) -> str:
    """connection_check, said in French (`reclamations mailbox test`)."""
    waiting = connection_check(config)
    plural = "s" if waiting > 1 else ""
    return (
        f"Connexion réussie à {config.host} pour {config.user} : {waiting} message{plural} "
        f"à relever dans « {config.folder} »."
    )
