"""Registration of a complaint as received: every field of services.NewComplaint."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import (
    Category,
    Channel,
    ClientLanguage,
    ClientType,
    Funding,
    Kind,
    RequestChannel,
    Severity,
)
from reclamations.complaints.fields import DETAIL_FIELDS, max_length
from reclamations.complaints.services import NewComplaint
from reclamations.web.forms.fields import (
    TIME_INVALID,
    TimeInput,
    choice,
    day,
    free_text,
    local_moment,
    long_text,
    text,
    upload,
)

# What staff register by hand; the portal and the API bring their own complaints.
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.API]
CLIENT_TYPE_HELP = _(
    "Laissé vide, il est déduit du financement : CPF, autofinancement ou France Travail "
    "donnent « particulier », entreprise ou OPCO donnent « professionnel »."
)
# Service error keys that belong to a field with another name here.
ERROR_ALIASES = {"received_at": "received_date"}


class ComplaintDetailsForm(forms.Form):
    """The client and qualification fields, shared with the "Modifier la fiche" action."""

    client_name = text(_("Nom du client"), max_length=max_length("client_name"))
    client_account = text(_("Compte client concerné"), max_length=max_length("client_account"))
    funding = choice(
        _("Financement"),
        Funding.choices,
        blank=_("Non précisé"),
        help_text=_("Le type de client en est déduit s'il n'est pas indiqué."),
    )
    client_type = choice(
        _("Type de client"),
        ClientType.choices,
        blank=_("Déduit du financement"),
        help_text=CLIENT_TYPE_HELP,
    )
    client_email = forms.CharField(
        label=_("E-mail du client"),
        required=False,
        max_length=max_length("client_email"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    client_phone = text(_("Téléphone du client"), max_length=max_length("client_phone"))
    client_address = long_text(_("Adresse postale du client"), rows=3)
    client_language = choice(
        _("Langue du client"),
        ClientLanguage.choices,
        help_text=_(
            "Les messages au client (accusé de réception, demandes, réponse…) sont écrits dans "
            "cette langue."
        ),
    )
    training = text(_("Formation concernée"), max_length=max_length("training"))
    session = text(
        _("Session"),
        max_length=max_length("session"),
        help_text=_("Par exemple « Du 3 au 7 mars 2026, Nice » ou le code de la session."),
    )
    trainer = text(_("Formateur ou formatrice"), max_length=max_length("trainer"))
    funder = text(
        _("Financeur"),
        max_length=max_length("funder"),
        help_text=_("L'organisme qui finance : OPCO Atlas, France Travail, l'employeur…"),
    )
    description = free_text(_("Description de la réclamation"), rows=6)
    remedy_sought = free_text(
        _("Attente du client"), help_text=_("Ce que le client demande."), rows=3
    )
    kind = choice(
        _("Nature"),
        Kind.choices,
        help_text=_(
            "Une simple demande d'information n'est pas une réclamation : "
            "choisissez « Non recevable » et indiquez le motif."
        ),
    )
    not_admissible_reason = free_text(
        _("Motif de non-recevabilité"),
        help_text=_("Obligatoire pour une demande non recevable."),
        rows=3,
    )
    category = choice(_("Catégorie"), Category.choices, blank=_("Non classée"))
    severity = choice(_("Gravité"), Severity.choices)

    detail_names = DETAIL_FIELDS

    def details(self) -> dict[str, str]:
        values = {name: self.cleaned_data.get(name) or "" for name in self.detail_names}
        # A request that leaves out these lists gets the defaults a browser would have sent.
        values["kind"] = values["kind"] or Kind.COMPLAINT
        values["severity"] = values["severity"] or Severity.MEDIUM
        values["client_language"] = values["client_language"] or ClientLanguage.FRENCH
        return values


class ComplaintNewForm(ComplaintDetailsForm):
    field_order = (
        "channel",
        "received_date",
        "received_time",
        "backdating_reason",
        "confirmation_requested_via",
        "client_name",
        "client_account",
        "description",
    )

    channel = forms.ChoiceField(
        label=_("Canal de réception"),
        choices=STAFF_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez le canal par lequel la réclamation est arrivée."),
            "invalid_choice": _(
                "Canal inconnu : choisissez courrier, e-mail, téléphone ou formulaire web."
            ),
        },
    )
    received_date = day(
        _("Date de réception"),
        help_text=_("Dans le fuseau horaire de l'organisme. Par défaut : aujourd'hui."),
    )
    received_time = forms.TimeField(
        label=_("Heure de réception"),
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": TIME_INVALID},
    )
    backdating_reason = free_text(
        _("Motif de la saisie a posteriori"),
        help_text=_(
            "Obligatoire si la réclamation a été reçue avant aujourd'hui ; ce motif est "
            "conservé dans la chronologie."
        ),
        rows=2,
    )
    confirmation_requested_via = choice(
        _("Confirmation écrite demandée par"),
        RequestChannel.choices,
        help_text=_(
            "Pour une réclamation téléphonique seulement : une confirmation écrite est "
            "toujours demandée au client."
        ),
    )
    original = upload(
        _("Scan de la réclamation écrite"),
        help_text=_(
            "PDF, JPEG ou PNG : le fichier est conservé tel quel, avec son empreinte SHA-256."
        ),
    )

    def __init__(self, *args: Any, zone: ZoneInfo, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        local_now = now.astimezone(zone)
        self.fields["received_date"].initial = local_now.date()
        self.fields["received_time"].initial = local_now.time().replace(second=0, microsecond=0)
        self.fields["kind"].initial = Kind.COMPLAINT
        self.fields["severity"].initial = Severity.MEDIUM
        self.fields["confirmation_requested_via"].initial = RequestChannel.EMAIL

    def received_at(self) -> datetime | None:
        """Date and time of reception in the organisation's zone; None when the date is missing."""
        return local_moment(
            self.cleaned_data.get("received_date"),
            self.cleaned_data.get("received_time"),
            self.zone,
        )

    def new_complaint(self) -> NewComplaint:
        received_at = self.received_at()
        return NewComplaint(
            channel=self.cleaned_data["channel"],
            received_at=received_at,  # type: ignore[arg-type]  # the service reports None
            backdating_reason=self.cleaned_data.get("backdating_reason") or "",
            confirmation_requested_via=self.cleaned_data.get("confirmation_requested_via")
            or RequestChannel.EMAIL,
            **self.details(),
        )
