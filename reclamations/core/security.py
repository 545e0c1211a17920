"""The one place where what happens to an account is recorded: a login, a refused login, a
lockout, a second factor accepted or refused, a password or a token changed, a page refused.
Each is a line of the `reclamations.security` log and a row of the security journal
(core.SecurityRecord) that managers read; recording never fails the request it is about.

The client's address is the real one behind trusted reverse proxies (client_address), the same
that the login throttling (django-axes) and the client's pages' limits count."""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from reclamations.core.addresses import Network, parse_networks, real_client_address
from reclamations.core.models import Organisation, SecurityRecord, User
from reclamations.core.security_events import SecurityEvent

__all__ = ["SecurityEvent", "client_address", "security_record"]

log = logging.getLogger("reclamations.security")


@functools.cache
def _proxies(listed: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(listed)


def client_address(request: HttpRequest | None) -> str:
    """The real client's address: REMOTE_ADDR, or behind a proxy listed in
    RECLAMATIONS_TRUSTED_PROXIES, the right-most address of X-Forwarded-For that is not one of
    them (core/addresses.py); "" without a request. Used by the login throttling (django-axes),
    the client's pages' limits and the security journal, so that all three see the same client."""
    if request is None:
        return ""
    listed = tuple(getattr(settings, "RECLAMATIONS_TRUSTED_PROXIES", ()))
    return real_client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        _proxies(listed),
    )


def _text(value: str, limit: int) -> str:
    """What a column can store on both databases: no NUL, no half of a UTF-16 pair (a typed
    name or a browser's header may hold anything), at most `limit` characters."""
    cleaned = value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return cleaned[:limit]


def security_record(
    event: SecurityEvent,
    *,
    user: User | None = None,
    username: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
    organisation: Organisation | None = None,
) -> None:
    """Record one event about an account; `actor` is who did it when it is not the account's
    owner (an administrator resetting a second factor, a manager revoking a token). Without
    `user`, `username` is the name typed (a refused login): the account is looked up by it.
    `organisation` places a record no account carries (a command run on the server).
    A failure to write the journal is logged, never raised."""
    address = client_address(request)
    name = _text(user.username if user is not None else username, 150)
    path = _text(request.path, 500) if request is not None else ""
    log.info(
        "%s user=%s actor=%s address=%s path=%s %s",
        event.value,
        name,
        actor.username if actor is not None else "",
        address,
        path,
        detail,
    )
    try:
        if user is None and username:
            user = User.objects.filter(username=name).first()
        agent = str(request.META.get("HTTP_USER_AGENT", "")) if request is not None else ""
        # A savepoint: a refused insert leaves the request's own transaction usable.
        with transaction.atomic():
            SecurityRecord.objects.create(
                organisation_id=(
                    user.organisation_id
                    if user is not None
                    else organisation.pk
                    if organisation is not None
                    else None
                ),
                user=user,
                username=name,
                actor=actor,
                kind=event.value,
                address=address or None,
                user_agent=_text(agent, 200),
                path=path,
                detail=_text(detail, 200),
                at=timezone.now(),
            )
    except Exception:
        log.exception("Journal de sécurité : %s de %r non enregistré", event.value, name)


def _logged_in(sender: object, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    security_record(SecurityEvent.LOGIN, user=user, request=request)


def _logged_out(
    sender: object, request: HttpRequest | None, user: User | None, **kwargs: object
) -> None:
    if user is not None:
        security_record(SecurityEvent.LOGOUT, user=user, request=request)


def _login_failed(
    sender: object,
    credentials: dict[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    # Django has already masked the password in `credentials`.
    security_record(
        SecurityEvent.LOGIN_FAILED, username=str(credentials.get("username", "")), request=request
    )


def _locked_out(
    sender: object,
    request: HttpRequest | None = None,
    username: str | None = None,
    **kwargs: object,
) -> None:
    security_record(
        SecurityEvent.LOCKED_OUT,
        username=str(username or ""),
        request=request,
        detail=f"{settings.AXES_FAILURE_LIMIT} échecs",
    )


def connect_login_signals() -> None:
    """Django's own login, logout and failed-login signals, and django-axes's lockout, feed the
    record (core/apps.py)."""
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_logged_in, dispatch_uid="reclamations.security.login")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="reclamations.security.logout")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="reclamations.security.failed")
    user_locked_out.connect(_locked_out, dispatch_uid="reclamations.security.locked_out")
