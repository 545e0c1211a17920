"""The first-run page: on an installation without any account, `/` and the login page lead
here, to create the organisation and its first manager (docs/first-run.md). Once an account
exists it is gone for good (404); the service refuses a second organisation even when two
submits race (complaints.installation)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from reclamations.complaints.installation import Via, installation_create
from reclamations.core.form_fields import add_service_errors
from reclamations.core.installation import InstallationRefused, first_run_open
from reclamations.core.languages import staff_language
from reclamations.core.users import user_language_set
from reclamations.web.forms.auth import LoginForm
from reclamations.web.forms.first_run import SERVICE_ALIASES, FirstRunForm
from reclamations.web.forms.settings import COMMON_TIME_ZONES
from reclamations.web.permissions import home_of

GONE = _("L'installation est faite : la page de première installation n'existe plus.")
DONE = _(
    "Organisme créé, et vous êtes son responsable. Activez maintenant la double "
    "authentification, puis vérifiez les réglages de l'organisme."
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class _LoginView(LoginView):
    def get_default_redirect_url(self) -> str:
        # A super-administrator has no register to land on.
        return home_of(self.request.user)


_login_page = _LoginView.as_view(
    template_name="web/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)


def login_page(request: HttpRequest) -> HttpResponse:
    """The login page; while the installation has no account at all, its first run instead."""
    if not request.user.is_authenticated and first_run_open():
        return redirect("first_run")
    return _login_page(request)


@require_http_methods(["GET", "POST"])
def first_run(request: HttpRequest) -> HttpResponse:
    if not first_run_open():
        raise Http404(str(GONE))
    status = 200
    if request.method == "POST":
        form = FirstRunForm(request.POST)
        if form.is_valid():
            try:
                installed = installation_create(
                    values=form.values(), manager=form.manager(), via=Via.PAGE
                )
            except InstallationRefused:
                # Another submit made the organisation meanwhile: this page is gone.
                raise Http404(str(GONE)) from None
            except ValidationError as error:
                add_service_errors(form, error, SERVICE_ALIASES)
            else:
                # The first manager keeps the language the page was read in (French, or the
                # language cookie's): logged in, their pages follow User.language.
                user_language_set(user=installed.manager, language=staff_language(request))
                login(request, installed.manager, backend=MODEL_BACKEND)
                messages.success(request, gettext(DONE))
                # The settings page first sends a manager to set up two-factor authentication
                # (web.permissions), then back there.
                return redirect("organisation_settings")
        else:
            form.add_service_checks()
        status = 400
    else:
        form = FirstRunForm()
    return render(
        request,
        "web/first_run.html",
        {"form": form, "time_zones": COMMON_TIME_ZONES},
        status=status,
    )
