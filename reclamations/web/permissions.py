"""One helper per role: every view says which it needs. Anonymous -> login; wrong role -> 403;
an account with a step to take first (its second factor, its own password, setting up
two-factor authentication: core/accounts.py) -> that step's page, whatever page it asked for.

Each helper also runs the view in the organisation's time zone, so that pages show dates and
times as the organisation lives them.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy

from reclamations.core.access import access_ended, access_ended_message, record_access
from reclamations.core.accounts import Step, pending_step
from reclamations.core.installation import first_run_open
from reclamations.core.localtime import local_zone
from reclamations.core.roles import (
    Role,
    can_handle,
    can_manage,
    can_read,
    can_read_archived,
    is_superadmin,
)
from reclamations.core.two_factor import is_enrolled

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

View = Callable[..., HttpResponse]

STEP_PAGES = {
    Step.SECOND_FACTOR: "login_code",
    Step.PASSWORD: "password_provisional",
    Step.ENROL: "two_factor_enrol",
}


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether this session entered its second factor (django-otp's OTPMiddleware)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def pending(request: HttpRequest) -> Step | None:
    verified = second_factor_verified(request)
    enrolled = verified or is_enrolled(request.user)
    return pending_step(user=request.user, enrolled=enrolled, verified=verified)


def step_redirect(step: Step, destination: str) -> HttpResponse:
    url = resolve_url(STEP_PAGES[step])
    return HttpResponseRedirect(f"{url}?{urlencode({'next': destination})}")


def _requires(check: Callable[[str], bool], message: "StrOrPromise") -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                if first_run_open():
                    return HttpResponseRedirect(resolve_url("first_run"))
                return redirect_to_login(request.get_full_path())
            if user.organisation_id is None or not check(user.role):
                raise PermissionDenied(message)  # recorded by web.views.errors
            if access_ended(user):
                ended = access_ended_message(user)
                logout(request)
                messages.error(request, ended)
                return redirect_to_login(request.get_full_path())
            step = pending(request)
            if step is not None:
                return step_redirect(step, request.get_full_path())
            with timezone.override(local_zone(user.organisation)):
                response = view(request, *args, **kwargs)
            record_access(request, user, response.status_code)
            return response

        return wrapper

    return decorator


reader_required = _requires(can_read, gettext_lazy("Votre compte ne donne pas accès au registre."))
handler_required = _requires(
    can_handle, gettext_lazy("Votre rôle permet de consulter le registre, pas de le modifier.")
)
manager_required = _requires(
    can_manage,
    gettext_lazy("Seuls les responsables gèrent les réglages et les comptes de l'organisme."),
)
# What names the clients of many complaints, archived ones among them (an imported register's
# file): for those who may open an archived complaint's file.
archive_reader_required = _requires(
    can_read_archived,
    gettext_lazy(
        "Ce fichier nomme les clients de réclamations archivées : seuls les responsables et "
        "l'auditeur y ont accès."
    ),
)


def step_required(step: Step) -> Callable[[View], View]:
    """A step's own page: for a logged-in account whose pending step it is; any other is sent
    on (to its own step, or where it was going)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_superadmin(user.role) and (
                user.organisation_id is None or not can_read(user.role)
            ):
                raise PermissionDenied(gettext_lazy("Votre compte ne donne pas accès au registre."))
            current = pending(request)
            if current != step:
                if current is not None:
                    return step_redirect(current, safe_next(request))
                return HttpResponseRedirect(safe_next(request))
            if user.organisation is None:  # the super-administrator: the installation's time
                return view(request, *args, **kwargs)
            with timezone.override(local_zone(user.organisation)):
                return view(request, *args, **kwargs)

        return wrapper

    return decorator


def superadmin_required(view: View) -> View:
    """The installation's pages (web/views/platform.py): for a super-administrator who passed
    their steps; any other account is refused, as a super-administrator is on every
    organisation's page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_superadmin(user.role) or user.organisation_id is not None:
            raise PermissionDenied(
                gettext_lazy("Ces pages sont celles du super-administrateur de l'installation.")
            )
        step = pending(request)
        if step is not None:
            return step_redirect(step, request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def home_of(user: Any) -> str:
    """Where an account lands after logging in: a referent's work lists, the register for the
    other roles, the super-administrator's list of organisations."""
    if getattr(user, "is_authenticated", False) and is_superadmin(user.role):
        return resolve_url("platform")
    if getattr(user, "is_authenticated", False) and user.role == Role.REFERENT:
        return resolve_url("my_work")
    return resolve_url("register")


def safe_next(request: HttpRequest) -> str:
    """Where the account was going, if it is a page of ours; the register otherwise."""
    destination = request.POST.get("next") or request.GET.get("next") or ""
    if destination and url_has_allowed_host_and_scheme(
        destination, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return destination
    return home_of(request.user)
