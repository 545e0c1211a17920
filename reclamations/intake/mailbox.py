"""The complaints mailbox over IMAP: fetch each new message, process it, commit, then mark it.

A message is marked processed (moved to a folder, or flagged) only after what it produced is
committed. A crash between the two leaves it unmarked: the next run processes it again, which
intake_process recognises as a duplicate, and marks it then. Nothing lost, nothing twice.
"""

import base64
import contextlib
import imaplib
import logging
import re
import ssl
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from reclamations.core import mail_tokens
from reclamations.core.catalogue import gettext_noop
from reclamations.core.models import Organisation
from reclamations.core.oauth2 import OAuth2Config, OAuth2Error, xoauth2_string
from reclamations.core.worded import Part, Phrase, WordedError, as_json, said
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.services import intake_process

logger = logging.getLogger(__name__)

# Set on every processed message, in both modes: a message whose move failed is not re-read.
PROCESSED_KEYWORD = "$Reclamations"
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class MailboxError(WordedError):
    """The mailbox refused something; the message says what, in French (str), or in a
    page's reader's language (`text(gettext)`)."""


class MessageGone(MailboxError):
    """The message left the mailbox meanwhile: another worker reading the same mailbox took it
    (or a person moved it). Not a failure of the mailbox: the others are read on."""


# What IMAP servers answer about a message expunged by another session (RFC 5530 codes).
_GONE = ("EXPUNGEISSUED", "NONEXISTENT", "no longer exist")


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    security: str  # "ssl", "starttls" or "none"
    user: str
    password: str
    folder: str = "INBOX"
    processed: str = "move:Traitees"  # or "flag"
    batch: int = 50
    timeout: float = 60
    # Messages that reached the mailbox from this day on ("" : all, once the mailbox was read
    # once; "all": all, even on a first reading of a full mailbox).
    since: str = ""
    # "password", or "oauth2": XOAUTH2 with the token core.mail_tokens keeps (Microsoft 365,
    # Gmail, where password login is switched off).
    auth: str = "password"
    # An organisation's own mailbox's OAuth 2.0 application and refresh token (intake.Mailbox);
    # None: the OAUTH2_* settings'.
    oauth2: OAuth2Config | None = None
    refresh_token: str = ""
    # Kept in the database (intake.Mailbox, set on the Réglages page or by `reclamations
    # mailbox set`), not in the IMAP_* settings: the French errors say where to correct it.
    stored: bool = False
    # The organisation whose own mailbox this is: its OAuth 2.0 tokens are kept under it
    # (core.MailboxToken), never shared with another organisation typing the same login.
    organisation_id: int | None = None

    @property
    def move_to(self) -> str | None:
        """The folder processed messages go to; None in "flag" mode."""
        if self.processed.startswith("move:"):
            return self.processed[len("move:") :].strip()
        return None

    @classmethod
    def from_settings(cls) -> "MailboxSettings":
        return cls(
            host=settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            security=settings.IMAP_SECURITY,
            user=settings.IMAP_USER,
            password=settings.IMAP_PASSWORD,
            folder=settings.IMAP_FOLDER,
            processed=settings.IMAP_PROCESSED,
            batch=settings.IMAP_BATCH,
            timeout=settings.IMAP_TIMEOUT,
            since=settings.IMAP_SINCE,
            auth=settings.IMAP_AUTH,
        )


MarkProcessed = Callable[[imaplib.IMAP4, str, MailboxSettings], None]
# One item of an IMAP answer's data: a line, a (header, literal) pair, or None for no data.
ImapItem = bytes | tuple[bytes, bytes] | None


def encode_folder(name: str) -> str:
    """A folder name as IMAP writes it (RFC 3501 modified UTF-7), quoted: "Traitées" works."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode()
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    text = "".join(out)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(response: tuple[str, Sequence[ImapItem]], what: Phrase) -> Sequence[ImapItem]:
    status, data = response
    if status != "OK":
        detail = b" ".join(item for item in data if isinstance(item, bytes)).decode(
            "utf-8", "replace"
        )
        if any(code in detail for code in _GONE):
            raise MessageGone(
                gettext_noop("Message parti de la boîte pendant « %(what)s » : %(detail)s"),
                values={"what": what, "detail": detail},
            )
        raise MailboxError(
            gettext_noop("Le serveur IMAP a refusé « %(what)s » : %(detail)s"),
            values={"what": what, "detail": detail},
        )
    return data


def connect(config: MailboxSettings) -> imaplib.IMAP4:
    """Log in, with TLS from the start (ssl), upgraded (starttls) or none (a local server)."""
    context = ssl.create_default_context()
    if config.security == "ssl":
        connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=context, timeout=config.timeout
        )
    else:
        connection = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
        if config.security == "starttls":
            connection.starttls(ssl_context=context)
    if config.auth == "oauth2":
        _log_in_with_token(connection, config)
    else:
        try:
            _check(
                connection.login(config.user, config.password), Phrase(gettext_noop("connexion"))
            )
        except imaplib.IMAP4.error as error:
            connection.shutdown()
            refused = (
                gettext_noop(
                    "Connexion IMAP refusée pour %(user)s : vérifiez l'identifiant et le mot de "
                    "passe de la boîte (page Réglages, Boîte des réclamations) (%(error)s)."
                )
                if config.stored
                else gettext_noop(
                    "Connexion IMAP refusée pour %(user)s : vérifiez IMAP_USER et IMAP_PASSWORD "
                    "(%(error)s)."
                )
            )
            raise MailboxError(refused, values={"user": config.user, "error": error}) from error
    # Servers announce more (MOVE, UIDPLUS) once logged in; imaplib keeps the greeting's list.
    status, data = connection.capability()
    if status == "OK" and data and data[0]:
        connection.capabilities = tuple(data[0].decode("ascii", "replace").upper().split())
    return connection


class _XOAuth2Response:
    """imaplib's authobject: the XOAUTH2 string first; then, when the server answers a refusal
    as a challenge (Gmail sends its error that way), the empty line that ends the exchange."""

    def __init__(self, user: str, token: str) -> None:
        self.initial: bytes | None = xoauth2_string(user, token).encode()

    def __call__(self, _challenge: bytes) -> bytes:
        initial, self.initial = self.initial, None
        return initial if initial is not None else b""


def _log_in_with_token(connection: imaplib.IMAP4, config: MailboxSettings) -> None:
    """AUTHENTICATE XOAUTH2; a token the server refuses is renewed once and tried again."""
    user = config.user
    refusal: imaplib.IMAP4.error | None = None
    for renew in (False, True):
        try:
            token = mail_tokens.access_token(
                user,
                renew=renew,
                config=config.oauth2,
                refresh_token=config.refresh_token,
                organisation_id=config.organisation_id,
            )
        except OAuth2Error as error:
            connection.shutdown()
            raise MailboxError(
                gettext_noop("Connexion IMAP (OAuth 2.0) impossible pour %(user)s :"),
                values={"user": user},
                then=error.parts,
            ) from error
        try:
            connection.authenticate("XOAUTH2", _XOAuth2Response(user, token))
            return
        except imaplib.IMAP4.error as error:
            refusal = error
            logger.info("Jeton OAuth 2.0 refusé par le serveur IMAP pour %s : %s", user, error)
    connection.shutdown()
    raise MailboxError(
        gettext_noop(
            "Le serveur IMAP refuse le jeton OAuth 2.0 de %(user)s, même renouvelé "
            "(%(refusal)s) : vérifiez que IMAP est activé pour cette boîte et que l'application "
            "a la permission IMAP (IMAP.AccessAsUser.All chez Microsoft, "
            "https://mail.google.com/ chez Google)."
        ),
        values={"user": user, "refusal": refusal},
    )


def mark_processed(connection: imaplib.IMAP4, uid: str, config: MailboxSettings) -> None:
    """Flag the message as ours and read, then move it when so configured."""
    _check(
        connection.uid("STORE", uid, "+FLAGS", rf"(\Seen {PROCESSED_KEYWORD})"),
        Phrase(gettext_noop("marquer le message")),
    )
    folder = config.move_to
    if folder is None:
        return
    target = encode_folder(folder)
    capabilities = _capabilities(connection)
    if "MOVE" in capabilities:
        _check(
            connection.uid("MOVE", uid, target),
            Phrase(gettext_noop("déplacer vers %(folder)s"), {"folder": folder}),
        )
        return
    _check(
        connection.uid("COPY", uid, target),
        Phrase(gettext_noop("copier vers %(folder)s"), {"folder": folder}),
    )
    _check(
        connection.uid("STORE", uid, "+FLAGS", r"(\Deleted)"),
        Phrase(gettext_noop("marquer supprimé")),
    )
    if "UIDPLUS" in capabilities:
        _check(connection.uid("EXPUNGE", uid), Phrase(gettext_noop("retirer de la boîte")))
    else:
        connection.expunge()


def _capabilities(connection: imaplib.IMAP4) -> set[str]:
    return {str(item).upper() for item in connection.capabilities}


def _internal_date(parts: Sequence[ImapItem]) -> datetime | None:
    for part in parts:
        head = part[0] if isinstance(part, tuple) else part
        if not isinstance(head, bytes):
            continue
        found = _INTERNALDATE.search(head)
        if found:
            try:
                return datetime.strptime(found.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
            except ValueError:
                return None
    return None


def _fetch(connection: imaplib.IMAP4, uid: str) -> tuple[bytes, datetime | None]:
    # BODY.PEEK[] is the RFC822 content without setting \Seen: a message is marked read only
    # once processed.
    data = _check(
        connection.uid("FETCH", uid, "(UID INTERNALDATE BODY.PEEK[])"),
        Phrase(gettext_noop("lire le message")),
    )
    raw = next((part[1] for part in data if isinstance(part, tuple)), None)
    if raw is None:
        raise MessageGone(f"Le message UID {uid} a disparu de la boîte avant sa lecture.")
    return raw, _internal_date(data)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A first reading of a mailbox holding more unprocessed messages than this stops and asks for
# IMAP_SINCE: ten years of old mail registered as new complaints would be hard to undo.
FIRST_READING_LIMIT = 500


def since_criteria(since: str) -> list[str]:
    """The IMAP SEARCH criteria of IMAP_SINCE (a YYYY-MM-DD day): SINCE 1-Mar-2026."""
    if not since or since == "all":
        return []
    day = date.fromisoformat(since)
    return ["SINCE", f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"]


def _unprocessed(connection: imaplib.IMAP4, since: str = "") -> list[str]:
    data = _check(
        connection.uid(
            "SEARCH", "UNDELETED", "UNKEYWORD", PROCESSED_KEYWORD, *since_criteria(since)
        ),
        Phrase(gettext_noop("chercher les nouveaux messages")),
    )
    lines = (item for item in data if isinstance(item, bytes))
    return [uid.decode() for uid in b" ".join(lines).split()]


def _uidvalidity(connection: imaplib.IMAP4) -> int | None:
    _name, values = connection.response("UIDVALIDITY")
    try:
        return int(values[0]) if values and values[0] else None
    except (TypeError, ValueError):
        return None


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
        _check(
            connection.select(encode_folder(config.folder)),
            Phrase(gettext_noop("ouvrir %(folder)s"), {"folder": config.folder}),
        )
        uidvalidity = _uidvalidity(connection)
        waiting = _unprocessed(connection, config.since)
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
                raw, arrived_at = _fetch(connection, uid)
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
        waiting = len(_unprocessed(connection, config.since))
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
