"""What a message gives the register: its facts for the chronology, its attachments kept as
documents, and its raw bytes kept as evidence. Used by intake and by the triage decisions."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.utils import timezone

from reclamations.complaints.actions.record import ADD_DOCUMENT
from reclamations.complaints.documents import EmailMessageFile, check_upload
from reclamations.complaints.enums import DocumentRole
from reclamations.complaints.fields import max_length
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.services import (
    ReceivedEmail,
    complaint_apply,
    complaint_record_message,
)
from reclamations.core.message_ids import storable_message_id
from reclamations.core.models import User
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.parsing import Attachment, InboundMessage

EXCERPT_LENGTH = 500
# The start of an attached Outlook message's text, in the chronology's list of attachments.
OUTLOOK_EXCERPT_LENGTH = 300
# What attests the moment a message was received (the registration event records it).
HOW_RECEIVED: dict[str, str] = {
    IntakeSource.IMAP: "relevé de la boîte des réclamations",
    IntakeSource.EML: "import d'un fichier .eml",
}


@dataclass(frozen=True)
class SortedAttachments:
    """Attachments that become documents, and a French line per attachment for the chronology."""

    kept: tuple[Attachment, ...]
    lines: tuple[str, ...]


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The start of a text, cut at EXCERPT_LENGTH with an ellipsis."""
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def sender(name: str, address: str) -> str:
    """ "Name <address>", or whichever of the two is known."""
    if name and address:
        return f"{name} <{address}>"
    return name or address


def valid_email(address: str) -> str:
    """The address when the register can keep it and send to it, else "" (left to a person)."""
    if len(address) > (max_length("client_email") or 0):
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def sort_attachments(attachments: tuple[Attachment, ...]) -> SortedAttachments:
    """Keep as documents what staff could have uploaded (PDF, JPEG, PNG within the size limit);
    anything else stays inside the raw message, which is kept whole anyway."""
    kept: list[Attachment] = []
    lines: list[str] = []
    unpacked = {attachment.unpacked_from for attachment in attachments}
    for attachment in attachments:
        name = attachment.filename
        if attachment.unpacked_from:
            name = f"{name} (extraite de {attachment.unpacked_from})"
        try:
            check_upload(
                name=attachment.filename,
                content=attachment.payload,
                size=len(attachment.payload),
            )
        except ValidationError as error:
            why = {
                "empty": "fichier vide",
                "too_large": "trop volumineuse",
                "bad_type": "seuls PDF, JPEG et PNG sont conservés à part",
                "active_content": "fichier piégé : il contient du code",
            }.get(error.code or "", "non conservée à part")
            if attachment.filename in unpacked and not attachment.unpacked_from:
                why = "enveloppe Outlook (TNEF) dont les fichiers ont été extraits"
            lines.append(f"{name} : gardée dans le message d'origine ({why}){_outlook(attachment)}")
        else:
            kept.append(attachment)
            lines.append(f"{name} : conservée comme document")
    return SortedAttachments(tuple(kept), tuple(lines))


def _outlook(attachment: Attachment) -> str:
    """What an attached Outlook message says, for the chronology: a referent reads it there
    without an Outlook to open the .msg."""
    outlook = attachment.outlook
    if outlook is None:
        return ""
    facts = [f"de {sender(outlook.sender_name, outlook.sender_address) or 'expéditeur inconnu'}"]
    if outlook.sent_at is not None:
        facts.append(f"envoyé le {outlook.sent_at:%d/%m/%Y à %H:%M} UTC")
    facts.append(f"objet « {outlook.subject} »" if outlook.subject else "sans objet")
    text = f" : {excerpt(outlook.text, OUTLOOK_EXCERPT_LENGTH)}" if outlook.text else ""
    return f" ; message Outlook {', '.join(facts)}{text}"


def reception_time(arrived_at: datetime | None, message: InboundMessage | None) -> datetime:
    """When the message reached us: the mailbox's date, else its newest Received: header, else
    its Date: header, else now. Never in the future: senders' clocks are often wrong."""
    now = timezone.now()
    candidates = [arrived_at]
    if message is not None:
        candidates += [message.arrived_at, message.date]
    moment = next((value for value in candidates if value is not None), now)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return min(moment, now)


def eml_file(raw: bytes, received_at: datetime, sha256: str) -> EmailMessageFile:
    """The raw message as a file to keep, named after its arrival and hash."""
    return EmailMessageFile(raw, name=f"e-mail-{received_at:%Y%m%d-%H%M%S}-{sha256[:8]}.eml")


def message_data(
    message: InboundMessage, attachments: SortedAttachments, received_at: datetime
) -> dict[str, Any]:
    """What a message-received event says: its facts and its attachments' fate."""
    data: dict[str, Any] = {
        "received_at": received_at.isoformat(),
        "message_id": storable_message_id(message.message_id) or "",
        "subject": message.subject,
        "sender": sender(message.sender_name, message.sender_address),
        "excerpt": excerpt(message.text),
    }
    if attachments.lines:
        data["attachments"] = list(attachments.lines)
    return data


def received_email(
    message: InboundMessage, attachments: SortedAttachments, *, from_triage: bool = False
) -> ReceivedEmail:
    """The message's facts as the registration event records them."""
    return ReceivedEmail(
        message_id=storable_message_id(message.message_id) or "",
        subject=message.subject,
        sender=sender(message.sender_name, message.sender_address),
        attachments=attachments.lines,
        from_triage=from_triage,
    )


def store_attachments(
    complaint: Complaint, attachments: SortedAttachments, actor: User | None, subject: str
) -> None:
    # Through the workflow's door, so that each one is a chained event with its SHA-256.
    """Keep each attachment staff could have uploaded as a document of the complaint."""
    for attachment in attachments.kept:
        complaint_apply(
            complaint=complaint,
            actor=actor,
            action=ADD_DOCUMENT,
            data={
                "role": DocumentRole.ATTACHMENT,
                "description": f"Pièce jointe de l'e-mail « {subject} »"
                if subject
                else "Pièce jointe d'un e-mail",
            },
            document=ContentFile(attachment.payload, name=attachment.filename),
        )


def inbound_raw(inbound: InboundEmail) -> bytes:
    """The message's bytes, exactly as received."""
    stored = inbound.raw if inbound.raw else inbound.document.file if inbound.document else None
    if not stored:
        raise FileNotFoundError(f"Aucun fichier pour le message n° {inbound.pk}.")
    with stored.open("rb") as stream:
        raw: bytes = stream.read()  # a FieldFile's type does not say the mode
    return raw


def attach(
    record: InboundEmail,
    message: InboundMessage | None,
    raw: bytes,
    complaint: Complaint,
    actor: User | None,
) -> ComplaintEvent:
    """Add the message to the complaint's chronology, its raw bytes and attachments kept."""
    if message is None:  # a quarantined message a person attached: only the bytes are known
        attachments = SortedAttachments((), ())
        data: dict[str, Any] = {
            "received_at": record.received_at.isoformat(),
            "message_id": "",
            "subject": "(message illisible)",
            "sender": "",
            "excerpt": "",
        }
    else:
        attachments = sort_attachments(message.attachments)
        data = message_data(message, attachments, record.received_at)
    event = complaint_record_message(
        complaint=complaint,
        actor=actor,
        message=data,
        document=eml_file(raw, record.received_at, record.sha256),
        received_at=record.received_at,
    )
    store_attachments(complaint, attachments, actor, data["subject"])
    record.complaint = complaint
    record.document = event.document
    return event
