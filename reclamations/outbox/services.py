"""Writes of the outbox: queueing a message (inside the caller's transaction) and the
organisation's message templates."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.models import Organisation, User
from reclamations.outbox.models import (
    CLIENT_KINDS,
    MessageKind,
    MessageTemplate,
    OutgoingMessage,
    OutgoingStatus,
)
from reclamations.outbox.templating import sample_context, validate_template

FALLBACK_DOMAIN = "reclamations.local"
# A long thread keeps its first message and the most recent ones (RFC 5322, 3.6.4).
MAX_REFERENCES = 20
# Events whose data may carry the Message-ID of a message received from the client.
INBOUND_EVENT_TYPES = (EventType.REGISTERED, EventType.MESSAGE_RECEIVED)
THREAD_ID_MAX = 250


def normalise_message_id(value: str) -> str:
    """ "<ABC@Example.org >" -> "<abc@example.org>", as intake's parsing normalises it."""
    inner = "".join(value.split()).strip("<>").lower()
    return f"<{inner}>" if inner else ""


def threadable_id(value: str) -> str:
    """The normalised Message-ID, or "" when it cannot go in a header of ours: a pathological
    id longer than THREAD_ID_MAX would not fit the column, nor a mail header line."""
    normalised = normalise_message_id(value)
    return normalised if len(normalised) <= THREAD_ID_MAX else ""


def message_id_domain(organisation: Organisation) -> str:
    address = organisation.complaints_email.strip()
    domain = address.rpartition("@")[2].lower() if "@" in address else ""
    return domain or FALLBACK_DOMAIN


def new_message_id(organisation: Organisation) -> str:
    return f"<{uuid.uuid4().hex}@{message_id_domain(organisation)}>"


@dataclass(frozen=True)
class Thread:
    """The Message-IDs of a complaint's conversation."""

    ids: tuple[str, ...]  # oldest first; the client's first message (if any) leads
    last_inbound: str  # the client's latest message, "" when none is known

    @property
    def parent(self) -> str:
        """What a new message answers: the client's latest message, else our latest."""
        return self.last_inbound or (self.ids[-1] if self.ids else "")


def thread_of(complaint: Complaint) -> Thread:
    """What the client sent us (as recorded in the chronology) and what we sent them."""
    # (rank, when, id, inbound): the message that opened the complaint comes first whatever
    # the clock says (its acknowledgement is queued before its registration event is written).
    dated: list[tuple[int, datetime, str, bool]] = []
    events = ComplaintEvent.objects.filter(
        complaint=complaint, event_type__in=INBOUND_EVENT_TYPES
    ).values_list("event_type", "recorded_at", "data")
    for event_type, recorded_at, data in events:
        value = data.get("message_id") if isinstance(data, dict) else None
        if isinstance(value, str) and threadable_id(value):
            rank = 0 if event_type == EventType.REGISTERED else 1
            dated.append((rank, recorded_at, threadable_id(value), True))
    sent = OutgoingMessage.objects.filter(complaint=complaint, kind__in=CLIENT_KINDS).values_list(
        "created_at", "message_id"
    )
    dated.extend((1, created_at, message_id, False) for created_at, message_id in sent)
    ordered: list[str] = []
    last_inbound = ""
    for _rank, _when, message_id, inbound in sorted(dated, key=lambda item: item[:2]):
        if inbound:
            last_inbound = message_id
        if message_id not in ordered:
            ordered.append(message_id)
    return Thread(tuple(ordered), last_inbound)


def _references(ids: tuple[str, ...]) -> str:
    if len(ids) > MAX_REFERENCES:
        ids = (ids[0], *ids[-(MAX_REFERENCES - 1) :])
    return " ".join(ids)


def _recipients(to: str | Sequence[str]) -> list[str]:
    items = to.split(",") if isinstance(to, str) else list(to)
    addresses = [item.strip() for item in items if item and item.strip()]
    if not addresses:
        raise ValidationError({"to": ["Aucun destinataire : indiquez au moins une adresse."]})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"to": [f"Adresse e-mail invalide : « {address} ». Corrigez-la puis réessayez."]}
            ) from None
    return addresses


def subject_with_reference(subject: str, complaint: Complaint | None) -> str:
    """One line, with the complaint's "[REF]" (added when missing), short enough to store: a
    long client name must never make the workflow action that sends the message fail."""
    subject = " ".join(subject.split())
    limit = OutgoingMessage._meta.get_field("subject").max_length
    if complaint is None:
        return subject if len(subject) <= limit else subject[: limit - 1] + "…"
    tag = f"[{complaint.reference}]"
    if tag in subject and len(subject) <= limit:
        return subject
    text = " ".join(subject.replace(tag, " ").split())
    room = limit - len(tag) - 1
    if len(text) > room:
        text = text[: room - 1] + "…"
    return f"{text} {tag}".strip()


def _body(text: str) -> str:
    # One final newline: an SMTP client adds it when missing, and the stored copy must be
    # byte for byte what the server received.
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"


def outbox_queue(
    *,
    organisation: Organisation,
    complaint: Complaint | None,
    kind: str,
    to: str | Sequence[str],
    subject: str,
    body_text: str,
    in_reply_to: str = "",
    references: str = "",
) -> OutgoingMessage:
    """Queue one message. Call INSIDE the transaction of the change that causes it: the row
    commits (and is later sent by the worker) only if that change commits.

    A message about a complaint carries its reference in the subject; a message to the client
    is threaded with the complaint's conversation unless `in_reply_to`/`references` are given.
    """
    if kind not in MessageKind.values:
        raise ValueError(f"Unknown message kind {kind!r}.")
    recipients = _recipients(to)
    if complaint is not None and complaint.organisation_id != organisation.pk:
        raise ValueError("The complaint belongs to another organisation.")
    in_reply_to = threadable_id(in_reply_to) if in_reply_to else ""
    references = " ".join(threadable_id(item) for item in references.split() if threadable_id(item))
    if in_reply_to and not references:
        references = in_reply_to
    if complaint is not None and kind in CLIENT_KINDS and not (in_reply_to or references):
        thread = thread_of(complaint)
        if thread.ids:
            in_reply_to = thread.parent
            references = _references(thread.ids)
    now = timezone.now()
    return OutgoingMessage.objects.create(
        organisation=organisation,
        complaint=complaint,
        kind=kind,
        to=", ".join(recipients),
        subject=subject_with_reference(subject, complaint),
        body_text=_body(body_text),
        message_id=new_message_id(organisation),
        in_reply_to=in_reply_to,
        references=references,
        status=OutgoingStatus.QUEUED,
        next_attempt_at=now,
        created_at=now,
    )


def message_template_save(
    *, organisation: Organisation, actor: User, kind: str, subject: str, body: str
) -> MessageTemplate:
    """Save the organisation's wording of `kind` after checking it renders with a sample
    complaint; raises ValidationError (subject/body -> French messages)."""
    if kind not in CLIENT_KINDS:
        raise ValidationError({"kind": ["Seuls les messages aux clients ont un modèle."]})
    subject = subject.strip()
    body = body.replace("\r\n", "\n").strip("\n") + "\n"
    _preview, errors = validate_template(kind, subject, body, sample_context(organisation, kind))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template, _created = MessageTemplate.objects.update_or_create(
            organisation=organisation,
            kind=kind,
            defaults={
                "subject": subject,
                "body": body,
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
    return template


def message_template_reset(*, organisation: Organisation, kind: str) -> bool:
    """Go back to the built-in wording of `kind`; True when there was an own one."""
    deleted, _ = MessageTemplate.objects.filter(organisation=organisation, kind=kind).delete()
    return deleted > 0
