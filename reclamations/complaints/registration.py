"""`complaint_register`: the door through which a complaint enters the register.

It validates everything first (French messages per field), then in one transaction: allocates
the reference, stores the complaint and its original, queues the acknowledgement (or the
request for written confirmation of a phone call) and writes the first chronology events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from reclamations.complaints.chronology import allocate_reference, append_event, document_data
from reclamations.complaints.documents import store_document
from reclamations.complaints.enums import (
    Channel,
    ClientLanguage,
    DocumentRole,
    EventType,
    Kind,
    Outcome,
    RequestChannel,
    Severity,
    Status,
)
from reclamations.complaints.fields import DETAIL_FIELDS
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.letter import letter_file, letter_problems
from reclamations.complaints.notifications.sending import send_to_client
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.validation import (
    Errors,
    check_backdating,
    check_details,
    check_file,
    check_reception_moment,
    clean_text,
    derived_client_type,
    refuse_unstorable,
)
from reclamations.complaints.workflow import treatment_status
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_date
from reclamations.core.models import Organisation, User
from reclamations.core.procedure import PhoneClock
from reclamations.core.procedures import label_in_force
from reclamations.core.rows import insert_new

# Channels whose complaint is acknowledged at once, by email; the others on demand.
ACKNOWLEDGED_AT_ONCE = frozenset({Channel.EMAIL, Channel.WEB, Channel.API})
FROM_TRIAGE = "Enregistrée depuis le tri des e-mails"


@dataclass(frozen=True)
class ReceivedEmail:
    """The email that brought a complaint, as its registration event records it."""

    message_id: str  # normalised, "" when it had none (or one too long to keep)
    subject: str
    sender: str  # "Name <address>"
    attachments: tuple[str, ...] = ()  # one French line per attachment
    from_triage: bool = False  # registered by a person from the triage inbox

    def event_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "subject": self.subject,
            "sender": self.sender,
        }
        if self.attachments:
            data["attachments"] = list(self.attachments)
        if self.from_triage:
            data["triage"] = FROM_TRIAGE
        return data


@dataclass(frozen=True)
class NewComplaint:
    """What staff (or an integration, or the mail channel) know of a complaint when it arrives.

    A reception before today needs `backdating_reason` from the person who registers it, unless
    the moment is attested by what received it (`reception_witness`: the complaints mailbox).
    """

    channel: str
    received_at: datetime
    client_name: str = ""
    client_account: str = ""
    client_type: str = ""
    funding: str = ""
    client_email: str = ""
    client_phone: str = ""
    client_address: str = ""
    client_language: str = ClientLanguage.FRENCH
    training: str = ""
    session: str = ""
    trainer: str = ""
    funder: str = ""
    description: str = ""
    remedy_sought: str = ""
    kind: str = Kind.COMPLAINT
    not_admissible_reason: str = ""
    category: str = ""
    severity: str = Severity.MEDIUM
    backdating_reason: str = ""
    reception_witness: str = ""
    confirmation_requested_via: str = RequestChannel.EMAIL
    email: ReceivedEmail | None = field(default=None)


def detail_values(fields: Mapping[str, str]) -> dict[str, str]:
    """The detail fields as they are checked and stored: cleaned, an unstated client language
    French."""
    values = {name: clean_text(fields.get(name, "")) for name in DETAIL_FIELDS}
    values["client_language"] = values["client_language"] or ClientLanguage.FRENCH
    return values


def checked_new_complaint(
    organisation: Organisation, complaint: NewComplaint, original: File[bytes] | None
) -> tuple[dict[str, str], date]:
    """The detail fields as stored and the local day of reception, or a ValidationError."""
    refuse_unstorable(vars(complaint))
    values = detail_values({name: getattr(complaint, name) for name in DETAIL_FIELDS})
    errors = Errors()
    if complaint.channel not in Channel.values:
        errors.add("channel", f"Canal inconnu. Valeurs admises : {', '.join(Channel.values)}.")
    check_details(values, errors)
    received_on = check_reception_moment(organisation, complaint.received_at, errors)
    if received_on is not None and not complaint.reception_witness:
        check_backdating(organisation, received_on, clean_text(complaint.backdating_reason), errors)
    if complaint.channel == Channel.PHONE and (
        complaint.confirmation_requested_via not in RequestChannel.values
    ):
        errors.add("confirmation_requested_via", "Indiquez comment la confirmation est demandée.")
    check_file(original, "original", errors)
    errors.raise_if_any()
    assert received_on is not None
    values["client_type"] = derived_client_type(values["funding"], values["client_type"])
    return values, received_on


def build_record(
    organisation: Organisation,
    actor: User | None,
    complaint: NewComplaint,
    values: dict[str, str],
    received_on: date,
    *,
    reference: str,
    registered_on: date,
    procedure_version: str | None = None,
) -> Complaint:
    """The complaint as registered, unsaved: its deadline, and the status of what it lacks (or
    closed at once as not admissible). Writes nothing (the benchmark's simulator uses it)."""
    policy = deadline_policy(organisation)
    is_phone = complaint.channel == Channel.PHONE
    waits = is_phone and policy.phone_clock_starts_at == PhoneClock.CONFIRMATION
    clock_started_on = None if waits else received_on
    record = Complaint(
        organisation=organisation,
        reference=reference,
        channel=complaint.channel,
        received_at=complaint.received_at,
        received_on=received_on,
        backdating_reason=clean_text(complaint.backdating_reason),
        registered_by=actor,
        procedure_version=(
            organisation.procedure_version if procedure_version is None else procedure_version
        ),
        clock_started_on=clock_started_on,
        due_date=policy.due_date_for(clock_started_on) if clock_started_on else None,
        confirmation_pending=is_phone,
        **values,
    )
    if values["kind"] == Kind.NOT_ADMISSIBLE:
        record.status = Status.CLOSED
        record.outcome = Outcome.NOT_ADMISSIBLE
        record.closed_on = registered_on
        record.confirmation_pending = False
    else:
        record.status = treatment_status(
            complete=not record.missing_fields, confirmation_pending=record.confirmation_pending
        )
    return record


def _acknowledgement(record: Complaint, email: ReceivedEmail | None) -> dict[str, str]:
    """The acknowledgement of a complaint received in writing, answering its email if any."""
    if record.channel not in ACKNOWLEDGED_AT_ONCE or record.status == Status.CLOSED:
        return {}  # registered as not admissible: nothing to acknowledge
    in_reply_to = email.message_id if email else ""
    return send_to_client(record, ClientMessage.ACKNOWLEDGEMENT, in_reply_to=in_reply_to)


def _recorded_fields(values: dict[str, str]) -> dict[str, str]:
    """The detail fields as the registration event says them: the client's language only when
    it is not French, the default (projection reads its absence so), so that a French client's
    event is what it was before the language was recorded."""
    if values.get("client_language") == ClientLanguage.FRENCH:
        return {name: value for name, value in values.items() if name != "client_language"}
    return values


def registration_data(
    record: Complaint, complaint: NewComplaint, values: dict[str, str], document: Document | None
) -> dict[str, Any]:
    """What the registration event says, besides the message it queued."""
    data: dict[str, Any] = {
        "channel": record.channel,
        "received_at": record.received_at.isoformat(),
        "due_date": record.due_date.isoformat() if record.due_date else None,
        "fields": _recorded_fields(values),
        **document_data(document),
        **(complaint.email.event_data() if complaint.email else {}),
    }
    if record.backdating_reason:
        data["backdating_reason"] = record.backdating_reason
    if complaint.reception_witness:
        data["reception_witness"] = complaint.reception_witness
    if record.missing_fields:
        data["missing"] = record.missing_fields
    if record.closed_on:
        # Registered as not admissible: closed on the day of registration, which the event's
        # own dates do not say (`verify` replays the register from the events).
        data["closed_on"] = record.closed_on.isoformat()
    return data


def _request_confirmation(record: Complaint, actor: User | None, via: str) -> None:
    """A phone complaint is always confirmed in writing: the request is the second event,
    e-mailed, or printed as a letter kept in the file (by phone: nothing to keep)."""
    today = local_date(record.organisation, timezone.now())
    sent = (
        send_to_client(record, ClientMessage.CONFIRMATION_REQUEST)
        if via == RequestChannel.EMAIL
        else {}
    )
    letter = None
    problems = letter_problems(record) if via == RequestChannel.LETTER else []
    if problems:
        # The call is registered all the same; the letter waits for the address.
        sent = {"letter": "non imprimée. " + " ".join(str(problem) for problem in problems)}
    elif via == RequestChannel.LETTER:
        letter = store_document(
            complaint=record,
            upload=letter_file(record, ClientMessage.CONFIRMATION_REQUEST, dated=today),
            role=DocumentRole.SENT_LETTER,
            created_by=actor,
            created_at=timezone.now(),
            to_post=True,
        )
        record.letters_to_post += 1
        record.save(update_fields=["letters_to_post"])
    append_event(
        complaint=record,
        event_type=EventType.CONFIRMATION_REQUESTED,
        actor=actor,
        occurred_on=today,
        status_before=record.status,
        data={"sent_via": via, **sent, **document_data(letter)},
        document=letter,
    )


@in_french
def complaint_register_with_original(
    *,
    organisation: Organisation,
    actor: User | None,
    complaint: NewComplaint,
    original: File[bytes] | None = None,
) -> tuple[Complaint, Document | None]:
    """complaint_register, also returning the Document stored from `original` (None without
    one): the mail intake links its record to it without reading it back, once per message."""
    values, received_on = checked_new_complaint(organisation, complaint, original)
    today = local_date(organisation, timezone.now())
    with transaction.atomic():
        record = build_record(
            organisation,
            actor,
            complaint,
            values,
            received_on,
            reference=allocate_reference(organisation, today.year),
            registered_on=today,
            # The version in force on the day of reception, even when registered later.
            procedure_version=label_in_force(organisation, received_on),
        )
        insert_new(record)
        document = None
        if original is not None:
            document = store_document(
                complaint=record,
                upload=original,
                role=DocumentRole.ORIGINAL,
                created_by=actor,
                created_at=timezone.now(),
            )
        data = registration_data(record, complaint, values, document)
        data.update(_acknowledgement(record, complaint.email))
        append_event(
            complaint=record,
            event_type=EventType.REGISTERED,
            actor=actor,
            occurred_on=received_on,
            status_before="",
            data=data,
            document=document,
        )
        if record.channel == Channel.PHONE and record.kind != Kind.NOT_ADMISSIBLE:
            _request_confirmation(record, actor, complaint.confirmation_requested_via)
    return record, document


@in_french
def complaint_register(
    *,
    organisation: Organisation,
    actor: User | None,
    complaint: NewComplaint,
    original: File[bytes] | None = None,
) -> Complaint:
    """Register a complaint as received: reference, status, due date, first events."""
    registered, _document = complaint_register_with_original(
        organisation=organisation, actor=actor, complaint=complaint, original=original
    )
    return registered
