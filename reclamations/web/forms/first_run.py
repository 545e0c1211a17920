"""The first run's form: the organisation's settings as the settings page asks them (the same
fields, copied from OrganisationSettingsForm), and the first manager's account. What is right
or wrong is the services' to say (core.installation), for this page and `reclamations init`."""

import copy
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reclamations.core.form_fields import add_service_errors
from reclamations.core.installation import (
    FIRST_RUN_SETTINGS,
    MANAGER_FIELDS,
    REQUIRED_AT_FIRST_RUN,
    NewManager,
    first_run_errors,
)
from reclamations.core.models import Organisation
from reclamations.web.forms.fields import text
from reclamations.web.forms.settings import OrganisationSettingsForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PASSWORD_LABELS = (_("Mot de passe"), _("Mot de passe (confirmation)"))
PASSWORD_HELP = _(
    "8 caractères au moins : une phrase que vous retenez vaut mieux qu'un mot compliqué. La "
    "double authentification sera activée juste après (une application du téléphone)."
)
# The service names the password's errors once; the page shows them under the first field.
SERVICE_ALIASES = {MANAGER_FIELDS["password"]: "manager_password1"}
MISMATCH = _("Les deux mots de passe diffèrent : saisissez deux fois le même.")

REQUIRED = (
    *REQUIRED_AT_FIRST_RUN,
    "manager_username",
    "manager_email",
    "manager_password1",
    "manager_password2",
)

FIRST_RUN_FIELDSETS = (
    (
        _("Identité de l'organisme"),
        ("name", "legal_name", "siret", "nda", "address", "phone", "website", "complaints_email"),
        "",
    ),
    (_("Référent·e des réclamations"), ("referent_name", "referent_title", "referent_email"), ""),
    (
        _("Calendrier"),
        ("time_zone", "holiday_subdivision"),
        _(
            "Les jours fériés de l'Alsace-Moselle et de l'outre-mer comptent dans les délais de "
            "l'organisme qui y est établi."
        ),
    ),
    (
        _("Délai de réponse"),
        (
            "deadline_days",
            "calendar_kind",
            "carry_saturday",
            "phone_clock",
            "suspend_while_awaiting_information",
        ),
        _("La procédure prévoit 10 jours ouvrables à compter de la réception."),
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
        _(
            "Le médiateur de la consommation est indiqué aux clients particuliers, le tribunal "
            "aux clients professionnels. Vous pourrez compléter ces mentions plus tard dans les "
            "réglages."
        ),
    ),
    (
        _("Premier compte responsable"),
        (
            "manager_username",
            "manager_first_name",
            "manager_last_name",
            "manager_email",
            "manager_password1",
            "manager_password2",
        ),
        _(
            "Le responsable gère les réglages et les comptes ; il crée ensuite ceux des "
            "référent·es et de l'auditeur."
        ),
    ),
)


def _setting(name: str) -> forms.Field:
    """The settings page's field (label, help, limits), marked required here when it is."""
    return copy.deepcopy(OrganisationSettingsForm.base_fields[name])


def _password(label: "StrOrPromise", autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class FirstRunForm(forms.Form):
    name = _setting("name")
    legal_name = _setting("legal_name")
    siret = _setting("siret")
    nda = _setting("nda")
    address = _setting("address")
    phone = _setting("phone")
    website = _setting("website")
    complaints_email = _setting("complaints_email")
    referent_name = _setting("referent_name")
    referent_title = _setting("referent_title")
    referent_email = _setting("referent_email")
    time_zone = _setting("time_zone")
    holiday_subdivision = _setting("holiday_subdivision")
    deadline_days = _setting("deadline_days")
    calendar_kind = _setting("calendar_kind")
    carry_saturday = _setting("carry_saturday")
    phone_clock = _setting("phone_clock")
    suspend_while_awaiting_information = _setting("suspend_while_awaiting_information")
    mediator_name = _setting("mediator_name")
    mediator_address = _setting("mediator_address")
    mediator_website = _setting("mediator_website")
    mediator_cecmc_listed = _setting("mediator_cecmc_listed")
    court_name = _setting("court_name")

    manager_username = text(
        _("Nom d'utilisateur"),
        max_length=150,
        help_text=_("Pour se connecter : lettres, chiffres et @ . + - _ (par exemple prenom.nom)."),
    )
    manager_first_name = text(_("Prénom"), max_length=150)
    manager_last_name = text(pgettext_lazy("nom de famille", "Nom"), max_length=150)
    manager_email = text(
        _("E-mail"),
        max_length=254,
        help_text=_("Les rappels d'échéance et le lien « mot de passe oublié » y arrivent."),
    )
    manager_password1 = _password(PASSWORD_LABELS[0])
    manager_password2 = _password(PASSWORD_LABELS[1])

    def __init__(self, *args: Any, password_required: bool = True, **kwargs: Any) -> None:
        """`password_required`: False for `reclamations init`, which makes a provisional
        password when none is given."""
        kwargs.setdefault("initial", self.defaults())
        super().__init__(*args, **kwargs)
        self.password_required = password_required
        self.fields["manager_password1"].help_text = PASSWORD_HELP
        for name in REQUIRED:
            if not password_required and name in ("manager_password1", "manager_password2"):
                continue
            field = self.fields[name]
            field.label = gettext("%(label)s (obligatoire)") % {"label": field.label}
            field.widget.attrs["aria-required"] = "true"
        for name in ("manager_password1", "manager_password2"):
            # A password is never sent back to the browser: typed again after an error.
            self.fields[name].widget.render_value = False

    @staticmethod
    def defaults() -> dict[str, Any]:
        """What a new organisation starts with (the model's defaults, never the demo's)."""
        initial = OrganisationSettingsForm.initial_for(Organisation())
        return {name: initial[name] for name in FIRST_RUN_SETTINGS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        first, second = cleaned.get("manager_password1"), cleaned.get("manager_password2")
        if not first and not second and not self.password_required:
            return cleaned
        if not first:
            self.add_error(
                "manager_password1", gettext("Choisissez le mot de passe du responsable.")
            )
        elif not second:
            self.add_error(
                "manager_password2", gettext("Saisissez le mot de passe une deuxième fois.")
            )
        elif first != second:
            self.add_error("manager_password2", str(MISMATCH))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The organisation's settings as the service reads them; numbers left empty or wrong
        are reported by the service, in its words."""
        values = {name: self.cleaned_data.get(name) for name in FIRST_RUN_SETTINGS}
        if values.get("deadline_days") is None:
            values["deadline_days"] = self.data.get("deadline_days", "")
        return values

    def manager(self) -> NewManager:
        data = self.cleaned_data
        return NewManager(
            username=data.get("manager_username", ""),
            email=data.get("manager_email", ""),
            password=data.get("manager_password1") or "",
            first_name=data.get("manager_first_name", ""),
            last_name=data.get("manager_last_name", ""),
        )

    def add_service_checks(self) -> None:
        """The services' messages for the fields the form itself found nothing wrong with, so
        that one submit shows every error."""
        _cleaned, errors = first_run_errors(self.values(), self.manager())
        fresh = {
            name: messages
            for name, messages in errors.items()
            if SERVICE_ALIASES.get(name, name) not in self.errors
        }
        if fresh:
            add_service_errors(self, ValidationError(fresh), SERVICE_ALIASES)

    def fieldsets(self) -> list[tuple["StrOrPromise", list[forms.BoundField], "StrOrPromise"]]:
        return [
            (title, [self[name] for name in names], help)
            for title, names, help in FIRST_RUN_FIELDSETS
        ]
