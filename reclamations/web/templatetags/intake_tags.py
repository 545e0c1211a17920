"""The triage inbox in the navigation, and the complaint page's notice of an awaited answer."""

from collections.abc import Iterable
from typing import Any

from django import template

from reclamations.complaints.enums import EventType
from reclamations.complaints.services import AWAITING_CLIENT
from reclamations.intake.queries import triage_waiting_count

register = template.Library()

# After one of these, a message received earlier no longer answers the current request.
_REQUEST_OR_ANSWER = frozenset(
    {
        EventType.INFORMATION_REQUESTED,
        EventType.INFORMATION_RECEIVED,
        EventType.CONFIRMATION_REQUESTED,
        EventType.CONFIRMATION_RECEIVED,
    }
)


@register.simple_tag(takes_context=True)
def triage_count(context: dict[str, Any]) -> int:
    """Messages waiting in the triage inbox of the user's organisation (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return 0
    return triage_waiting_count(user.organisation_id)


@register.simple_tag
def awaited_message_arrived(complaint: Any, timeline: Iterable[Any]) -> bool:
    """True when the complaint waits for the client and the client's answer has arrived since
    the last request: staff must record it (from the chronology already loaded, no query)."""
    if complaint.status not in AWAITING_CLIENT:
        return False
    arrived = False
    for entry in timeline:
        event = getattr(entry, "event", entry)
        if event.event_type in _REQUEST_OR_ANSWER:
            arrived = False
        elif event.event_type == EventType.MESSAGE_RECEIVED and (event.data or {}).get("awaited"):
            arrived = True
    return arrived
