from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from reclamations.core.roles import Role, can_handle, can_manage

# A reading that fails once (a server restarting, a network blip) recovers a minute later; a
# quarter of an hour of failures is worth telling staff.
MAILBOX_ALERT_AFTER = timedelta(minutes=15)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    organisation = user.organisation
    context: dict[str, object] = {
        "can_handle": can_handle(user.role),
        "can_manage": can_manage(user.role),
        "organisation": organisation,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
    }
    failing_since = organisation.mailbox_failing_since if organisation else None
    if (
        failing_since is not None
        and can_handle(user.role)
        and failing_since <= timezone.now() - MAILBOX_ALERT_AFTER
    ):
        context["mailbox_failing_since"] = failing_since
        context["mailbox_error"] = organisation.mailbox_error
    return context
