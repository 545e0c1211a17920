"""Inbound mail into the register: parse, route, then record everything in one transaction.

`intake_process` is the only door for a message from the mailbox or a .eml file (triage.py
holds the doors for a person's decision on a message routing could not place). Every message
ends as an `InboundEmail` row (or is recognised as a duplicate of one), so that nothing is
silently dropped and nothing is registered twice.
"""

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext

from reclamations.complaints.enums import Channel, Status
from reclamations.complaints.fields import max_length
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.staff import Notice, notify_referent
from reclamations.complaints.queries import complaint_for
from reclamations.complaints.services import NewComplaint, complaint_register_with_original
from reclamations.core.languages import language_of
from reclamations.core.message_ids import storable_message_id
from reclamations.core.models import Organisation
from reclamations.core.rows import insert_new
from reclamations.intake.bounces import Bounce, bounce_of
from reclamations.intake.evidence import (
    HOW_RECEIVED,
    attach,
    eml_file,
    excerpt,
    received_email,
    reception_time,
    sender,
    sort_attachments,
    store_attachments,
    valid_email,
)
from reclamations.intake.forwarding import Forwarded, forwarded_original, received_when
from reclamations.intake.lookup import DatabaseLookup
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.parsing import InboundMessage, UnparseableMessage, parse_message
from reclamations.intake.routing import Route, RoutingDecision, content_fingerprint, route_message
from reclamations.outbox.delivery import record_bounce
from reclamations.outbox.models import OutgoingMessage

logger = logging.getLogger(__name__)


def _limit(name: str) -> int:
    """The length of an InboundEmail column: what a message says is cut to fit, never refused."""
    field = InboundEmail._meta.get_field(name)
    return (field.max_length if isinstance(field, Field) else None) or 0


# Not an InboundEmail outcome: a duplicate creates nothing.
DUPLICATE = "duplicate"
# The notice to the referent when an awaited answer arrives (an outbox kind, staff only).


@dataclass(frozen=True)
class IntakeResult:
    outcome: str  # an IntakeOutcome value, or DUPLICATE
    reference: str | None = None
    reason: str = ""
    inbound: InboundEmail | None = None


def _recorded(organisation: Organisation, message_id: str | None, sha256: str) -> bool:
    rows = InboundEmail.objects.filter(organisation=organisation)
    if message_id is None:
        return rows.filter(message_id__isnull=True, sha256=sha256).exists()
    return rows.filter(message_id=message_id, sha256=sha256).exists()


# --- intake -------------------------------------------------------------------------------------


def _inbound_record(
    organisation: Organisation,
    raw: bytes,
    message: InboundMessage,
    decision: RoutingDecision,
    source: str,
    arrived_at: datetime | None,
    mailbox_position: tuple[int | None, int | None],
) -> InboundEmail:
    """The message's record, waiting in triage until its route says otherwise (unsaved)."""
    mailbox_uid, mailbox_uidvalidity = mailbox_position
    return InboundEmail(
        organisation=organisation,
        source=source,
        size=len(raw),
        sha256=message.sha256,
        content_sha256=content_fingerprint(message),
        message_id=storable_message_id(message.message_id),
        subject=message.subject[: _limit("subject")],
        sender_name=message.sender_name[: _limit("sender_name")],
        sender_address=message.sender_address[: _limit("sender_address")],
        excerpt=excerpt(message.text),
        attachment_names=[attachment.filename for attachment in message.attachments],
        received_at=reception_time(arrived_at, message),
        processed_at=timezone.now(),
        outcome=IntakeOutcome.TRIAGE,
        reason=decision.reason,
        mailbox_uid=mailbox_uid,
        mailbox_uidvalidity=mailbox_uidvalidity,
    )


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
    lookup = DatabaseLookup(organisation)
    decision = route_message(message, lookup)
    if decision.route == Route.DUPLICATE:
        return IntakeResult(DUPLICATE, decision.reference or None, decision.reason)

    record = _inbound_record(
        organisation, raw, message, decision, source, arrived_at, (mailbox_uid, mailbox_uidvalidity)
    )
    if record.message_id and lookup.message_id_received(record.message_id):
        # Mailers and forwarders reuse Message-IDs: a different message is kept all the same.
        record.reason = (
            f"{record.reason} (Message-ID {record.message_id} déjà porté par un autre message "
            "reçu : celui-ci en diffère, il est conservé et traité à part)"
        ).strip()
    try:
        with transaction.atomic():
            # Saved first: a second worker holding the same message waits on the unique index
            # here, then fails, instead of registering the complaint a second time.
            insert_new(record)
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
        bounce = bounce_of(message)
        if bounce is not None:
            _record_bounce(record, bounce)
        return _keep(record, raw, IntakeOutcome.AUTO_REPLY, record.reason or decision.reason)
    return _keep(record, raw, IntakeOutcome.TRIAGE, decision.reason)


# What record.save(update_fields=["outcome", "complaint", "document"]) writes, written out: once
# per message registered or appended, and the ORM took ten times longer to build the UPDATE
# than the database to run it (bench/README.md, import-eml).
_OUTCOME_SQL = (
    f"UPDATE {InboundEmail._meta.db_table} SET outcome = %s, complaint_id = %s, "  # noqa: S608 - fixed names
    "document_id = %s WHERE id = %s"
)


def _save_outcome(record: InboundEmail) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            _OUTCOME_SQL, [record.outcome, record.complaint_id, record.document_id, record.pk]
        )


def _keep(record: InboundEmail, raw: bytes, outcome: str, reason: str) -> IntakeResult:
    """A message that goes to no complaint keeps its raw bytes on its own record."""
    record.raw.save("message.eml", ContentFile(raw), save=False)
    record.outcome = outcome
    record.reason = reason
    record.save(update_fields=["raw", "outcome", "reason", "complaint"])
    return IntakeResult(outcome, None, reason, record)


def _new_complaint(
    record: InboundEmail, message: InboundMessage, decision: RoutingDecision, raw: bytes
) -> IntakeResult:
    organisation = record.organisation
    attachments = sort_attachments(message.attachments)
    new = NewComplaint(
        channel=Channel.EMAIL,
        received_at=record.received_at,
        client_name=message.sender_name.strip()[: max_length("client_name")],
        client_email=valid_email(message.sender_address),
        client_language=language_of(message.content_language),
        description=message.text.strip(),
        reception_witness=HOW_RECEIVED[record.source],
        email=received_email(message, attachments),
    )
    forwarded = forwarded_original(message)
    if forwarded is not None:
        new = from_the_forwarded(new, forwarded, record.received_at)
    try:
        with transaction.atomic():
            complaint, original = complaint_register_with_original(
                organisation=organisation,
                actor=None,
                complaint=new,
                original=eml_file(raw, record.received_at, message.sha256),
            )
            store_attachments(complaint, attachments, None, message.subject)
    except ValidationError as error:
        # The register refused what the message says (e.g. an impossible date): a person
        # decides, with the reason in front of them; the message is not lost.
        reason = "Enregistrement automatique impossible : " + " ".join(error.messages)
        return _keep(record, raw, IntakeOutcome.TRIAGE, reason)
    record.outcome = IntakeOutcome.CREATED
    record.complaint = complaint
    record.document = original
    _save_outcome(record)
    return IntakeResult(IntakeOutcome.CREATED, complaint.reference, decision.reason, record)


def from_the_forwarded(
    new: NewComplaint, forwarded: Forwarded, arrived_at: datetime
) -> NewComplaint:
    """A complaint a member of staff forwarded: the client is the original's sender, the
    reception its date (when it reached the organisation), the text the original's; who
    forwarded it and when is the witness of that reception. `arrived_at`: when the forward
    reached the complaints mailbox. The triage inbox's registration reads a forward the same
    way (triage.triage_register)."""
    witness = (
        f"e-mail du client transféré par {forwarded.forwarder} "
        f"(arrivé dans la boîte des réclamations le {arrived_at:%d/%m/%Y à %H:%M} UTC)"
    )
    return replace(
        new,
        received_at=received_when(forwarded, arrived_at),
        client_name=forwarded.sender_name[: max_length("client_name")],
        client_email=valid_email(forwarded.sender_address),
        description=forwarded.text or new.description,
        reception_witness=witness,
    )


def _append(
    record: InboundEmail, message: InboundMessage, decision: RoutingDecision, raw: bytes
) -> IntakeResult:
    try:
        complaint = complaint_for(record.organisation, decision.reference or "")
    except Complaint.DoesNotExist:
        reason = f"Réponse à la réclamation {decision.reference}, introuvable dans le registre."
        return _keep(record, raw, IntakeOutcome.TRIAGE, reason)
    event = attach(record, message, raw, complaint, actor=None)
    if event.data.get("awaited"):
        _notify_referent(complaint, message)
    record.outcome = IntakeOutcome.APPENDED
    _save_outcome(record)
    return IntakeResult(IntakeOutcome.APPENDED, complaint.reference, decision.reason, record)


def _record_bounce(record: InboundEmail, bounce: Bounce) -> None:
    """A report that one of our messages was not delivered: that message failed (its
    complaint's chronology and referent are told by the outbox's listener)."""
    outgoing = (
        OutgoingMessage.objects.filter(
            organisation=record.organisation, message_id__in=bounce.message_ids
        )
        .select_related("complaint_link__complaint")
        .first()
    )
    if outgoing is None:
        return
    record_bounce(outgoing, bounce.reason)
    link = getattr(outgoing, "complaint_link", None)
    if link is not None:
        record.complaint = link.complaint
        record.reason = (
            f"avis de non-remise du message {outgoing.message_id} "
            f"(réclamation {link.complaint.reference}) : {bounce.reason}"
        )
    else:
        record.reason = f"avis de non-remise du message {outgoing.message_id} : {bounce.reason}"


def _notify_referent(complaint: Complaint, message: InboundMessage) -> None:
    """The complaint waited for this answer: tell the referent, by the outbox, after commit."""

    def notice() -> Notice:
        awaiting: dict[str, str] = {
            Status.AWAITING_INFORMATION: gettext("les informations complémentaires demandées"),
            Status.AWAITING_CONFIRMATION: gettext("la confirmation écrite demandée"),
        }
        values = {
            "reference": complaint.reference,
            "awaited": awaiting.get(complaint.status, gettext("une réponse")),
            "sender": sender(message.sender_name, message.sender_address),
            "subject": message.subject,
        }
        body = (
            gettext(
                "Un message du client est arrivé pour la réclamation %(reference)s, qui "
                "attendait %(awaited)s."
            )
            + "\n\n"
            + gettext("De : %(sender)s")
            + "\n"
            + gettext("Objet : %(subject)s")
        ) % values
        return Notice(
            subject=gettext("Message du client reçu"),
            body=f"{body}\n\n{excerpt(message.text)}",
            to_do=gettext("Enregistrez les informations reçues sur la fiche de la réclamation"),
        )

    notify_referent(complaint, notice)


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
