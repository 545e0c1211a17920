from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclamations.core.account_edit import edit_refusal, roles_offered, user_update
from reclamations.core.form_fields import add_service_errors
from reclamations.core.localtime import local_today
from reclamations.core.models import AccessRecord, User
from reclamations.core.roles import Role
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.services import user_set_active
from reclamations.core.users import (
    account_reset_refusal,
    accounts_of,
    generated_password,
    password_chosen,
    user_create,
    user_password_reset,
    user_two_factor_reset,
)
from reclamations.web.forms.users import UserAddForm, UserEditForm
from reclamations.web.invitations import invitation_send, invited_user, link_days
from reclamations.web.permissions import manager_required


@manager_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """The organisation's accounts, and adding one (its password is shown once, never stored)."""
    organisation = request.user.organisation
    may_create_admins = request.user.role == Role.ADMIN
    today = local_today(organisation)
    status = 200
    if request.method == "POST":
        form = UserAddForm(request.POST, may_create_admins=may_create_admins, today=today)
        if form.is_valid():
            password = generated_password()
            invite = form.cleaned_data["invite"]
            try:
                account = user_create(
                    username=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    password=password,
                    email=form.cleaned_data["email"],
                    organisation=organisation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    access_until=form.cleaned_data["access_until"],
                    # Shown on the next page, the password is someone else's to hand over.
                    provisional=not invite,
                )
            except ValueError as error:
                form.add_error("username", str(error))
            else:
                if invite:
                    invitation_send(
                        user=account, organisation=organisation, invited_by=request.user
                    )
                response = render(
                    request,
                    "web/user_created.html",
                    {
                        "account": account,
                        # Invited, nobody but the person ever knows the password.
                        "password": "" if invite else password,
                        "invited": invite,
                        "days": link_days(),
                        "nav": "users",
                    },
                )
                response["Cache-Control"] = "no-store"
                return response
        status = 400
    else:
        form = UserAddForm(may_create_admins=may_create_admins, today=today)
    accounts = list(accounts_of(organisation))
    resettable = {
        account.pk
        for account in accounts
        if not account_reset_refusal(actor=request.user, user=account)
    }
    editable = {
        account.pk for account in accounts if not edit_refusal(actor=request.user, user=account)
    }
    return render(
        request,
        "web/users.html",
        {
            "form": form,
            "accounts": accounts,
            "resettable": resettable,
            "editable": editable,
            "today": today,
            "nav": "users",
        },
        status=status,
    )


@manager_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) an account of the organisation."""
    account = get_object_or_404(User, pk=user_id, organisation=request.user.organisation_id)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(user=account, actor=request.user, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("Compte « %(username)s » réactivé.")
            if active
            else _("Compte « %(username)s » désactivé.")
        )
        messages.success(request, done % {"username": account.username})
    return redirect("users")


@manager_required
@require_POST
def user_invite(request: HttpRequest, user_id: int) -> HttpResponse:
    """Send an account a new invitation: a link to choose its password (an expired invitation,
    a forgotten password). The link goes to the account's own address only."""
    account = get_object_or_404(User, pk=user_id, organisation=request.user.organisation_id)
    if not account.is_active or not account.email:
        messages.error(
            request,
            _(
                "Compte « %(username)s » : une invitation va à un compte actif qui a une "
                "adresse e-mail."
            )
            % {"username": account.username},
        )
    elif account.role == Role.ADMIN and request.user.role != Role.ADMIN:
        messages.error(request, _("Seul un administrateur invite un compte administrateur."))
    else:
        invitation_send(
            user=account, organisation=request.user.organisation, invited_by=request.user
        )
        messages.success(
            request,
            _("Invitation envoyée à %(email)s (lien valable %(days)d jours).")
            % {"email": account.email, "days": link_days()},
        )
    return redirect("users")


@manager_required
@require_POST
def user_password_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """A new provisional password for an account of the organisation (forgotten, never
    received), shown once on the answer, to be replaced by its owner at the next login."""
    account = get_object_or_404(User, pk=user_id, organisation=request.user.organisation_id)
    password = user_password_reset(actor=request.user, user=account)
    security_record(
        SecurityEvent.PASSWORD_PROVISIONAL, user=account, actor=request.user, request=request
    )
    response = render(
        request,
        "web/user_password_reset.html",
        {"account": account, "password": password, "nav": "users"},
    )
    response["Cache-Control"] = "no-store"
    return response


@manager_required
@require_POST
def user_two_factor_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove an account's second factor (a lost phone), as `reclamations user reset-2fa`."""
    account = get_object_or_404(User, pk=user_id, organisation=request.user.organisation_id)
    had = user_two_factor_reset(actor=request.user, user=account)
    security_record(
        SecurityEvent.TWO_FACTOR_RESET, user=account, actor=request.user, request=request
    )
    if had:
        messages.success(
            request,
            _(
                "Compte « %(username)s » : double authentification retirée (clé et codes de "
                "secours). Elle sera de nouveau demandée à sa prochaine connexion si son rôle "
                "l'exige."
            )
            % {"username": account.username},
        )
    else:
        messages.info(
            request,
            _(
                "Compte « %(username)s » : la double authentification n'était pas activée ; "
                "rien à retirer."
            )
            % {"username": account.username},
        )
    return redirect("users")


ACCESS_PAGE_SIZE = 100


@manager_required
@require_GET
def access_journal(request: HttpRequest) -> HttpResponse:
    """What the organisation's auditors opened, the latest first, a hundred at a time."""
    records = AccessRecord.objects.filter(organisation=request.user.organisation).select_related(
        "user"
    )
    page = Paginator(records.order_by("-at", "-id"), ACCESS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "web/access_journal.html", {"page": page, "nav": "users"})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited person chooses a password (no login: the link is the proof)."""
    account = invited_user(uidb64, token)
    if account is None:
        return render(request, "web/invitation.html", {"form": None}, status=400)
    if request.method == "POST":
        form = SetPasswordForm(account, request.POST)
        if form.is_valid():
            password_chosen(user=form.save())
            messages.success(
                request, _("Mot de passe enregistré : connectez-vous avec votre nom d'utilisateur.")
            )
            return redirect("login")
        status = 400
    else:
        form = SetPasswordForm(account)
        status = 200
    response = render(
        request, "web/invitation.html", {"form": form, "account": account}, status=status
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the link's token stays out of other sites
    return response


@manager_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    """An account's names, e-mail, role, language and end of access (core.account_edit)."""
    account = get_object_or_404(User, pk=user_id, organisation=request.user.organisation_id)
    refusal = edit_refusal(actor=request.user, user=account)
    if refusal:
        messages.error(request, refusal)
        return redirect("users")
    own = account.pk == request.user.pk
    roles = roles_offered(actor=request.user, user=account)
    status = 200
    if request.method == "POST":
        form = UserEditForm(request.POST, roles=roles, own=own)
        if form.is_valid():
            try:
                changed = user_update(
                    user=account, actor=request.user, values=form.values(), request=request
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Compte « %(username)s » modifié.") % {"username": account.username},
                    )
                else:
                    messages.info(
                        request,
                        _("Aucune modification : le compte « %(username)s » est inchangé.")
                        % {"username": account.username},
                    )
                return redirect("users")
        status = 400
    else:
        form = UserEditForm(initial=UserEditForm.initial_for(account), roles=roles, own=own)
    return render(
        request,
        "web/user_edit.html",
        {"form": form, "account": account, "nav": "users"},
        status=status,
    )
