"""Which language a page speaks. The client's pages follow the browser (or the client's choice,
kept in a cookie by Django's set_language); the staff pages and the API stay in French until
they are translated (issue 12), so that no English message of Django's slips into them."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def client_language_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "CLIENT_LANGUAGE_PATHS", ("/suivi/", "/i18n/")))


class StaffInFrench:
    """After LocaleMiddleware: French everywhere but on the client's pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(client_language_paths()):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
