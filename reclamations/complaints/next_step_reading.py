"""The situation next_step reads, taken from a complaint and its chronology (already loaded:
no query)."""

from collections.abc import Sequence

from reclamations.complaints.actions import ComplaintState
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.next_step import Situation
from reclamations.complaints.notifications.kinds import ClientMessage


def acknowledges(event: ComplaintEvent) -> bool:
    """An acknowledgement queued by staff, or one sent (the automatic one of an e-mail)."""
    if event.event_type == EventType.ACKNOWLEDGEMENT_QUEUED:
        return True
    return (
        event.event_type == EventType.MESSAGE_SENT
        and (event.data or {}).get("message_kind") == ClientMessage.ACKNOWLEDGEMENT
    )


def situation_of(
    complaint: Complaint,
    events: Sequence[ComplaintEvent],
    *,
    client_answered: bool,
    undelivered: bool,
) -> Situation:
    """`client_answered` (queries.awaited_answer_arrived) and `undelivered` (a failed message
    to the client) are what the complaint's page has already read."""
    state = ComplaintState.of(complaint)
    return Situation(
        status=complaint.status,
        missing_fields=tuple(complaint.missing_fields),
        acknowledged=any(acknowledges(event) for event in events),
        client_answered=client_answered,
        client_says_unresolved=complaint.client_says_unresolved,
        undelivered=undelivered,
        awaiting_delivery=state.awaiting_delivery,
        letters_to_post=state.letters_to_post,
    )
