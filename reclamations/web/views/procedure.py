"""The organisation's complaints procedure: its versions for every reader, a new one published
by a manager."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reclamations.complaints.organisation_events import organisation_procedure_publish
from reclamations.core.form_fields import add_service_errors
from reclamations.core.localtime import local_today
from reclamations.core.models import ProcedureVersion
from reclamations.core.procedures import version_in_force
from reclamations.core.roles import can_manage
from reclamations.web.forms.procedure import ProcedureVersionForm
from reclamations.web.permissions import manager_required, reader_required


def _versions(request: HttpRequest) -> list[ProcedureVersion]:
    return list(
        ProcedureVersion.objects.filter(organisation=request.user.organisation)
        .select_related("published_by")
        .order_by("-number")
    )


@reader_required
@require_GET
def procedure(request: HttpRequest, number: int | None = None) -> HttpResponse:
    """A version of the procedure (the one in force today unless `number` says), and the list."""
    organisation = request.user.organisation
    versions = _versions(request)
    in_force = version_in_force(organisation, local_today(organisation))
    shown = (
        get_object_or_404(ProcedureVersion, organisation=organisation, number=number)
        if number is not None
        else in_force
    )
    return render(
        request,
        "web/procedure.html",
        {
            "versions": versions,
            "shown": shown,
            "in_force": in_force,
            "can_publish": can_manage(request.user.role),
            "nav": "procedure",
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def procedure_new(request: HttpRequest) -> HttpResponse:
    """Publish the next version, starting from the latest one's text."""
    organisation = request.user.organisation
    latest = ProcedureVersion.objects.filter(organisation=organisation).order_by("-number").first()
    if request.method == "POST":
        form = ProcedureVersionForm(request.POST)
        if form.is_valid():
            try:
                version = organisation_procedure_publish(
                    organisation=organisation,
                    text=form.cleaned_data["text"],
                    label=form.cleaned_data["label"],
                    in_force_from=form.cleaned_data["in_force_from"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Version « %(label)s » publiée.") % {"label": version.label}
                )
                return redirect("procedure_version", number=version.number)
        status = 400
    else:
        form = ProcedureVersionForm(
            initial={
                "text": latest.text if latest else "",
                "in_force_from": local_today(organisation),
            }
        )
        status = 200
    return render(
        request,
        "web/procedure_new.html",
        {"form": form, "latest": latest, "nav": "procedure"},
        status=status,
    )
