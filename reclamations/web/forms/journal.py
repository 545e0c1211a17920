"""The global journal's filters, read from the query string."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import EventType
from reclamations.core.models import Organisation
from reclamations.reporting.journal import SYSTEM, JournalFilters
from reclamations.web.forms.fields import choice, day
from reclamations.web.forms.filters import QueryFilterForm


class JournalFilterForm(QueryFilterForm):
    """Always bound to request.GET: a wrong value is reported and only that filter is dropped."""

    period = ("recorded_from", "recorded_to")

    recorded_from = day(_("Enregistrés à partir du"))
    recorded_to = day(_("Enregistrés jusqu'au"))
    actor = choice(_("Par"), [], blank=_("Toutes les personnes"))
    event_type = choice(_("Type d'événement"), EventType.choices, blank=_("Tous les événements"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = organisation.users.order_by("last_name", "first_name", "username")
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ChoiceField)
        actor.choices = [
            ("", _("Toutes les personnes")),
            *((str(person.pk), person.display_name) for person in people),
            (SYSTEM, _("Système (automatique)")),
        ]

    def filters(self) -> JournalFilters:
        """The valid filters only (call after is_valid())."""
        data = self.cleaned_data
        return JournalFilters(
            recorded_from=data.get("recorded_from"),
            recorded_to=data.get("recorded_to"),
            actor=data.get("actor", ""),
            event_type=data.get("event_type", ""),
        )
