"""Small filters for the staff templates."""

from django import template

from reclamations.complaints.documents import human_size
from reclamations.complaints.event_reading import HASH_SHOWN, on_time_text
from reclamations.complaints.notifications.kinds import ClientMessage

register = template.Library()


@register.filter
def short_hash(value: str) -> str:
    return (value or "")[:HASH_SHOWN]


@register.filter
def file_size(value: int) -> str:
    return human_size(int(value or 0))


@register.filter
def on_time(value: bool | None) -> str:
    return on_time_text(value)


@register.filter
def message_kind_label(kind: str) -> str:
    """ "reply" -> "Réponse": the French name of a kind of message to clients."""
    return dict(ClientMessage.choices).get(kind, kind)
