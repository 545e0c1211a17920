"""The IMAP conversation with a complaints mailbox: its settings, connecting and logging in
(a password, or an OAuth2 token), the unprocessed messages searched, one fetched, one marked
processed. Every refusal is a MailboxError saying, in words, what was being done. What the
messages become is intake.mailbox's.
"""

import base64
import imaplib
import logging
import re
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings

from reclamations.core import mail_tokens
from reclamations.core.catalogue import gettext_noop
from reclamations.core.oauth2 import OAuth2Config, OAuth2Error, xoauth2_string
from reclamations.core.worded import Phrase, WordedError

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


def checked(response: tuple[str, Sequence[ImapItem]], what: Phrase) -> Sequence[ImapItem]:
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
            checked(
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
    checked(
        connection.uid("STORE", uid, "+FLAGS", rf"(\Seen {PROCESSED_KEYWORD})"),
        Phrase(gettext_noop("marquer le message")),
    )
    folder = config.move_to
    if folder is None:
        return
    target = encode_folder(folder)
    capabilities = _capabilities(connection)
    if "MOVE" in capabilities:
        checked(
            connection.uid("MOVE", uid, target),
            Phrase(gettext_noop("déplacer vers %(folder)s"), {"folder": folder}),
        )
        return
    checked(
        connection.uid("COPY", uid, target),
        Phrase(gettext_noop("copier vers %(folder)s"), {"folder": folder}),
    )
    checked(
        connection.uid("STORE", uid, "+FLAGS", r"(\Deleted)"),
        Phrase(gettext_noop("marquer supprimé")),
    )
    if "UIDPLUS" in capabilities:
        checked(connection.uid("EXPUNGE", uid), Phrase(gettext_noop("retirer de la boîte")))
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


def fetch_message(connection: imaplib.IMAP4, uid: str) -> tuple[bytes, datetime | None]:
    # BODY.PEEK[] is the RFC822 content without setting \Seen: a message is marked read only
    # once processed.
    data = checked(
        connection.uid("FETCH", uid, "(UID INTERNALDATE BODY.PEEK[])"),
        Phrase(gettext_noop("lire le message")),
    )
    raw = next((part[1] for part in data if isinstance(part, tuple)), None)
    if raw is None:
        raise MessageGone(f"Le message UID {uid} a disparu de la boîte avant sa lecture.")
    return raw, _internal_date(data)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def since_criteria(since: str) -> list[str]:
    """The IMAP SEARCH criteria of IMAP_SINCE (a YYYY-MM-DD day): SINCE 1-Mar-2026."""
    if not since or since == "all":
        return []
    day = date.fromisoformat(since)
    return ["SINCE", f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"]


def unprocessed_uids(connection: imaplib.IMAP4, since: str = "") -> list[str]:
    data = checked(
        connection.uid(
            "SEARCH", "UNDELETED", "UNKEYWORD", PROCESSED_KEYWORD, *since_criteria(since)
        ),
        Phrase(gettext_noop("chercher les nouveaux messages")),
    )
    lines = (item for item in data if isinstance(item, bytes))
    return [uid.decode() for uid in b" ".join(lines).split()]


def mailbox_uidvalidity(connection: imaplib.IMAP4) -> int | None:
    _name, values = connection.response("UIDVALIDITY")
    try:
        return int(values[0]) if values and values[0] else None
    except (TypeError, ValueError):
        return None
