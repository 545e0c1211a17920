"""The staff reminders' settings page. Validation lives in reminders.services
(reminder_settings_update), shared with `reclamations reminder-settings`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.reminders.models import ReminderSettings

HOUR_CHOICES = [(hour, f"{hour} h") for hour in range(24)]


class ReminderSettingsForm(forms.Form):
    include_managers = forms.BooleanField(
        label=_("Envoyer aussi aux responsables"),
        required=False,
        help_text=_(
            "Les rappels vont toujours à l'adresse du référent des réglages ; cochée, aussi à "
            "chaque responsable actif qui a une adresse e-mail."
        ),
    )
    days_before = forms.CharField(
        label=_("Rappels avant l'échéance (jours)"),
        required=False,
        max_length=40,
        help_text=_(
            "Nombres de jours séparés par des virgules, par exemple « 3,1 » : un rappel trois "
            "jours puis un jour avant l'échéance, comptés comme l'organisme compte ses délais. "
            "Vide : aucun rappel avant l'échéance, seulement les alertes de retard."
        ),
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Heure d'envoi"),
        choices=HOUR_CHOICES,
        coerce=int,
        help_text=_("Heure locale de l'organisme à partir de laquelle les rappels partent."),
        error_messages={"invalid_choice": _("Choisissez une heure de la liste.")},
    )

    @staticmethod
    def initial_for(current: ReminderSettings) -> dict[str, Any]:
        return {
            "include_managers": current.include_managers,
            "days_before": current.days_before,
            "digest_hour": current.digest_hour,
        }
