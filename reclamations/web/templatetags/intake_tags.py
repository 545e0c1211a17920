"""The triage inbox in the navigation."""

from typing import Any

from django import template

from reclamations.intake.queries import triage_waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def triage_count(context: dict[str, Any]) -> int:
    """Messages waiting in the triage inbox of the user's organisation (one COUNT query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return 0
    return triage_waiting_count(user.organisation_id)
