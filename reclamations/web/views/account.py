"""The account's own pages ("Mon compte"): password, two-factor authentication, API tokens; and
the steps an account takes before anything else (second factor, provisional password,
setting up two-factor authentication where it is required)."""

import django_otp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reclamations.core.accounts import Step, two_factor_required
from reclamations.core.languages import remember_language
from reclamations.core.models import ApiToken
from reclamations.core.roles import can_manage
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.two_factor import (
    TwoFactorError,
    confirmed_device,
    enrolment_confirm,
    enrolment_device,
    qr_svg,
    recovery_codes_left,
    recovery_codes_make,
    second_factor_verify,
    secret_text,
    two_factor_disable,
)
from reclamations.core.users import (
    password_chosen,
    token_create,
    token_revoke,
    tokens_of,
    user_language_set,
)
from reclamations.web.forms.account import (
    AccountPasswordChangeForm,
    CodeForm,
    EnrolmentForm,
    LanguageForm,
    ProvisionalPasswordForm,
    TokenForm,
)
from reclamations.web.permissions import (
    manager_required,
    reader_required,
    safe_next,
    step_required,
)


def _shown_once(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _account_page(
    request: HttpRequest,
    *,
    password_form: AccountPasswordChangeForm | None = None,
    token_form: TokenForm | None = None,
    language_form: LanguageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    device = confirmed_device(user)
    return render(
        request,
        "web/account.html",
        {
            "nav": "account",
            "password_form": password_form or AccountPasswordChangeForm(user),
            "token_form": token_form or TokenForm(),
            "language_form": language_form or LanguageForm(initial={"language": user.language}),
            "device": device,
            "codes_left": recovery_codes_left(user) if device else 0,
            "two_factor_required": two_factor_required(user),
            "tokens": tokens_of(user=user),
            "now": timezone.now(),
        },
        status=status,
    )


@reader_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@reader_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = AccountPasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, password_form=form, status=400)
    user = form.save()
    password_chosen(user=user)
    update_session_auth_hash(request, user)  # this session stays open, the others end
    security_record(SecurityEvent.PASSWORD_CHANGED, user=user, request=request)
    messages.success(request, _("Mot de passe modifié."))
    return redirect("account")


@reader_required
@require_POST
def account_language(request: HttpRequest) -> HttpResponse:
    """The language of the account's pages, from the next page on (this one's message too)."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _account_page(request, language_form=form, status=400)
    language = form.cleaned_data["language"]
    user_language_set(user=request.user, language=language)
    translation.activate(language)
    messages.success(request, _("Langue des pages enregistrée."))
    response = redirect("account")
    remember_language(response, language)
    return response


@step_required(Step.PASSWORD)
@require_http_methods(["GET", "POST"])
def password_provisional(request: HttpRequest) -> HttpResponse:
    """Replace the provisional password before anything else."""
    status = 200
    if request.method == "POST":
        form = ProvisionalPasswordForm(request.user, request.POST)
        if form.is_valid():
            user = form.save()
            password_chosen(user=user)
            update_session_auth_hash(request, user)
            security_record(SecurityEvent.PASSWORD_CHANGED, user=user, request=request)
            messages.success(request, _("Votre mot de passe est enregistré."))
            return redirect(safe_next(request))
        status = 400
    else:
        form = ProvisionalPasswordForm(request.user)
    return render(
        request,
        "web/password_provisional.html",
        {"form": form, "next": safe_next(request), "gate": True},
        status=status,
    )


@step_required(Step.SECOND_FACTOR)
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The login's second step: a code from the app, or a recovery code."""
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                verified = second_factor_verify(user=request.user, code=form.cleaned_data["code"])
            except TwoFactorError as error:
                security_record(
                    SecurityEvent.SECOND_FACTOR_FAILED, user=request.user, request=request
                )
                form.add_error("code", error.message)
            else:
                request.session.cycle_key()
                django_otp.login(request, verified.device)
                if verified.by_recovery_code:
                    security_record(
                        SecurityEvent.RECOVERY_CODE_USED,
                        user=request.user,
                        request=request,
                        detail=f"left={verified.recovery_codes_left}",
                    )
                    messages.warning(
                        request,
                        _(
                            "Code de secours utilisé : il ne servira plus. Il vous en reste "
                            "%(left)s. Si votre téléphone est perdu, activez la double "
                            "authentification sur un nouveau téléphone depuis « Mon compte »."
                        )
                        % {"left": verified.recovery_codes_left},
                    )
                else:
                    security_record(SecurityEvent.SECOND_FACTOR, user=request.user, request=request)
                return redirect(safe_next(request))
        status = 400
    else:
        form = CodeForm()
    return render(
        request,
        "web/login_code.html",
        {"form": form, "next": safe_next(request), "gate": True},
        status=status,
    )


def _enrolment_page(request: HttpRequest, form: EnrolmentForm, *, status: int) -> HttpResponse:
    device = enrolment_device(request.user)
    return _shown_once(
        render(
            request,
            "web/two_factor_enrol.html",
            {
                "form": form,
                "qr": qr_svg(device),
                "secret": secret_text(device),
                "next": safe_next(request),
                "required": two_factor_required(request.user),
                "gate": two_factor_required(request.user),
                "nav": "account",
            },
            status=status,
        )
    )


def _enrol(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EnrolmentForm(request.POST)
        if form.is_valid():
            device = enrolment_device(request.user)
            try:
                codes = enrolment_confirm(device=device, code=form.cleaned_data["code"])
            except TwoFactorError as error:
                form.add_error("code", error.message)
            else:
                request.session.cycle_key()
                django_otp.login(request, device)
                security_record(
                    SecurityEvent.TWO_FACTOR_ENABLED, user=request.user, request=request
                )
                return _recovery_codes_page(request, codes, enrolled=True)
        return _enrolment_page(request, form, status=400)
    return _enrolment_page(request, EnrolmentForm(), status=200)


@step_required(Step.ENROL)
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Setting up two-factor authentication that the account's role requires."""
    return _enrol(request)


@reader_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol_optional(request: HttpRequest) -> HttpResponse:
    """Setting up two-factor authentication by choice, or on a new phone (the previous key
    stops working once the new one is confirmed)."""
    return _enrol(request)


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, enrolled: bool) -> HttpResponse:
    return _shown_once(
        render(
            request,
            "web/recovery_codes.html",
            {"codes": codes, "enrolled": enrolled, "next": safe_next(request), "nav": "account"},
        )
    )


@reader_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if confirmed_device(request.user) is None:
        messages.error(request, _("Activez d'abord la double authentification."))
        return redirect("account")
    codes = recovery_codes_make(request.user)
    security_record(SecurityEvent.RECOVERY_CODES_MADE, user=request.user, request=request)
    return _recovery_codes_page(request, codes, enrolled=False)


@reader_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    """Turn two-factor authentication off, with a current code; never where it is required."""
    if two_factor_required(request.user):
        messages.error(
            request,
            _(
                "La double authentification est obligatoire pour votre compte : elle ne peut pas "
                "être désactivée. Pour changer de téléphone, activez-la sur le nouveau."
            ),
        )
        return redirect("account")
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except TwoFactorError as error:
            messages.error(
                request,
                _("Double authentification toujours active. %(error)s") % {"error": error.message},
            )
            return redirect("account")
        two_factor_disable(request.user)
        security_record(SecurityEvent.TWO_FACTOR_DISABLED, user=request.user, request=request)
        messages.success(request, _("Double authentification désactivée."))
    else:
        messages.error(request, _("Saisissez un code pour désactiver la double authentification."))
    return redirect("account")


@reader_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _account_page(request, token_form=form, status=400)
    raw = token_create(
        user=request.user, label=form.cleaned_data["label"], days=form.cleaned_data["days"]
    )
    token = tokens_of(user=request.user).first()
    security_record(
        SecurityEvent.TOKEN_CREATED,
        user=request.user,
        request=request,
        detail=f"prefix={raw[:12]}",
    )
    return _shown_once(
        render(request, "web/token_created.html", {"raw": raw, "token": token, "nav": "account"})
    )


@reader_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one's own token; a manager, any token of the organisation."""
    user = request.user
    if can_manage(user.role):
        token = get_object_or_404(ApiToken, pk=token_id, user__organisation=user.organisation_id)
    else:
        token = get_object_or_404(ApiToken, pk=token_id, user=user)
    if token_revoke(token=token):
        security_record(
            SecurityEvent.TOKEN_REVOKED,
            user=token.user,
            actor=user,
            request=request,
            detail=f"prefix={token.prefix}",
        )
        messages.success(
            request, _("Jeton « %(name)s » révoqué.") % {"name": token.label or token.prefix}
        )
    else:
        messages.info(
            request,
            _("Le jeton « %(name)s » était déjà révoqué.") % {"name": token.label or token.prefix},
        )
    if request.POST.get("from") == "organisation" and can_manage(user.role):
        return redirect("organisation_tokens")
    return redirect("account")


@manager_required
@require_http_methods(["GET"])
def organisation_tokens(request: HttpRequest) -> HttpResponse:
    """Every API token of the organisation's accounts."""
    return render(
        request,
        "web/organisation_tokens.html",
        {
            "tokens": tokens_of(organisation=request.user.organisation),
            "now": timezone.now(),
            "nav": "users",
        },
    )
