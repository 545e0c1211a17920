"""Error pages that Django would otherwise render in English, and refusals recorded.

A refusal (403) is a line of the security log and a row of the security journal, written by
core.security.security_record; Django's own line for it, with a traceback that reads like a
crash, is not written (the response is marked as logged)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views import defaults

from reclamations.core.security import SecurityEvent, security_record

CSRF_MESSAGE = gettext_lazy(
    "Le formulaire a expiré ou n'a pas pu être vérifié (protection contre la falsification de "
    "requêtes). Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à nouveau ; "
    "vérifiez aussi que votre navigateur accepte les cookies de ce site."
)


def _refusal_recorded(request: HttpRequest, response: HttpResponse, detail: str) -> HttpResponse:
    user = getattr(request, "user", None)
    known = user is not None and user.is_authenticated
    security_record(
        SecurityEvent.PERMISSION_REFUSED,
        user=user if known else None,
        request=request,
        detail=detail,
    )
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own mark
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = render(request, "403.html", {"exception": str(CSRF_MESSAGE)}, status=403)
    return _refusal_recorded(request, response, f"CSRF : {reason}")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """config.urls.handler403: Django's page (403.html, the refusal's reason in the reader's
    language); the security journal keeps the reason in French, as the rest of the records."""
    response = defaults.permission_denied(request, exception or Exception())
    with translation.override("fr"):
        reason = str(exception.args[0]) if exception is not None and exception.args else ""
    return _refusal_recorded(request, response, reason)
