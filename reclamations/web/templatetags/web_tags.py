"""Small filters for the staff templates."""

from collections.abc import Iterable

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from reclamations.complaints.documents import human_size
from reclamations.complaints.event_reading import HASH_SHOWN, on_time_text
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.search_text import Segment, highlighted
from reclamations.web.display import Badge, improvement_badge
from reclamations.web.field_html import field_html

register = template.Library()


@register.filter
def short_hash(value: str) -> str:
    return (value or "")[:HASH_SHOWN]


@register.filter
def file_size(value: int) -> str:
    return human_size(int(value or 0))


@register.inclusion_tag("web/includes/badge.html")
def improvement_status(status: str) -> dict[str, Badge]:
    """An improvement action's status as a badge."""
    return {"badge": improvement_badge(status)}


@register.filter
def badge(shown: Badge) -> str:
    """A badge's markup (web/includes/badge.html renders it too); lists call it directly: an
    include a line cost the register as much again as the rest of its line."""
    if shown.detail:
        return format_html(
            '<span class="badge badge-{}">{}</span> <span class="badge-detail">{}</span>',
            shown.style,
            shown.text,
            shown.detail,
        )
    return format_html('<span class="badge badge-{}">{}</span>', shown.style, shown.text)


@register.filter
def on_time(value: bool | None) -> str:
    return on_time_text(value)


@register.filter
def message_kind_label(kind: str) -> str:
    """ "reply" -> "Réponse": the French name of a kind of message to clients."""
    return dict(ClientMessage.choices).get(kind, kind)


@register.filter
def marked(segments: Iterable[Segment]) -> str:
    """Segments of a text (complaints.search_text), escaped, the matched ones in <mark>."""
    if isinstance(segments, list | tuple) and len(segments) == 1 and not segments[0].matched:
        # A text without any match (most of a search page's cells): escaped as it is.
        return conditional_escape(segments[0].text)
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", s.text) if s.matched else s.text,) for s in segments),
    )


@register.filter
def highlight(value: str, terms: tuple[str, ...]) -> str:
    """The text, escaped, with the words a search matched in <mark>."""
    return marked(highlighted(value or "", terms))


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """A form field with its label, help, errors and reminder (web/field_html.py)."""
    return field_html(field)
