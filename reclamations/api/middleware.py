"""Middleware of the API: what an auditor's API token opened is kept, as their pages are
(core/access.py); an address too long is answered 414 in French, in JSON under /api/."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from reclamations.api.errors import API_PREFIX, error_response
from reclamations.core.access import record_access
from reclamations.core.models import User

# The longest address (path and query string, percent-encoded) the application reads. gunicorn
# lets request lines through up to its own maximum, 8190 bytes (`reclamations serve`), so that
# the answer between the two is ours, in French (decision 0025).
MAX_ADDRESS = 4096
ADDRESS_TOO_LONG = (
    "Adresse trop longue : {length} caractères, {limit} au plus. Raccourcissez-la (moins de "
    "paramètres, une recherche plus courte) ; un texte long va dans le corps d'un POST."
)


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


class AddressTooLongMiddleware:
    """A 414 for an address longer than MAX_ADDRESS: JSON under /api/ like every error of the
    API, the page 414.html elsewhere. It runs before any view reads the address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        length = len(request.get_full_path())
        if length <= MAX_ADDRESS:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return error_response(414, ADDRESS_TOO_LONG.format(length=length, limit=MAX_ADDRESS))
        return render(request, "414.html", {"limit": MAX_ADDRESS}, status=414)
