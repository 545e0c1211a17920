"""`complaint_import`: the door through which a complaint of a register kept before the
application enters it, with its history.

An organisation arrives with years of complaints in a spreadsheet (reclamations.register_import
reads it). Each becomes a complaint received on its real day, replied to and closed on its real
days, so that it counts in the statistics of its period with its real delay. Its events say so,
in order and dated as the register says: registered (the day of reception, attested by the
register's file and line), imported (the mark: which file, which line, the reference it had),
then replied and closed when it was. Nothing goes to the client: no acknowledgement, no
request for a written confirmation, no reply by e-mail or letter; the reply events record what
was done then, without a copy (the file imported is the evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from reclamations.complaints import chain
from reclamations.complaints.chronology import allocate_reference, append_event
from reclamations.complaints.enums import EventType, Kind, Status
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.registration import (
    NewComplaint,
    build_record,
    checked_new_complaint,
    registration_data,
)
from reclamations.complaints.workflow import treatment_status
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation, User
from reclamations.core.procedures import label_in_force

UNKNOWN_TIME = "inconnue : le registre importé ne donne que le jour"


@dataclass(frozen=True)
class ImportSource:
    """The file of the register and the line a complaint was read from."""

    file_name: str
    file_sha256: str
    line: int
    source_reference: str = ""  # the reference the old register gave it, if any

    @property
    def witness(self) -> str:
        """What attests the day of reception (the registration event's reception_witness)."""
        return f"registre importé « {self.file_name} », ligne {self.line}"


@dataclass(frozen=True)
class PastComplaint:
    """A complaint as an old register tells it: its registration, then how far it went.

    `complaint.received_at` is the day of reception (at midnight when the register gives no
    time, `time_known` False). A complaint not admissible has `complaint.kind` NOT_ADMISSIBLE
    and its reason; it is closed on `closed_on` (else the day of reception).
    """

    complaint: NewComplaint
    source: ImportSource
    time_known: bool = True
    status_read: str = ""  # the status as the register wrote it
    replied_on: date | None = None
    resolution: str = ""
    announced_outcome: str = ""
    closed_on: date | None = None
    outcome: str = ""  # a closed complaint's outcome (a DECIDED_OUTCOMES value)
    actions: str = ""
    notes: tuple[str, ...] = ()
    cause: str = ""  # the cause the register gives, one of the organisation's


def reception_moment(organisation: Organisation, day: date, at: time | None) -> datetime:
    """The moment of reception of a day (midnight when the register gives no time), in the
    organisation's time zone."""
    return datetime.combine(day, at or time(0, 0), tzinfo=local_zone(organisation))


def import_problems(organisation: Organisation, past: PastComplaint) -> dict[str, list[str]]:
    """What the registration would refuse in `past` (French, per field), without writing: the
    same checks as any complaint's, the reception attested by the register."""
    try:
        checked_new_complaint(organisation, past.complaint, None)
    except ValidationError as error:
        return {name: list(messages) for name, messages in error.message_dict.items()}
    return {}


def _registered(
    organisation: Organisation, actor: User | None, past: PastComplaint, today: date
) -> Complaint:
    values, received_on = checked_new_complaint(organisation, past.complaint, None)
    record = build_record(
        organisation,
        actor,
        past.complaint,
        values,
        received_on,
        reference=allocate_reference(organisation, today.year),
        registered_on=today,
        procedure_version=label_in_force(organisation, received_on),
    )
    record.save()
    append_event(
        complaint=record,
        event_type=EventType.REGISTERED,
        actor=actor,
        occurred_on=received_on,
        status_before="",
        data=registration_data(record, past.complaint, values, None),
    )
    return record


def _changed(record: Complaint, changes: dict[str, Any]) -> dict[str, Any]:
    for name, value in changes.items():
        setattr(record, name, value)
    return chain.to_json_value(changes)  # type: ignore[no-any-return]


def _mark(record: Complaint, actor: User | None, past: PastComplaint, today: date) -> None:
    """The imported event: which file and line, and what the past settles at once (no written
    confirmation awaited; the clock started at the reception; a closure not admissible on its
    own day), and the cause the register gives."""
    changes: dict[str, Any] = {}
    if record.confirmation_pending:
        changes["confirmation_pending"] = False
    if record.clock_started_on is None:
        # A phone call whose clock waited for the written confirmation: the register does not
        # say when that came, so the strictest reading, the reception, starts it.
        changes["clock_started_on"] = record.received_on
        changes["due_date"] = deadline_policy(record.organisation).due_date_for(record.received_on)
    if record.kind == Kind.NOT_ADMISSIBLE:
        changes["closed_on"] = past.closed_on or record.received_on
    if past.cause:
        changes["cause"] = past.cause
    status_before = record.status
    recorded = _changed(record, changes)
    if record.status != Status.CLOSED:
        record.status = treatment_status(
            complete=not record.missing_fields, confirmation_pending=False
        )
    record.save()
    data: dict[str, Any] = {
        "source_file": past.source.file_name,
        "source_sha256": past.source.file_sha256,
        "line": past.source.line,
        "source_reference": past.source.source_reference,
        "status_read": past.status_read,
        "received_time": "" if past.time_known else UNKNOWN_TIME,
        "actions": past.actions,
        "note": "\n".join(past.notes),
    }
    data = {key: value for key, value in data.items() if value not in ("", None)}
    if recorded:
        data["changes"] = recorded
    append_event(
        complaint=record,
        event_type=EventType.IMPORTED,
        actor=actor,
        occurred_on=today,
        status_before=status_before,
        data=data,
    )


def _replied(record: Complaint, actor: User | None, past: PastComplaint) -> None:
    replied_on = past.replied_on
    assert replied_on is not None
    on_time = record.due_date is None or replied_on <= record.due_date
    status_before = record.status
    recorded = _changed(
        record,
        {
            "resolution": past.resolution,
            "replied_on": replied_on,
            "first_replied_on": replied_on,
            "replied_on_time": on_time,
        },
    )
    record.status = Status.REPLIED
    record.save()
    data: dict[str, Any] = {
        "imported_from": past.source.witness,
        "due_date": record.due_date.isoformat() if record.due_date else None,
        "on_time": on_time,
    }
    if past.announced_outcome:
        data["announced_outcome"] = past.announced_outcome
    data["changes"] = recorded
    append_event(
        complaint=record,
        event_type=EventType.REPLIED,
        actor=actor,
        occurred_on=replied_on,
        status_before=status_before,
        data=data,
    )


def _closed(record: Complaint, actor: User | None, past: PastComplaint) -> None:
    closed_on = past.closed_on or past.replied_on
    assert closed_on is not None and past.outcome
    status_before = record.status
    recorded = _changed(record, {"outcome": past.outcome, "closed_on": closed_on})
    record.status = Status.CLOSED
    record.save()
    append_event(
        complaint=record,
        event_type=EventType.CLOSED,
        actor=actor,
        occurred_on=closed_on,
        status_before=status_before,
        data={"imported_from": past.source.witness, "changes": recorded},
    )


@in_french
def complaint_import(
    *, organisation: Organisation, actor: User | None, past: PastComplaint, today: date
) -> Complaint:
    """Enter a complaint of an old register with its history, in one transaction: registered
    on its day of reception, marked as imported, then replied to and closed on the register's
    days. Sends nothing. Raises ValidationError (field -> French messages) as the registration
    does."""
    if past.outcome and past.replied_on is None and past.closed_on is None:
        raise ValidationError({"closed_on": ["Une réclamation close a une date de clôture."]})
    with transaction.atomic():
        record = _registered(organisation, actor, past, today)
        _mark(record, actor, past, today)
        if past.replied_on is not None and record.kind != Kind.NOT_ADMISSIBLE:
            _replied(record, actor, past)
        if past.outcome and record.kind != Kind.NOT_ADMISSIBLE:
            _closed(record, actor, past)
    return record
