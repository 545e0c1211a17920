"""What an auditor's API token opened is kept, as their pages are (core/access.py)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from reclamations.core.access import record_access
from reclamations.core.models import User


class AuditorApiAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # django-ninja sets request.auth to what the token check returned: the user.
        user = getattr(request, "auth", None)
        if isinstance(user, User):
            record_access(request, user, response.status_code)
        return response
