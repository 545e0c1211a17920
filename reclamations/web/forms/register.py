"""The register's filters, read from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import Category, Channel, ClientType, Kind, Status
from reclamations.complaints.fields import max_length
from reclamations.complaints.queries import (
    CONTEXT_FILTERS,
    ORDER_LABELS,
    RELEVANCE,
    URGENT_FIRST,
    RegisterFilters,
)
from reclamations.complaints.search_text import search_terms
from reclamations.web.forms.fields import FlagInput, choice, day, text
from reclamations.web.forms.filters import QueryFilterForm

# The labels are marked in complaints.queries (gettext_noop), translated here.
ORDER_CHOICES = tuple((value, _(label)) for value, label in ORDER_LABELS.items())
DEFAULT_ORDER = _("Par défaut")


class RegisterFilterForm(QueryFilterForm):
    """Always bound to request.GET: a wrong value is reported and only that filter is dropped."""

    period = ("received_from", "received_to")

    q = text(
        _("Rechercher"),
        max_length=200,
        help_text=_(
            "Référence, client, compte, formation, description, actions, réponse, notes… "
            "Majuscules et accents indifférents."
        ),
    )
    status = choice(_("Statut"), Status.choices, blank=_("Tous les statuts"))
    kind = choice(_("Nature"), Kind.choices, blank=_("Toutes les natures"))
    channel = choice(_("Canal"), Channel.choices, blank=_("Tous les canaux"))
    client_type = choice(_("Type de client"), ClientType.choices, blank=_("Tous les types"))
    category = choice(_("Catégorie"), Category.choices, blank=_("Toutes les catégories"))
    training = text(_("Formation"), max_length=max_length("training"))
    session = text(_("Session"), max_length=max_length("session"))
    trainer = text(_("Formateur ou formatrice"), max_length=max_length("trainer"))
    funder = text(_("Financeur"), max_length=max_length("funder"))
    cause = forms.CharField(
        label=_("Cause"),
        required=False,
        max_length=max_length("cause"),
        widget=forms.TextInput(attrs={"list": "causes"}),
    )
    received_from = day(_("Reçues à partir du"))
    received_to = day(_("Reçues jusqu'au"))
    open = forms.BooleanField(label=_("Ouvertes seulement"), required=False, widget=FlagInput())
    due_soon = forms.BooleanField(label=_("Échéance proche"), required=False, widget=FlagInput())
    overdue = forms.BooleanField(label=_("En retard"), required=False, widget=FlagInput())
    # Left at its default, the order follows the search: its best matches first, or else what
    # needs work first (a select cannot tell a chosen value from the one it showed).
    order = choice(
        _("Trier par"),
        ORDER_CHOICES,
        blank=DEFAULT_ORDER,
        help_text=_("Par défaut : à traiter d'abord ; avec une recherche, par pertinence."),
    )

    def filters(self) -> RegisterFilters:
        """The valid filters only (call after is_valid())."""
        data = self.cleaned_data
        return RegisterFilters(
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            channel=data.get("channel", ""),
            client_type=data.get("client_type", ""),
            category=data.get("category", ""),
            **{name: data.get(name, "") for name in CONTEXT_FILTERS},
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            overdue=True if data.get("overdue") else None,
            due_soon=bool(data.get("due_soon")),
            open_only=bool(data.get("open")),
            search=data.get("q", ""),
            # With a search, its best matches first unless another order is chosen.
            order=data.get("order")
            or (RELEVANCE if search_terms(data.get("q", "")) else URGENT_FIRST),
        )
