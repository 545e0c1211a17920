"""The one place where what happens to an account is recorded: a login, a refused login, a
second factor accepted or refused, a password or a token changed, a page refused. Today each
is a line of the `reclamations.security` log; the security journal managers will read is to be
written here too, so that no caller changes."""

import logging
from enum import StrEnum

from django.http import HttpRequest

from reclamations.core.models import User

log = logging.getLogger("reclamations.security")


class SecurityEvent(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SESSION_EXPIRED = "session_expired"
    SECOND_FACTOR = "second_factor"
    SECOND_FACTOR_FAILED = "second_factor_failed"
    RECOVERY_CODE_USED = "recovery_code_used"
    TWO_FACTOR_ENABLED = "two_factor_enabled"
    TWO_FACTOR_DISABLED = "two_factor_disabled"
    TWO_FACTOR_RESET = "two_factor_reset"
    RECOVERY_CODES_MADE = "recovery_codes_made"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event's name
    PASSWORD_RESET_ASKED = "password_reset_asked"  # noqa: S105 - an event's name
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an event's name
    PASSWORD_PROVISIONAL = "password_provisional"  # noqa: S105 - an event's name
    TOKEN_CREATED = "token_created"  # noqa: S105 - an event's name
    TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an event's name
    PERMISSION_REFUSED = "permission_refused"


def client_address(request: HttpRequest | None) -> str:
    # The trusted-proxy address is a later slice (issue 11): one place to change it.
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


def security_record(
    event: SecurityEvent,
    *,
    user: User | None = None,
    username: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> None:
    """Record one event about an account; `actor` is who did it when it is not the account's
    owner (an administrator resetting a second factor, a manager revoking a token)."""
    log.info(
        "%s user=%s actor=%s address=%s path=%s %s",
        event.value,
        user.username if user is not None else username,
        actor.username if actor is not None else "",
        client_address(request),
        request.path if request is not None else "",
        detail,
    )


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


def connect_login_signals() -> None:
    """Django's own login, logout and failed-login signals feed the record (core/apps.py)."""
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_logged_in, dispatch_uid="reclamations.security.login")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="reclamations.security.logout")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="reclamations.security.failed")
