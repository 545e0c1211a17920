"""Complaints, documents and events as the API shows them (plain dicts; no query here).

Instants are given in the organisation's time zone, with their offset, as staff read them.
"""

from datetime import datetime
from typing import Any

from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.queries import RegisterRow
from reclamations.complaints.workflow import ACTION_LABELS, Action, allowed_actions
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.core.roles import can_handle

# Attaching a file needs a multipart upload, which the API does not take yet (web only).
API_ACTIONS = frozenset(Action) - {Action.ADD_DOCUMENT}

DETAIL_TEXT_FIELDS = (
    "reference",
    "backdating_reason",
    "procedure_version",
    "client_name",
    "client_account",
    "client_email",
    "client_phone",
    "client_address",
    "training",
    "description",
    "remedy_sought",
    "kind",
    "not_admissible_reason",
    "severity",
    "resolution",
    "client_acceptance",
    "mediator",
    "mediation_outcome",
    "litigation_court",
    "litigation_outcome",
    "channel",
    "status",
)
DETAIL_DATE_FIELDS = (
    "received_on",
    "clock_started_on",
    "due_date",
    "information_requested_on",
    "first_replied_on",
    "replied_on",
    "closed_on",
    "mediation_seized_on",
    "litigation_started_on",
)
# Choices left blank on the model: null in the API rather than "".
OPTIONAL_CHOICE_FIELDS = ("client_type", "funding", "category", "reply_channel", "outcome")


def _local(moment: datetime, organisation: Organisation) -> datetime:
    return moment.astimezone(local_zone(organisation))


def _status_label(status: str) -> str:
    return Status(status).label if status in Status.values else status


def register_item(row: RegisterRow, organisation: Organisation) -> dict[str, Any]:
    complaint = row.complaint
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "status_label": _status_label(complaint.status),
        "kind": complaint.kind,
        "channel": complaint.channel,
        "received_at": _local(complaint.received_at, organisation),
        "received_on": complaint.received_on,
        "client_name": complaint.client_name,
        "client_account": complaint.client_account,
        "due_date": complaint.due_date,
        "working_days_left": row.days_left,
        "urgency": row.urgency,
        "replied_on": complaint.replied_on,
        "replied_on_time": complaint.replied_on_time,
        "outcome": complaint.outcome or None,
    }


def document_item(document: Document, organisation: Organisation) -> dict[str, Any]:
    return {
        "name": document.original_name,
        "role": document.role,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "created_at": _local(document.created_at, organisation),
    }


def event_item(event: ComplaintEvent, organisation: Organisation) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "type": event.event_type,
        "label": EventType(event.event_type).label
        if event.event_type in EventType.values
        else event.event_type,
        "occurred_on": event.occurred_on,
        "recorded_at": _local(event.recorded_at, organisation),
        "actor": event.actor_name,
        "status_before": event.status_before,
        "status_after": event.status_after,
        "data": event.data,
        "hash": event.hash,
        "previous_hash": event.previous_hash,
    }


def actions_for(status: str, role: str) -> list[dict[str, str]]:
    if not can_handle(role):
        return []
    return [
        {"action": action.value, "label": ACTION_LABELS[action]}
        for action in allowed_actions(status)
        if action in API_ACTIONS
    ]


def complaint_detail(
    *,
    row: RegisterRow,
    documents: list[Document],
    events: list[ComplaintEvent],
    role: str,
) -> dict[str, Any]:
    complaint: Complaint = row.complaint
    organisation = complaint.organisation
    registered_by = complaint.registered_by
    return {
        **{name: getattr(complaint, name) for name in DETAIL_TEXT_FIELDS},
        **{name: getattr(complaint, name) for name in DETAIL_DATE_FIELDS},
        **{name: getattr(complaint, name) or None for name in OPTIONAL_CHOICE_FIELDS},
        "status_label": _status_label(complaint.status),
        "received_at": _local(complaint.received_at, organisation),
        "registered_at": _local(complaint.registered_at, organisation),
        "registered_by": registered_by.display_name if registered_by else None,
        "confirmation_pending": complaint.confirmation_pending,
        "replied_on_time": complaint.replied_on_time,
        "working_days_left": row.days_left,
        "urgency": row.urgency,
        "documents": [document_item(document, organisation) for document in documents],
        "events": [event_item(event, organisation) for event in events],
        "allowed_actions": actions_for(complaint.status, role),
    }
