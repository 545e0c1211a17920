"""The number of complaints in the work lists, in the navigation."""

from typing import Any

from django import template

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.work_lists import kept_work_count
from reclamations.core.localtime import local_today

register = template.Library()


@register.simple_tag(takes_context=True)
def my_work_count(context: dict[str, Any]) -> int:
    """Complaints that need someone now in the user's organisation (kept while the register is
    unchanged: work_lists.kept_work_count)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return 0
    organisation = user.organisation
    return kept_work_count(
        organisation, today=local_today(organisation), policy=deadline_policy(organisation)
    )
