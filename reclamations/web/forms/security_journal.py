"""The security journal's filters, read from the query string."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.core.models import User
from reclamations.core.security_events import SecurityEvent
from reclamations.core.security_journal import SecurityFilters
from reclamations.web.forms.fields import choice, day
from reclamations.web.forms.filters import QueryFilterForm


class SecurityFilterForm(QueryFilterForm):
    """Always bound to request.GET: a wrong value is reported and only that filter is dropped."""

    period = ("since", "until")

    since = day(_("Du"))
    until = day(_("Au"))
    person = choice(_("Compte"), [], blank=_("Tous les comptes"))
    kind = choice(_("Événement"), SecurityEvent.choices, blank=_("Tous les événements"))

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(organisation_id=viewer.organisation_id).order_by(
            "last_name", "first_name", "username"
        )
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [
            ("", _("Tous les comptes")),
            *(
                (str(account.pk), f"{account.display_name} ({account.username})")
                for account in people
            ),
        ]

    def filters(self) -> SecurityFilters:
        """The valid filters only (call after is_valid())."""
        data = self.cleaned_data
        person = data.get("person") or ""
        return SecurityFilters(
            kind=data.get("kind") or "",
            user_id=int(person) if person else None,
            since=data.get("since"),
            until=data.get("until"),
        )
