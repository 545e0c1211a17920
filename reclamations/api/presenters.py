"""Complaints, documents and events as the API shows them (plain dicts; no query here).

Instants are given in the organisation's time zone, with their offset, as staff read them.
"""

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import models
from django.urls import reverse

from reclamations.complaints.actions import ComplaintState, available_actions
from reclamations.complaints.enums import event_label, status_label
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.queries import RegisterRow
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.core.roles import can_handle
from reclamations.reporting.journal import JournalEntry
from reclamations.reporting.statistics import Line, Spread, Statistics


def _stored_values(complaint: Complaint) -> dict[str, Any]:
    """The complaint's own columns as the API gives them: a choice left blank is null rather
    than "" (a value, or nothing), dates as dates; instants are given apart, in local time."""
    values: dict[str, Any] = {}
    for field in Complaint._meta.concrete_fields:
        if field.is_relation or field.primary_key or isinstance(field, models.DateTimeField):
            continue
        value = getattr(complaint, field.attname)
        if field.choices and field.blank and value == "":
            value = None
        values[field.name] = value
    return values


def _local(moment: datetime, organisation: Organisation) -> datetime:
    return moment.astimezone(local_zone(organisation))


def register_item(row: RegisterRow, organisation: Organisation) -> dict[str, Any]:
    complaint = row.complaint
    return {
        "reference": complaint.reference,
        "status": complaint.status,
        "status_label": status_label(complaint.status),
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


def document_items(
    documents: list[Document], organisation: Organisation, reference: str
) -> list[dict[str, Any]]:
    """The complaint's documents in the order stored; each of a kind numbered (a letter
    printed again is version 2, the first one stays), with the URL of its exact bytes."""
    versions: Counter[str] = Counter()
    items = []
    for document in documents:
        versions[document.role] += 1
        items.append(
            {
                "id": document.pk,
                "name": document.original_name,
                "role": document.role,
                "role_label": document.get_role_display(),
                "version": versions[document.role],
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "created_at": _local(document.created_at, organisation),
                "download_url": reverse(
                    "api-v1:complaint_document_download", args=[reference, document.pk]
                ),
            }
        )
    return items


def event_item(event: ComplaintEvent, organisation: Organisation) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "type": event.event_type,
        "label": event_label(event.event_type),
        "occurred_on": event.occurred_on,
        "recorded_at": _local(event.recorded_at, organisation),
        "actor": event.actor_name,
        "status_before": event.status_before,
        "status_after": event.status_after,
        "data": event.data,
        "hash": event.hash,
        "previous_hash": event.previous_hash,
    }


def actions_for(complaint: Complaint, role: str) -> list[dict[str, str]]:
    """What the caller may apply now: the same actions as the web offers."""
    if not can_handle(role):
        return []
    return [
        {"action": spec.name, "label": str(spec.label)}
        for spec in available_actions(ComplaintState.of(complaint))
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
        **_stored_values(complaint),
        "status_label": status_label(complaint.status),
        "received_at": _local(complaint.received_at, organisation),
        "registered_at": _local(complaint.registered_at, organisation),
        "registered_by": registered_by.display_name if registered_by else None,
        "working_days_left": row.days_left,
        "urgency": row.urgency,
        "documents": document_items(documents, organisation, complaint.reference),
        "events": [event_item(event, organisation) for event in events],
        "allowed_actions": actions_for(complaint, role),
    }


def journal_item(entry: JournalEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "recorded_at": entry.recorded_at,
        "occurred_on": entry.occurred_on,
        "reference": entry.reference,
        "event_type": entry.event_type,
        "label": entry.label,
        "actor": entry.actor_name,
        "status_before": entry.status_before,
        "status_after": entry.status_after,
        "data": entry.data,
        "hash": entry.hash,
    }


def _spread(spread: Spread) -> dict[str, Any]:
    return {"complaints": spread.count, "median": spread.median, "p90": spread.p90}


def _lines(lines: tuple[Line, ...]) -> list[dict[str, Any]]:
    return [{"label": line.label, "value": line.value, "previous": line.previous} for line in lines]


def statistics_out(figures: Statistics) -> dict[str, Any]:
    """The statistics page's figures, each with the compared period's."""
    return {
        "period": {"from": figures.period.start, "to": figures.period.end},
        "scope": dict(figures.scope),
        "compared": {"from": figures.compared.start, "to": figures.compared.end},
        "unit": figures.unit,
        "received": {"value": figures.received, "previous": figures.received_before},
        "by_month": _lines(figures.by_month),
        **{breakdown.key: _lines(breakdown.lines) for breakdown in figures.breakdowns},
        "days_to_acknowledge": {
            "value": _spread(figures.to_acknowledge),
            "previous": _spread(figures.to_acknowledge_before),
        },
        "days_to_reply": {
            "value": _spread(figures.to_reply),
            "previous": _spread(figures.to_reply_before),
        },
        "replied_on_time": {
            "value": {
                "replied": figures.replied,
                "on_time": figures.replied_on_time,
                "percent": figures.on_time_share,
            },
            "previous": {
                "replied": figures.replied_before,
                "on_time": figures.replied_on_time_before,
                "percent": figures.on_time_share_before,
            },
        },
        "open_by_age": _lines(figures.open_by_age),
        "repeats": {
            "counts": figures.repeat_counts,
            "most_frequent": [
                {"what": r.what, "value": r.value, "complaints": r.complaints}
                for r in figures.repeats
            ],
        },
        "mediation": {"value": figures.mediation, "previous": figures.mediation_before},
        "litigation": {"value": figures.litigation, "previous": figures.litigation_before},
    }
