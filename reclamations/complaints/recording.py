"""Messages received from the client, added to a complaint's chronology by the mail channel."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from reclamations.complaints.chronology import append_event, document_data, locked
from reclamations.complaints.documents import store_document
from reclamations.complaints.enums import AWAITING_CLIENT, DocumentRole, EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_date
from reclamations.core.models import User


@in_french
def complaint_record_message(
    *,
    complaint: Complaint,
    actor: User | None,
    message: dict[str, Any],
    document: File[bytes] | None = None,
    received_at: datetime | None = None,
) -> ComplaintEvent:
    """Add a message received from the client to the chronology; the status does not change.

    `message` is what staff read in the event (subject, sender, excerpt, Message-ID...);
    `document` the raw .eml, stored unchanged as a received message. When the complaint waits
    for the client, the event says `"awaited": true`: the information or confirmation it
    carries is still recorded by a person, through the matching workflow action.
    """
    with transaction.atomic():
        current = locked(complaint)
        now = timezone.now()
        occurred_on = local_date(current.organisation, min(received_at or now, now))
        stored = None
        if document is not None:
            stored = store_document(
                complaint=current,
                upload=document,
                role=DocumentRole.RECEIVED_MESSAGE,
                created_by=actor,
                created_at=now,
            )
        event = append_event(
            complaint=current,
            event_type=EventType.MESSAGE_RECEIVED,
            actor=actor,
            occurred_on=occurred_on,
            status_before=current.status,
            data={
                **message,
                "awaited": current.status in AWAITING_CLIENT,
                **document_data(stored),
            },
            document=stored,
        )
    complaint.refresh_from_db()
    return event
