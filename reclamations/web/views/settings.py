from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reclamations.complaints.organisation_events import organisation_settings_update
from reclamations.core.form_fields import add_service_errors
from reclamations.web.forms.settings import COMMON_TIME_ZONES, OrganisationSettingsForm
from reclamations.web.permissions import manager_required


def public_url() -> str:
    """The portal's home, as clients reach it."""
    return f"{settings.RECLAMATIONS_BASE_URL}/suivi/"


def public_snippet() -> str:
    """The HTML an organisation puts on its website to lead clients to the portal."""
    return (
        f'<a href="{public_url()}">Réclamations : nous faire part d\'une difficulté, '
        "suivre votre réclamation</a>"
    )


@manager_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    status = 200
    if request.method == "POST":
        form = OrganisationSettingsForm(request.POST)
        if form.is_valid():
            try:
                changed = organisation_settings_update(
                    organisation=organisation, actor=request.user, values=form.values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("Réglages enregistrés."))
                else:
                    messages.info(request, _("Aucune modification : les réglages sont inchangés."))
                return redirect("organisation_settings")
        status = 400
    else:
        form = OrganisationSettingsForm(initial=OrganisationSettingsForm.initial_for(organisation))
    return render(
        request,
        "web/settings.html",
        {
            "form": form,
            "time_zones": COMMON_TIME_ZONES,
            "nav": "settings",
            "public_url": public_url(),
            "snippet": public_snippet(),
        },
        status=status,
    )
