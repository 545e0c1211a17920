"""Inbound mail into the register: parse, route, then record everything in one transaction.

`intake_process` is the only door for a message from the mailbox or a .eml file; the triage
services below are the doors for a person's decision on a message routing could not place.
Every message ends as an `InboundEmail` row (or is recognised as a duplicate of one), so that
nothing is silently dropped and nothing is registered twice.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.documents import EmailMessageFile, check_upload
from reclamations.complaints.enums import Channel, DocumentRole, Kind, Status
from reclamations.complaints.fields import DETAIL_FIELDS
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.notifications.sending import notify_staff
from reclamations.complaints.queries import complaint_for
from reclamations.complaints.services import (
    Action,
    NewComplaint,
    ReceivedEmail,
    complaint_apply,
    complaint_record_message,
    complaint_register_with_original,
)
from reclamations.core.message_ids import storable_message_id
from reclamations.core.models import Organisation, User
from reclamations.intake.lookup import DatabaseLookup
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.parsing import (
    Attachment,
    InboundMessage,
    UnparseableMessage,
    parse_message,
)
from reclamations.intake.routing import Route, RoutingDecision, route_message

logger = logging.getLogger(__name__)

# Not an InboundEmail outcome: a duplicate creates nothing.
DUPLICATE = "duplicate"
EXCERPT_LENGTH = 500
# The notice to the referent when an awaited answer arrives (an outbox kind, staff only).
STAFF_NOTICE = "staff_notice"
# What attests the moment a message was received (the registration event records it).
HOW_RECEIVED = {
    IntakeSource.IMAP: "relevé de la boîte des réclamations",
    IntakeSource.EML: "import d'un fichier .eml",
}


@dataclass(frozen=True)
class IntakeResult:
    outcome: str  # an IntakeOutcome value, or DUPLICATE
    reference: str | None = None
    reason: str = ""
    inbound: InboundEmail | None = None


@dataclass(frozen=True)
class SortedAttachments:
    """Attachments that become documents, and a French line per attachment for the chronology."""

    kept: tuple[Attachment, ...]
    lines: tuple[str, ...]


# --- helpers ------------------------------------------------------------------------------------


def _excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    text = text.strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _sender(name: str, address: str) -> str:
    if name and address:
        return f"{name} <{address}>"
    return name or address


def _valid_email(address: str) -> str:
    if len(address) > 254:  # the register's column; no real address is that long
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
    for attachment in attachments:
        try:
            check_upload(
                name=attachment.filename,
                head=attachment.payload[:8192],
                size=len(attachment.payload),
            )
        except ValidationError as error:
            why = {
                "empty": "fichier vide",
                "too_large": "trop volumineuse",
                "bad_type": "seuls PDF, JPEG et PNG sont conservés à part",
            }.get(error.code or "", "non conservée à part")
            lines.append(f"{attachment.filename} : gardée dans le message d'origine ({why})")
        else:
            kept.append(attachment)
            lines.append(f"{attachment.filename} : conservée comme document")
    return SortedAttachments(tuple(kept), tuple(lines))


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


def _eml_file(raw: bytes, received_at: datetime, sha256: str) -> EmailMessageFile:
    return EmailMessageFile(raw, name=f"e-mail-{received_at:%Y%m%d-%H%M%S}-{sha256[:8]}.eml")


def _message_data(
    message: InboundMessage, attachments: SortedAttachments, received_at: datetime
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_at": received_at.isoformat(),
        "message_id": storable_message_id(message.message_id) or "",
        "subject": message.subject,
        "sender": _sender(message.sender_name, message.sender_address),
        "excerpt": _excerpt(message.text),
    }
    if attachments.lines:
        data["attachments"] = list(attachments.lines)
    return data


def _received_email(
    message: InboundMessage, attachments: SortedAttachments, *, from_triage: bool = False
) -> ReceivedEmail:
    return ReceivedEmail(
        message_id=storable_message_id(message.message_id) or "",
        subject=message.subject,
        sender=_sender(message.sender_name, message.sender_address),
        attachments=attachments.lines,
        from_triage=from_triage,
    )


def _store_attachments(
    complaint: Complaint, attachments: SortedAttachments, actor: User | None, subject: str
) -> None:
    # Through the workflow's door, so that each one is a chained event with its SHA-256.
    for attachment in attachments.kept:
        complaint_apply(
            complaint=complaint,
            actor=actor,
            action=Action.ADD_DOCUMENT,
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
        return stream.read()


def _recorded(organisation: Organisation, message_id: str | None, sha256: str) -> bool:
    rows = InboundEmail.objects.filter(organisation=organisation)
    if message_id is None:
        return rows.filter(message_id__isnull=True, sha256=sha256).exists()
    return rows.filter(message_id=message_id).exists()


# --- intake -------------------------------------------------------------------------------------


def intake_process(
    *,
    organisation: Organisation,
    raw: bytes,
    arrived_at: datetime | None,
    source: str,
    mailbox_uid: int | None = None,
    mailbox_uidvalidity: int | None = None,
) -> IntakeResult:
    """Parse, route and record one message; all of it commits together or not at all.

    Processing the same bytes again returns DUPLICATE and changes nothing, so a mailbox
    re-read after a crash registers nothing twice.
    """
    if source not in IntakeSource.values:
        raise ValueError(f"Unknown intake source {source!r}")
    try:
        message = parse_message(raw)
    except UnparseableMessage as error:
        return _quarantine(
            organisation=organisation,
            raw=raw,
            arrived_at=arrived_at,
            source=source,
            reason=str(error),
            mailbox_uid=mailbox_uid,
            mailbox_uidvalidity=mailbox_uidvalidity,
        )
    decision = route_message(message, DatabaseLookup(organisation))
    if decision.route == Route.DUPLICATE:
        return IntakeResult(DUPLICATE, decision.reference or None, decision.reason)

    received_at = reception_time(arrived_at, message)
    record = InboundEmail(
        organisation=organisation,
        source=source,
        size=len(raw),
        sha256=message.sha256,
        message_id=storable_message_id(message.message_id),
        subject=message.subject[:500],
        sender_name=message.sender_name[:200],
        sender_address=message.sender_address[:320],
        excerpt=_excerpt(message.text),
        attachment_names=[attachment.filename for attachment in message.attachments],
        received_at=received_at,
        processed_at=timezone.now(),
        outcome=IntakeOutcome.TRIAGE,
        reason=decision.reason,
        mailbox_uid=mailbox_uid,
        mailbox_uidvalidity=mailbox_uidvalidity,
    )
    try:
        with transaction.atomic():
            # Saved first: a second worker holding the same message waits on the unique index
            # here, then fails, instead of registering the complaint a second time.
            record.save()
            return _apply_route(record, message, decision, raw)
    except IntegrityError:
        if _recorded(organisation, record.message_id, message.sha256):
            return IntakeResult(DUPLICATE, None, "Message déjà traité par un autre processus.")
        raise


def _apply_route(
    record: InboundEmail, message: InboundMessage, decision: RoutingDecision, raw: bytes
) -> IntakeResult:
    if decision.route == Route.NEW_COMPLAINT:
        return _new_complaint(record, message, decision, raw)
    if decision.route == Route.APPEND and decision.reference:
        return _append(record, message, decision, raw)
    if decision.route == Route.AUTO_REPLY:
        return _keep(record, raw, IntakeOutcome.AUTO_REPLY, decision.reason)
    return _keep(record, raw, IntakeOutcome.TRIAGE, decision.reason)


def _keep(record: InboundEmail, raw: bytes, outcome: str, reason: str) -> IntakeResult:
    """A message that goes to no complaint keeps its raw bytes on its own record."""
    record.raw.save("message.eml", ContentFile(raw), save=False)
    record.outcome = outcome
    record.reason = reason
    record.save(update_fields=["raw", "outcome", "reason"])
    return IntakeResult(outcome, None, reason, record)


def _new_complaint(
    record: InboundEmail, message: InboundMessage, decision: RoutingDecision, raw: bytes
) -> IntakeResult:
    organisation = record.organisation
    attachments = sort_attachments(message.attachments)
    new = NewComplaint(
        channel=Channel.EMAIL,
        received_at=record.received_at,
        client_name=message.sender_name.strip()[:200],
        client_email=_valid_email(message.sender_address),
        description=message.text.strip(),
        reception_witness=HOW_RECEIVED[record.source],
        email=_received_email(message, attachments),
    )
    try:
        with transaction.atomic():
            complaint, original = complaint_register_with_original(
                organisation=organisation,
                actor=None,
                complaint=new,
                original=_eml_file(raw, record.received_at, message.sha256),
            )
            _store_attachments(complaint, attachments, None, message.subject)
    except ValidationError as error:
        # The register refused what the message says (e.g. an impossible date): a person
        # decides, with the reason in front of them; the message is not lost.
        reason = "Enregistrement automatique impossible : " + " ".join(error.messages)
        return _keep(record, raw, IntakeOutcome.TRIAGE, reason)
    record.outcome = IntakeOutcome.CREATED
    record.complaint = complaint
    record.document = original
    record.save(update_fields=["outcome", "complaint", "document"])
    return IntakeResult(IntakeOutcome.CREATED, complaint.reference, decision.reason, record)


def _append(
    record: InboundEmail, message: InboundMessage, decision: RoutingDecision, raw: bytes
) -> IntakeResult:
    try:
        complaint = complaint_for(record.organisation, decision.reference or "")
    except Complaint.DoesNotExist:
        reason = f"Réponse à la réclamation {decision.reference}, introuvable dans le registre."
        return _keep(record, raw, IntakeOutcome.TRIAGE, reason)
    event = _attach(record, message, raw, complaint, actor=None)
    if event.data.get("awaited"):
        _notify_referent(complaint, message)
    record.outcome = IntakeOutcome.APPENDED
    record.save(update_fields=["outcome", "complaint", "document"])
    return IntakeResult(IntakeOutcome.APPENDED, complaint.reference, decision.reason, record)


def _attach(
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
        data = _message_data(message, attachments, record.received_at)
    event = complaint_record_message(
        complaint=complaint,
        actor=actor,
        message=data,
        document=_eml_file(raw, record.received_at, record.sha256),
        received_at=record.received_at,
    )
    _store_attachments(complaint, attachments, actor, data["subject"])
    record.complaint = complaint
    record.document = event.document
    return event


def _notify_referent(complaint: Complaint, message: InboundMessage) -> None:
    """The complaint waited for this answer: tell the referent, by the outbox, after commit."""
    organisation = complaint.organisation
    if not organisation.referent_email:
        logger.warning(
            "Réponse attendue reçue pour %s, mais l'organisme n'a pas d'e-mail de référent.",
            complaint.reference,
        )
        return
    awaited = {
        Status.AWAITING_INFORMATION: "les informations complémentaires demandées",
        Status.AWAITING_CONFIRMATION: "la confirmation écrite demandée",
    }.get(complaint.status, "une réponse")
    link = settings.RECLAMATIONS_BASE_URL + reverse(
        "complaint_detail", kwargs={"reference": complaint.reference}
    )
    try:
        notify_staff(
            complaint,
            kind=STAFF_NOTICE,
            to=organisation.referent_email,
            subject="Message du client reçu",
            body_text=(
                f"Un message du client est arrivé pour la réclamation {complaint.reference}, "
                f"qui attendait {awaited}.\n\n"
                f"De : {_sender(message.sender_name, message.sender_address)}\n"
                f"Objet : {message.subject}\n\n"
                f"{_excerpt(message.text)}\n\n"
                f"Enregistrez les informations reçues sur la fiche de la réclamation :\n{link}\n"
            ),
        )
    except ValidationError as error:
        # The notice is a convenience: the message itself is recorded and shown on the page.
        logger.warning("Avis au référent non envoyé pour %s : %s", complaint.reference, error)


def _quarantine(
    *,
    organisation: Organisation,
    raw: bytes,
    arrived_at: datetime | None,
    source: str,
    reason: str,
    mailbox_uid: int | None,
    mailbox_uidvalidity: int | None,
) -> IntakeResult:
    sha256 = hashlib.sha256(raw).hexdigest()
    if _recorded(organisation, None, sha256):
        return IntakeResult(DUPLICATE, None, "Message illisible déjà mis en quarantaine.")
    record = InboundEmail(
        organisation=organisation,
        source=source,
        size=len(raw),
        sha256=sha256,
        received_at=reception_time(arrived_at, None),
        processed_at=timezone.now(),
        outcome=IntakeOutcome.QUARANTINED,
        reason=reason,
        mailbox_uid=mailbox_uid,
        mailbox_uidvalidity=mailbox_uidvalidity,
    )
    try:
        with transaction.atomic():
            record.raw.save("message.eml", ContentFile(raw), save=False)
            record.save()
    except IntegrityError:
        if _recorded(organisation, None, sha256):
            return IntakeResult(DUPLICATE, None, "Message illisible déjà mis en quarantaine.")
        raise
    return IntakeResult(IntakeOutcome.QUARANTINED, None, reason, record)


# --- triage decisions ---------------------------------------------------------------------------


def _lock_waiting(inbound: InboundEmail) -> InboundEmail:
    locked = (
        # of=self: PostgreSQL cannot lock the nullable side (document) of the outer join.
        InboundEmail.objects.select_for_update(of=("self",))
        .select_related("organisation", "document")
        .get(pk=inbound.pk)
    )
    if not locked.is_waiting:
        raise ValidationError(
            {
                "__all__": [
                    f"Ce message a déjà été traité ({locked.get_outcome_display().lower()}) : "
                    "rechargez la page du tri."
                ]
            }
        )
    return locked


def _parsed(raw: bytes) -> InboundMessage | None:
    try:
        return parse_message(raw)
    except UnparseableMessage:
        return None


def _decided(record: InboundEmail, actor: User, outcome: str, reason: str) -> None:
    record.outcome = outcome
    record.decided_by = actor
    record.decided_at = timezone.now()
    record.decision_reason = reason
    record.save(
        update_fields=[
            "outcome",
            "complaint",
            "document",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )


def triage_register(*, inbound: InboundEmail, actor: User, details: dict[str, str]) -> Complaint:
    """Register a message of the triage inbox as a complaint (or a difficulty, an incident, a
    request not admissible): the person applies the procedure's definition, not the subject."""
    with transaction.atomic():
        record = _lock_waiting(inbound)
        organisation = record.organisation
        raw = inbound_raw(record)
        message = _parsed(raw)
        attachments = (
            sort_attachments(message.attachments) if message else SortedAttachments((), ())
        )
        email = (
            _received_email(message, attachments, from_triage=True)
            if message is not None
            else ReceivedEmail("", "(message illisible)", "", from_triage=True)
        )
        values = {
            name: str(details.get(name) or "").strip() for name in DETAIL_FIELDS if name in details
        }
        complaint, original = complaint_register_with_original(
            organisation=organisation,
            actor=actor,
            complaint=NewComplaint(
                channel=Channel.EMAIL,
                received_at=record.received_at,
                reception_witness=HOW_RECEIVED[record.source],
                email=email,
                **{**values, "kind": values.get("kind") or Kind.COMPLAINT},
            ),
            original=_eml_file(raw, record.received_at, record.sha256),
        )
        _store_attachments(complaint, attachments, actor, message.subject if message else "")
        record.complaint = complaint
        record.document = original
        _decided(
            record,
            actor,
            IntakeOutcome.REGISTERED_FROM_TRIAGE,
            f"Enregistré comme « {complaint.get_kind_display()} » ({complaint.reference}).",
        )
    inbound.refresh_from_db()
    return complaint


def triage_attach(*, inbound: InboundEmail, actor: User, reference: str) -> Complaint:
    """Add a message of the triage inbox to the chronology of an existing complaint."""
    reference = reference.strip().upper()
    if not reference:
        raise ValidationError({"reference": ["Indiquez la référence de la réclamation."]})
    with transaction.atomic():
        record = _lock_waiting(inbound)
        try:
            complaint = complaint_for(record.organisation, reference)
        except Complaint.DoesNotExist:
            raise ValidationError(
                {
                    "reference": [
                        f"Aucune réclamation « {reference} » dans votre registre : vérifiez la "
                        "référence (par exemple REC-2026-0042)."
                    ]
                }
            ) from None
        raw = inbound_raw(record)
        _attach(record, _parsed(raw), raw, complaint, actor)
        _decided(
            record,
            actor,
            IntakeOutcome.ATTACHED_FROM_TRIAGE,
            f"Rattaché à la réclamation {complaint.reference}.",
        )
    inbound.refresh_from_db()
    return complaint


def triage_dismiss(*, inbound: InboundEmail, actor: User, reason: str) -> InboundEmail:
    """Set a message aside (spam, advertising, a question answered elsewhere), with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": [
                    "Indiquez pourquoi ce message est écarté (par exemple : publicité, question "
                    "sans lien avec une formation) : le motif est conservé."
                ]
            }
        )
    with transaction.atomic():
        record = _lock_waiting(inbound)
        _decided(record, actor, IntakeOutcome.DISMISSED, reason)
    inbound.refresh_from_db()
    return inbound
