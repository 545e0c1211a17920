import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from reclamations.core.models import User
from reclamations.core.roles import Role
from reclamations.core.services import user_set_active
from reclamations.core.users import user_create
from reclamations.web.forms.users import UserAddForm
from reclamations.web.permissions import manager_required


def _generated_password() -> str:
    return secrets.token_urlsafe(12)


@manager_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """The organisation's accounts, and adding one (its password is shown once, never stored)."""
    organisation = request.user.organisation
    may_create_admins = request.user.role == Role.ADMIN
    status = 200
    if request.method == "POST":
        form = UserAddForm(request.POST, may_create_admins=may_create_admins)
        if form.is_valid():
            password = _generated_password()
            try:
                account = user_create(
                    username=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    password=password,
                    email=form.cleaned_data["email"],
                    organisation=organisation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            except ValueError as error:
                form.add_error("username", str(error))
            else:
                response = render(
                    request,
                    "web/user_created.html",
                    {"account": account, "password": password, "nav": "users"},
                )
                response["Cache-Control"] = "no-store"
                return response
        status = 400
    else:
        form = UserAddForm(may_create_admins=may_create_admins)
    accounts = User.objects.filter(organisation=organisation).order_by("username")
    return render(
        request,
        "web/users.html",
        {"form": form, "accounts": accounts, "nav": "users"},
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
        state = "réactivé" if active else "désactivé"
        messages.success(request, f"Compte « {account.username} » {state}.")
    return redirect("users")
