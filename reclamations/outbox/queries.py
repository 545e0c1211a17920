"""Reads of the outbox for staff pages: messages to clients that could not be delivered."""

from django.db.models import Exists, OuterRef, QuerySet

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation
from reclamations.outbox.models import CLIENT_KINDS, OutgoingMessage, OutgoingStatus


def _unresolved_failures() -> QuerySet[OutgoingMessage]:
    """Failed messages to clients that no later message of the same kind has made up for."""
    sent_later = OutgoingMessage.objects.filter(
        complaint=OuterRef("complaint"),
        kind=OuterRef("kind"),
        status=OutgoingStatus.SENT,
        created_at__gt=OuterRef("created_at"),
    )
    return OutgoingMessage.objects.filter(
        status=OutgoingStatus.FAILED, kind__in=CLIENT_KINDS
    ).exclude(Exists(sent_later))


def failed_messages_for(complaint: Complaint) -> list[OutgoingMessage]:
    return list(_unresolved_failures().filter(complaint=complaint).order_by("created_at", "id"))


def complaints_with_failed_messages(organisation: Organisation, *, limit: int = 10) -> list[str]:
    """References of the organisation's complaints with an undelivered message, newest first."""
    references = (
        _unresolved_failures()
        .filter(organisation=organisation, complaint__isnull=False)
        .order_by("-created_at")
        .values_list("complaint__reference", flat=True)
    )
    unique: list[str] = []
    for reference in references[: limit * 5]:
        if reference not in unique:
            unique.append(reference)
        if len(unique) == limit:
            break
    return unique
