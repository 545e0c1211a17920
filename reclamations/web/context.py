from django.http import HttpRequest

from reclamations.core.roles import Role, can_handle, can_manage


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_handle": can_handle(user.role),
        "can_manage": can_manage(user.role),
        "organisation": user.organisation,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
    }
