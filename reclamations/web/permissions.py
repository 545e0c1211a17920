"""One helper per role: every view says which it needs. Anonymous -> login; wrong role -> 403.

Each helper also runs the view in the organisation's time zone, so that pages show dates and
times as the organisation lives them.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reclamations.core.access import access_ended, access_ended_message, record_access
from reclamations.core.localtime import local_zone
from reclamations.core.roles import can_handle, can_manage, can_read

View = Callable[..., HttpResponse]


def _requires(check: Callable[[str], bool], message: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.organisation_id is None or not check(user.role):
                raise PermissionDenied(message)
            if access_ended(user):
                ended = access_ended_message(user)
                logout(request)
                messages.error(request, ended)
                return redirect_to_login(request.get_full_path())
            with timezone.override(local_zone(user.organisation)):
                response = view(request, *args, **kwargs)
            record_access(request, user, response.status_code)
            return response

        return wrapper

    return decorator


reader_required = _requires(can_read, "Votre compte ne donne pas accès au registre.")
handler_required = _requires(
    can_handle, "Votre rôle permet de consulter le registre, pas de le modifier."
)
manager_required = _requires(
    can_manage, "Seuls les responsables gèrent les réglages et les comptes de l'organisme."
)
