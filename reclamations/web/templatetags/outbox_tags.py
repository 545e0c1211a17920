"""Outbox facts shown on staff pages without their views having to know about the outbox."""

from django import template

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation
from reclamations.outbox.models import OutgoingMessage
from reclamations.outbox.queries import complaints_with_failed_messages, failed_messages_for

register = template.Library()


@register.simple_tag
def failed_messages(complaint: Complaint) -> list[OutgoingMessage]:
    """The complaint's messages to the client that could not be delivered (one query)."""
    return failed_messages_for(complaint)


@register.simple_tag
def complaints_with_failed_mail(organisation: Organisation | None) -> list[str]:
    """References of complaints with an undelivered message to the client (one query)."""
    if organisation is None:
        return []
    return complaints_with_failed_messages(organisation)
