"""Delivery of the outbox: claim a due row, send it with Django's email backend, record the result.

Guarantees (docs/architecture.md, "Outgoing mail"):
- a message is sent only after the transaction that queued it committed (it is invisible before);
- two deliverers never send the same row: each row is claimed (queued -> sending) in its own
  short transaction, with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the
  IMMEDIATE transactions of config/settings.py serialise the claims;
- exactly once, except after a crash between the SMTP exchange and the commit that follows it:
  a row left "sending" for STUCK_AFTER is queued again, so such a message may be sent twice
  (at-least-once, there only) rather than never;
- what the message was about is not the outbox's business: the listeners registered with
  `listen` hear of each message sent or given up, inside the transaction that records it, so
  that their own record (a complaint's chronology) commits with it or not at all.
"""

import hashlib
import logging
import smtplib
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from reclamations.core.oauth2 import OAuth2Error
from reclamations.outbox.backends import message_bytes
from reclamations.outbox.models import OutgoingAttachment, OutgoingMessage, OutgoingStatus

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd, 3rd, 4th failed attempt; then every hour.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=60),
)
BACKOFF_AFTER = timedelta(hours=1)
# A message still undelivered this long after it was queued is given up and shown to staff.
GIVE_UP_AFTER = timedelta(hours=24)
# A row "sending" for this long belongs to a deliverer that died: it is queued again.
STUCK_AFTER = timedelta(minutes=10)
ERROR_MAX = 1000


class DeliveryListener(Protocol):
    """What a part of the application that queues messages hears of their delivery. Each
    method runs inside the transaction that records the result: raising rolls it back."""

    def message_sent(self, outgoing: OutgoingMessage, raw: bytes) -> None:
        """`outgoing` reached the server; `raw` is exactly what was sent."""

    def message_failed(self, outgoing: OutgoingMessage) -> None:
        """`outgoing` will not be sent: refused for good, or still failing after 24 h."""


_LISTENERS: list[DeliveryListener] = []


def listen(listener: DeliveryListener) -> None:
    """Register `listener`; one of each class, however often an app's ready() runs."""
    if not any(type(known) is type(listener) for known in _LISTENERS):
        _LISTENERS.append(listener)


def unlisten(listener: DeliveryListener) -> None:
    """Stop telling `listener` (an app being unloaded, a test's own listener)."""
    if listener in _LISTENERS:
        _LISTENERS.remove(listener)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    requeued: int = 0

    def summary(self) -> str:
        parts = [f"{self.sent} envoyé(s)", f"{self.retried} à réessayer", f"{self.failed} en échec"]
        if self.requeued:
            parts.append(f"{self.requeued} remis en file après un arrêt brutal")
        return ", ".join(parts)


class TemporaryFailure(Exception):
    """Worth trying again later: the server is unreachable, busy, or answered 4xx."""

    def __init__(self, message: str, *, server_unavailable: bool = False) -> None:
        super().__init__(message)
        # True when no message can go now (no connection, login refused): the batch stops
        # there instead of waiting for a timeout once per queued message.
        self.server_unavailable = server_unavailable


class PermanentFailure(Exception):
    """Trying again will not help: the server refused the message or its recipient (5xx)."""


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt, after `attempts` failed ones (1 -> 1 min ... then 1 h)."""
    if attempts < 1:
        return timedelta(0)
    return BACKOFF[attempts - 1] if attempts <= len(BACKOFF) else BACKOFF_AFTER


def _smtp_code_failure(code: int, text: str) -> Exception:
    if 400 <= code < 500:
        return TemporaryFailure(text)
    return PermanentFailure(text)


def _reply_text(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {text}".strip()


def classify(error: BaseException) -> Exception:
    """TemporaryFailure or PermanentFailure for an exception raised while sending."""
    if isinstance(error, (TemporaryFailure, PermanentFailure)):
        return error
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = list(error.recipients.values())
        text = "; ".join(
            f"{address} : {_reply_text(code, message)}"
            for address, (code, message) in error.recipients.items()
        )
        refused = f"Destinataire refusé par le serveur ({text})"
        # Temporary when any recipient may still be accepted later.
        if any(400 <= code < 500 for code, _message in replies):
            return TemporaryFailure(refused)
        return PermanentFailure(refused)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # A configuration problem of ours, not of the message: fixed, the message goes out.
        check = (
            "vérifiez EMAIL_HOST_USER et la permission d'envoi de l'application OAuth 2.0 "
            "(SMTP.Send chez Microsoft, SMTP AUTH activé pour la boîte)"
            if settings.EMAIL_AUTH == "oauth2"
            else "vérifiez EMAIL_HOST_USER et EMAIL_HOST_PASSWORD"
        )
        return TemporaryFailure(
            "Authentification refusée par le serveur SMTP "
            f"({_reply_text(error.smtp_code, error.smtp_error)}) : {check}.",
            server_unavailable=True,
        )
    if isinstance(error, OAuth2Error):
        # No token, no connection: every message waits, none is the cause.
        return TemporaryFailure(f"Envoi SMTP (OAuth 2.0) : {error}", server_unavailable=True)
    if isinstance(error, (smtplib.SMTPConnectError, smtplib.SMTPHeloError)):
        # The server turns every client away for now: nothing to do with this message.
        return TemporaryFailure(
            "Le serveur SMTP refuse la connexion "
            f"({_reply_text(error.smtp_code, error.smtp_error)}).",
            server_unavailable=True,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"Réponse du serveur SMTP : {_reply_text(error.smtp_code, error.smtp_error)}"
        return _smtp_code_failure(error.smtp_code, text)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return TemporaryFailure(
            f"Connexion au serveur SMTP interrompue ({error}).", server_unavailable=True
        )
    if isinstance(error, (ConnectionError, socket.timeout, TimeoutError, socket.gaierror)):
        return TemporaryFailure(f"Serveur SMTP injoignable ({error}).", server_unavailable=True)
    if isinstance(error, (smtplib.SMTPException, OSError)):
        return TemporaryFailure(f"Erreur SMTP ({error}).", server_unavailable=True)
    return PermanentFailure(f"Message impossible à envoyer ({type(error).__name__} : {error}).")


def from_address(outgoing: OutgoingMessage) -> str:
    return outgoing.organisation.complaints_email or settings.DEFAULT_FROM_EMAIL


class _StableEmail(EmailMessage):
    """An email whose multipart boundary comes from its Message-ID instead of chance: the copy
    kept (message_bytes) and what the backend sends, each built by message(), are the same
    bytes."""

    def message(self, **kwargs: Any) -> Any:  # Django 5.2 takes none; its stubs, Django 6's
        built: Any = super().message(**kwargs)
        if built.is_multipart():
            seed = str(self.extra_headers.get("Message-ID", "")).encode()
            built.set_boundary("=_part_" + hashlib.sha256(seed).hexdigest()[:40])
        return built


def _attachment_bytes(attachment: OutgoingAttachment) -> bytes:
    """The stored file, checked against the SHA-256 taken when the message was queued."""
    missing = PermanentFailure(
        f"La pièce jointe « {attachment.filename} » manque ou a changé depuis la mise en file "
        "d'envoi : le message n'est pas envoyé, joignez-la de nouveau."
    )
    try:
        with default_storage.open(attachment.stored_as, "rb") as stored:
            content: bytes = stored.read()
    except OSError as error:
        raise missing from error
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise missing
    return content


def build_email(outgoing: OutgoingMessage, *, date: datetime) -> EmailMessage:
    """The message as it goes on the wire. Every header that Django would otherwise generate
    (Date, Message-ID, the boundary of its parts) is given, so that building it twice gives
    the same bytes. Raises PermanentFailure when an attachment is no longer the file chosen."""
    sender = from_address(outgoing)
    headers = {
        "Message-ID": outgoing.message_id,
        "Date": format_datetime(date.astimezone(UTC)),
    }
    if outgoing.in_reply_to:
        headers["In-Reply-To"] = outgoing.in_reply_to
    if outgoing.references:
        headers["References"] = outgoing.references
    if outgoing.auto_submitted:
        # RFC 3834: no robot (ours included, through the complaints mailbox) answers these.
        headers["Auto-Submitted"] = "auto-generated"
    email = _StableEmail(
        subject=outgoing.subject,
        body=outgoing.body_text,
        from_email=sender,
        to=outgoing.recipients,
        reply_to=[sender],
        headers=headers,
    )
    for attachment in outgoing.attachments.all():
        email.attach(attachment.filename, _attachment_bytes(attachment), attachment.content_type)
    return email


def requeue_stuck(*, now: datetime) -> int:
    """Queue again the rows whose deliverer died while sending (see the module's docstring)."""
    return OutgoingMessage.objects.filter(
        status=OutgoingStatus.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=OutgoingStatus.QUEUED, next_attempt_at=now, claimed_at=None)


def claim_next(*, now: datetime) -> OutgoingMessage | None:
    """Take the oldest due row for this deliverer (queued -> sending) and commit at once."""
    with transaction.atomic():
        row = (
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutgoingStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if row is None:
            return None
        row.status = OutgoingStatus.SENDING
        row.claimed_at = now
        row.attempts += 1
        row.save(update_fields=["status", "claimed_at", "attempts"])
    return OutgoingMessage.objects.select_related("organisation").get(pk=row.pk)


def accepting_server(connection: BaseEmailBackend) -> str:
    """Who accepted a message sent through `connection`, as the proof of sending says it."""
    host = getattr(connection, "host", None)
    if host:
        return f"serveur SMTP {host}:{getattr(connection, 'port', '')}".rstrip(":")
    folder = getattr(connection, "directory", None)
    if folder:
        return f"fichier .eml dans {folder} (aucun serveur SMTP configuré)"
    return type(connection).__name__


def _record_sent(
    outgoing: OutgoingMessage, raw: bytes, *, now: datetime, accepted_by: str = ""
) -> None:
    with transaction.atomic():
        outgoing.status = OutgoingStatus.SENT
        outgoing.sent_at = now
        outgoing.accepted_by = accepted_by[:300]
        outgoing.claimed_at = None
        outgoing.last_error = ""
        outgoing.save(
            update_fields=["status", "sent_at", "accepted_by", "claimed_at", "last_error"]
        )
        for listener in _LISTENERS:
            listener.message_sent(outgoing, raw)


def _record_failure(outgoing: OutgoingMessage, failure: Exception, *, now: datetime) -> bool:
    """Back to the queue with a delay, or failed for good; True when given up."""
    error = str(failure)[:ERROR_MAX]
    give_up = isinstance(failure, PermanentFailure) or now - outgoing.created_at >= GIVE_UP_AFTER
    with transaction.atomic():
        outgoing.last_error = error
        outgoing.claimed_at = None
        if give_up:
            outgoing.status = OutgoingStatus.FAILED
            if isinstance(failure, TemporaryFailure):
                outgoing.last_error = f"Abandon après 24 h de tentatives. {error}"[:ERROR_MAX]
        else:
            outgoing.status = OutgoingStatus.QUEUED
            outgoing.next_attempt_at = now + backoff(outgoing.attempts)
        outgoing.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
        if give_up:
            for listener in _LISTENERS:
                listener.message_failed(outgoing)
    level = logging.ERROR if give_up else logging.WARNING
    logger.log(level, "Message %s (%s) : %s", outgoing.pk, outgoing.message_id, error)
    return give_up


def record_bounce(outgoing: OutgoingMessage, reason: str) -> bool:
    """A delivery report says `outgoing`, accepted by our server, never reached its recipient:
    failed, with the report's reason, and the listeners told (once). False when it was
    already recorded as failed."""
    with transaction.atomic():
        current = OutgoingMessage.objects.select_for_update().get(pk=outgoing.pk)
        if current.status == OutgoingStatus.FAILED:
            return False
        current.status = OutgoingStatus.FAILED
        current.last_error = reason[:ERROR_MAX]
        current.claimed_at = None
        current.save(update_fields=["status", "last_error", "claimed_at"])
        for listener in _LISTENERS:
            listener.message_failed(current)
    logger.warning("Message %s (%s) : %s", current.pk, current.message_id, reason)
    return True


def _close_quietly(connection: BaseEmailBackend) -> None:
    try:
        connection.close()
    except Exception:  # a broken connection is dropped either way; the next send reopens one
        logger.debug("Fermeture de la connexion SMTP en erreur", exc_info=True)


def _send_one(connection: BaseEmailBackend, outgoing: OutgoingMessage, now: datetime) -> bytes:
    try:
        email = build_email(outgoing, date=now)
        raw = message_bytes(email)
        # Opened here (a no-op when already open) so that one connection serves the batch:
        # send_messages() on a closed SMTP backend opens and closes one per call.
        connection.open()
        sent = connection.send_messages([email])
    except Exception as error:
        _close_quietly(connection)
        raise classify(error) from error
    if not sent:
        raise TemporaryFailure("Le serveur n'a pas accepté le message (aucun envoi).")
    return raw


def deliver_due(
    *,
    limit: int | None = None,
    now: datetime | None = None,
    connection: BaseEmailBackend | None = None,
) -> DeliveryReport:
    """Send up to `limit` due messages (settings.OUTBOX_BATCH by default) and record each result.

    Call outside any transaction: each claim and each result commits on its own.
    """
    limit = settings.OUTBOX_BATCH if limit is None else limit
    report = DeliveryReport()
    report.requeued = requeue_stuck(now=now or timezone.now())
    connection = connection or get_connection(fail_silently=False)
    try:
        for _ in range(limit):
            moment = now or timezone.now()
            outgoing = claim_next(now=moment)
            if outgoing is None:
                break
            try:
                raw = _send_one(connection, outgoing, moment)
            except (TemporaryFailure, PermanentFailure) as failure:
                if _record_failure(outgoing, failure, now=moment):
                    report.failed += 1
                else:
                    report.retried += 1
                if isinstance(failure, TemporaryFailure) and failure.server_unavailable:
                    break  # the others wait for the next run, untouched
                continue
            _record_sent(outgoing, raw, now=moment, accepted_by=accepting_server(connection))
            report.sent += 1
    finally:
        _close_quietly(connection)
    return report
