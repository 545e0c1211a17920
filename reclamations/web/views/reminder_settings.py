"""Who receives the staff reminders and when, for the organisation's managers (issue 13): the
page of `reclamations reminder-settings`, through the same service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reclamations.core.form_fields import add_service_errors
from reclamations.reminders.services import (
    reminder_settings_for,
    reminder_settings_update,
    staff_recipients,
)
from reclamations.web.forms.reminders import ReminderSettingsForm
from reclamations.web.permissions import manager_required


@manager_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    current = reminder_settings_for(organisation)
    status = 200
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            before = ReminderSettingsForm.initial_for(current)
            try:
                saved = reminder_settings_update(
                    organisation=organisation,
                    include_managers=form.cleaned_data["include_managers"],
                    days_before=form.cleaned_data["days_before"],
                    digest_hour=form.cleaned_data["digest_hour"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if ReminderSettingsForm.initial_for(saved) != before:
                    messages.success(request, _("Réglages des rappels enregistrés."))
                else:
                    messages.info(
                        request, _("Aucune modification : les réglages des rappels sont inchangés.")
                    )
                return redirect("reminder_settings")
        status = 400
    else:
        form = ReminderSettingsForm(initial=ReminderSettingsForm.initial_for(current))
    return render(
        request,
        "web/reminder_settings.html",
        {
            "form": form,
            "recipients": staff_recipients(organisation, current),
            "nav": "settings",
        },
        status=status,
    )
