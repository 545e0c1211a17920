"""A staff session ends after a while without a request (settings.SESSION_IDLE_SECONDS) and, in
any case, some hours after its login (settings.SESSION_COOKIE_AGE): a computer left open in a
shared office does not stay in the register."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from reclamations.core.security import SecurityEvent, security_record

STARTED = "session_started_at"
SEEN = "session_seen_at"
# Writing the session at every request would be a database write per page; a minute's
# precision on the idle time is enough.
SEEN_PRECISION = 60

EXPIRED = "Votre session a expiré : reconnectez-vous pour continuer."


def session_expired(request: HttpRequest, now: float) -> bool:
    started = request.session.get(STARTED)
    seen = request.session.get(SEEN)
    if not isinstance(started, (int, float)) or not isinstance(seen, (int, float)):
        return False
    return now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_COOKIE_AGE


def session_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """At each login (Django's user_logged_in signal, connected in web/apps.py)."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionExpiryMiddleware:
    """After AuthenticationMiddleware: ends an expired staff session before the view runs (the
    view then sends the person to the login page, with where they were going)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            if session_expired(request, now):
                security_record(SecurityEvent.SESSION_EXPIRED, user=user, request=request)
                logout(request)
                messages.info(request, EXPIRED)
            elif STARTED not in request.session:
                request.session[STARTED] = now
                request.session[SEEN] = now
            elif now - request.session[SEEN] >= SEEN_PRECISION:
                request.session[SEEN] = now
        return self.get_response(request)
