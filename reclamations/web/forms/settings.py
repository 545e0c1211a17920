"""The organisation's settings page. Validation lives in core.services.organisation_update."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.validation import lazy_message
from reclamations.core.models import CALENDAR_KIND_CHOICES, PHONE_CLOCK_CHOICES, Organisation
from reclamations.core.procedure import (
    DEFAULT_ANONYMISE_MONTHS,
    DEFAULT_ARCHIVE_MONTHS,
    DEFAULT_DEADLINE_DAYS,
    MAX_ANONYMISE_MONTHS,
    MAX_ARCHIVE_MONTHS,
    MAX_DEADLINE_DAYS,
    MAX_DUE_SOON_DAYS,
    MIN_ANONYMISE_MONTHS,
    MIN_ARCHIVE_MONTHS,
    MIN_DEADLINE_DAYS,
    MIN_DUE_SOON_DAYS,
)
from reclamations.core.services import TEXT_FIELDS
from reclamations.web.forms.fields import choice, long_text, text, translated_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Subdivisions of the `holidays` package that have public holidays of their own.
SUBDIVISION_CHOICES = (
    ("", _("Métropole")),
    ("57", "Alsace-Moselle (Moselle 57)"),
    ("6AE", "Alsace (Bas-Rhin/Haut-Rhin)"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", _("Guyane")),
    ("974", _("La Réunion")),
    ("976", "Mayotte"),
    ("BL", _("Saint-Barthélemy")),
    ("MF", _("Saint-Martin")),
    ("PM", _("Saint-Pierre-et-Miquelon")),
    ("NC", _("Nouvelle-Calédonie")),
    ("PF", _("Polynésie française")),
    ("WF", _("Wallis-et-Futuna")),
    ("TF", _("Terres australes et antarctiques françaises")),
)
# Offered as suggestions; any IANA zone is accepted.
COMMON_TIME_ZONES = (
    "Europe/Paris",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Miquelon",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Pacific/Wallis",
)
DATES_HELP = _("Une date par ligne, au format JJ/MM/AAAA (ou AAAA-MM-JJ).")
POLICY_HELP = _(
    "Une nouvelle règle de délai s'applique aux réclamations enregistrées ensuite : les "
    "échéances des réclamations déjà enregistrées ne sont pas recalculées."
)

FIELDSETS = (
    (
        _("Identité de l'organisme"),
        (
            "name",
            "legal_name",
            "siret",
            "nda",
            "address",
            "phone",
            "website",
            "complaints_email",
        ),
        "",
    ),
    (_("Référent·e des réclamations"), ("referent_name", "referent_title", "referent_email"), ""),
    (_("Calendrier"), ("time_zone", "holiday_subdivision"), ""),
    (
        _("Délai de réponse"),
        (
            "deadline_days",
            "calendar_kind",
            "carry_saturday",
            "phone_clock",
            "suspend_while_awaiting_information",
            "due_soon_days",
            "extra_closures",
            "worked_holidays",
        ),
        POLICY_HELP,
    ),
    (_("Procédure"), ("reference_prefix", "procedure_version"), ""),
    (
        _("Analyse des causes"),
        ("cause_list",),
        _(
            "Les causes proposées quand la cause d'une réclamation est analysée. Une "
            "réclamation garde la cause choisie telle qu'elle était écrite : modifier la liste "
            "ne change aucune réclamation déjà analysée."
        ),
    ),
    (
        _("Recours"),
        (
            "mediator_name",
            "mediator_address",
            "mediator_website",
            "mediator_cecmc_listed",
            "court_name",
        ),
        "",
    ),
    (
        _("Données personnelles"),
        ("retention_archive_months", "retention_anonymise_months"),
        _(
            "Combien de temps après sa clôture une réclamation reste active, puis archivée "
            "(son dossier réservé aux responsables et à l'auditeur), avant d'être anonymisée : "
            "il ne reste alors que sa ligne au registre et ses chiffres. Une réclamation en "
            "médiation ou en contentieux non terminés est conservée telle quelle. Le travailleur "
            "applique ces "
            "durées chaque jour."
        ),
    ),
    (
        _("Sécurité des comptes"),
        ("two_factor_for_referents",),
        _(
            "Les responsables et les administrateurs se connectent toujours avec la double "
            "authentification (un code d'une application du téléphone en plus du mot de passe)."
        ),
    ),
)


def _french_dates(values: list[str]) -> str:
    return "\n".join(f"{date.fromisoformat(value):%d/%m/%Y}" for value in values)


class OrganisationSettingsForm(forms.Form):
    name = text(_("Nom de l'organisme"), max_length=TEXT_FIELDS["name"])
    legal_name = text(_("Raison sociale"), max_length=TEXT_FIELDS["legal_name"])
    siret = text(_("SIRET"), max_length=TEXT_FIELDS["siret"], help_text=_("14 chiffres."))
    nda = text(_("Numéro de déclaration d'activité"), max_length=TEXT_FIELDS["nda"])
    address = long_text(_("Adresse postale"), rows=3)
    phone = text(_("Téléphone"), max_length=TEXT_FIELDS["phone"])
    website = text(
        _("Site web"),
        max_length=TEXT_FIELDS["website"],
        help_text=_("Par exemple https://www.exemple.fr"),
    )
    complaints_email = text(
        _("Adresse e-mail des réclamations"), max_length=TEXT_FIELDS["complaints_email"]
    )
    referent_name = text(_("Nom du ou de la référent·e"), max_length=TEXT_FIELDS["referent_name"])
    referent_title = text(_("Fonction"), max_length=TEXT_FIELDS["referent_title"])
    referent_email = text(
        _("E-mail du ou de la référent·e"), max_length=TEXT_FIELDS["referent_email"]
    )
    time_zone = forms.CharField(
        label=_("Fuseau horaire"),
        required=False,
        max_length=TEXT_FIELDS["time_zone"],
        help_text=_("Nom IANA : Europe/Paris en métropole, Indian/Reunion, America/Cayenne…"),
        widget=forms.TextInput(attrs={"list": "fuseaux-horaires"}),
    )
    holiday_subdivision = choice(
        _("Jours fériés régionaux"),
        SUBDIVISION_CHOICES,
        help_text=_(
            "Les jours fériés sont calculés (Pâques, Vendredi saint en Alsace-Moselle, "
            "abolition de l'esclavage outre-mer…)."
        ),
    )
    deadline_days = forms.IntegerField(
        label=_("Délai de réponse (en jours)"),
        required=False,
        help_text=lazy_message(
            _("Entre %(min)d et %(max)d ; la procédure prévoit %(default)d jours ouvrables."),
            min=MIN_DEADLINE_DAYS,
            max=MAX_DEADLINE_DAYS,
            default=DEFAULT_DEADLINE_DAYS,
        ),
        error_messages={
            "invalid": lazy_message(
                _("Saisissez un nombre entier de jours, entre %(min)d et %(max)d."),
                min=MIN_DEADLINE_DAYS,
                max=MAX_DEADLINE_DAYS,
            )
        },
        widget=forms.NumberInput(attrs={"min": MIN_DEADLINE_DAYS, "max": MAX_DEADLINE_DAYS}),
    )
    calendar_kind = choice(
        _("Décompte des jours"), translated_choices(CALENDAR_KIND_CHOICES), radio=True
    )
    carry_saturday = forms.BooleanField(
        label=_("Reporter au jour ouvrable suivant une échéance tombant un samedi"),
        required=False,
        help_text=_(
            "Comme l'article 642 du code de procédure civile ; sinon l'échéance reste le samedi."
        ),
    )
    phone_clock = choice(
        _("Point de départ du délai d'une réclamation téléphonique"),
        translated_choices(PHONE_CLOCK_CHOICES),
    )
    suspend_while_awaiting_information = forms.BooleanField(
        label=_("Suspendre le délai pendant l'attente des informations du client"), required=False
    )
    due_soon_days = forms.IntegerField(
        label=_("Alerte « échéance proche » (jours avant l'échéance, selon le décompte choisi)"),
        required=False,
        error_messages={
            "invalid": lazy_message(
                _("Saisissez un nombre entier de jours, entre %(min)d et %(max)d."),
                min=MIN_DUE_SOON_DAYS,
                max=MAX_DUE_SOON_DAYS,
            )
        },
        widget=forms.NumberInput(attrs={"min": MIN_DUE_SOON_DAYS, "max": MAX_DUE_SOON_DAYS}),
    )
    extra_closures = long_text(_("Fermetures de l'organisme"), help_text=DATES_HELP, rows=3)
    worked_holidays = long_text(
        _("Jours fériés travaillés"),
        help_text=lazy_message(_("%(dates)s Ces jours comptent dans le délai."), dates=DATES_HELP),
        rows=3,
    )
    reference_prefix = text(
        _("Préfixe des références"),
        max_length=TEXT_FIELDS["reference_prefix"],
        help_text=_("Lettres et chiffres : REC donne REC-2026-0001."),
    )
    procedure_version = text(
        _("Version de la procédure en vigueur"),
        max_length=TEXT_FIELDS["procedure_version"],
        help_text=_("Enregistrée avec chaque nouvelle réclamation."),
    )
    cause_list = long_text(
        _("Causes proposées"),
        help_text=_("Une cause par ligne. Laissée vide, la liste par défaut s'applique."),
        rows=12,
    )
    mediator_name = text(_("Médiateur de la consommation"), max_length=TEXT_FIELDS["mediator_name"])
    mediator_address = long_text(_("Adresse du médiateur"), rows=3)
    mediator_website = text(_("Site du médiateur"), max_length=TEXT_FIELDS["mediator_website"])
    mediator_cecmc_listed = forms.BooleanField(
        label=_("Médiateur référencé par la CECMC"),
        required=False,
        help_text=_(
            "La liste des médiateurs de la consommation référencés est publiée sur "
            "economie.gouv.fr (CECMC). Tant que cette case n'est pas cochée, chaque réponse qui "
            "nomme le médiateur le signale avant l'envoi."
        ),
    )
    court_name = text(
        _("Tribunal compétent"),
        max_length=TEXT_FIELDS["court_name"],
        help_text=_("Mentionné aux clients professionnels seulement."),
    )

    retention_archive_months = forms.IntegerField(
        label=_("Archivage après la clôture (mois)"),
        required=False,
        help_text=lazy_message(
            _("Entre %(min)d et %(max)d mois ; %(default)d par défaut."),
            min=MIN_ARCHIVE_MONTHS,
            max=MAX_ARCHIVE_MONTHS,
            default=DEFAULT_ARCHIVE_MONTHS,
        ),
        widget=forms.NumberInput(attrs={"min": MIN_ARCHIVE_MONTHS, "max": MAX_ARCHIVE_MONTHS}),
    )
    retention_anonymise_months = forms.IntegerField(
        label=_("Anonymisation après la clôture (mois)"),
        required=False,
        help_text=lazy_message(
            _(
                "Entre %(min)d et %(max)d mois ; %(default)d (cinq ans, la prescription de "
                "droit commun) par défaut."
            ),
            min=MIN_ANONYMISE_MONTHS,
            max=MAX_ANONYMISE_MONTHS,
            default=DEFAULT_ANONYMISE_MONTHS,
        ),
        widget=forms.NumberInput(attrs={"min": MIN_ANONYMISE_MONTHS, "max": MAX_ANONYMISE_MONTHS}),
    )

    two_factor_for_referents = forms.BooleanField(
        label=_("Double authentification obligatoire pour les référent·es"),
        required=False,
        help_text=_(
            "Sinon, chacun·e choisit depuis « Mon compte ». Une référente qui ne l'a pas "
            "encore activée le fait à sa prochaine connexion."
        ),
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(organisation, name) for name in cls.base_fields}
        for name in ("extra_closures", "worked_holidays"):
            initial[name] = _french_dates(getattr(organisation, name))
        initial["cause_list"] = "\n".join(organisation.causes)
        return initial

    def values(self) -> dict[str, Any]:
        """What the service validates; numbers left empty are reported by the service."""
        values = dict(self.cleaned_data)
        for name in (
            "deadline_days",
            "due_soon_days",
            "retention_archive_months",
            "retention_anonymise_months",
        ):
            if values.get(name) is None:
                values[name] = self.data.get(name, "")
        return values

    def fieldsets(self) -> list[tuple["StrOrPromise", list[forms.BoundField], "StrOrPromise"]]:
        return [(title, [self[name] for name in names], help) for title, names, help in FIELDSETS]
