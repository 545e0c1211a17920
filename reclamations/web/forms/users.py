"""Adding a staff account, and changing one."""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from reclamations.core.languages import STAFF_LANGUAGES
from reclamations.core.models import User
from reclamations.core.roles import ORGANISATION_ROLE_CHOICES, Role
from reclamations.web.forms.account import LanguageSelect
from reclamations.web.forms.fields import day, text

USERNAME_HELP = _("Lettres, chiffres et . @ + - _ seulement ; il sert à se connecter.")


class UserAddForm(forms.Form):
    username = forms.CharField(
        label=_("Nom d'utilisateur"),
        max_length=150,
        help_text=USERNAME_HELP,
        validators=[
            UnicodeUsernameValidator(
                message=_(
                    "Nom d'utilisateur invalide : lettres, chiffres et . @ + - _ seulement ; il "
                    "sert à se connecter."
                )
            )
        ],
        error_messages={"required": _("Indiquez le nom d'utilisateur du compte.")},
    )
    first_name = text(_("Prénom"), max_length=150)
    last_name = text(pgettext_lazy("nom de famille", "Nom"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={
            "invalid": _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")
        },
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=ORGANISATION_ROLE_CHOICES,
        error_messages={
            "required": _("Choisissez le rôle du compte."),
            "invalid_choice": _("Ce rôle n'est pas disponible pour votre compte."),
        },
    )

    access_until = day(
        _("Accès jusqu'au"),
        help_text=_(
            "Obligatoire pour un auditeur : son accès prend fin de lui-même après ce jour."
        ),
    )
    invite = forms.BooleanField(
        label=_("Inviter par e-mail"),
        required=False,
        initial=True,
        help_text=_(
            "La personne reçoit un lien pour choisir elle-même son mot de passe. Sinon, "
            "un mot de passe provisoire est affiché une fois, à lui transmettre."
        ),
    )

    def __init__(self, *args: Any, may_create_admins: bool, today: date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)
        if not may_create_admins:
            self.fields["role"].choices = [
                (value, label) for value, label in ORGANISATION_ROLE_CHOICES if value != Role.ADMIN
            ]
        self.fields["role"].initial = Role.REFERENT

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        until = cleaned.get("access_until")
        if (
            cleaned.get("role") == Role.AUDITOR
            and until is None
            and "access_until" not in self.errors
        ):
            self.add_error(
                "access_until", gettext("Indiquez jusqu'à quel jour l'auditeur aura accès.")
            )
        elif until is not None and until < self.today:
            self.add_error(
                "access_until", gettext("Ce jour est passé : choisissez aujourd'hui ou plus tard.")
            )
        if cleaned.get("invite") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", gettext("Indiquez l'adresse e-mail où envoyer l'invitation."))
        return cleaned


class UserEditForm(forms.Form):
    """An account's names, e-mail, role, language and end of access; the rules of who gives
    which role are core.account_edit.user_update's, the form offers only what they allow."""

    first_name = text(_("Prénom"), max_length=150)
    last_name = text(pgettext_lazy("nom de famille", "Nom"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Les invitations, les rappels et les liens de mot de passe y sont envoyés."),
        error_messages={
            "invalid": _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")
        },
    )
    role = forms.ChoiceField(
        label=_("Rôle"),
        choices=ORGANISATION_ROLE_CHOICES,
        error_messages={
            "required": _("Choisissez le rôle du compte."),
            "invalid_choice": _("Ce rôle n'est pas disponible pour votre compte."),
        },
    )
    language = forms.ChoiceField(
        label=_("Langue des pages"),
        widget=LanguageSelect,
        choices=STAFF_LANGUAGES,
        error_messages={"invalid_choice": _("Choisissez une langue dans la liste.")},
    )
    access_until = day(
        _("Accès jusqu'au"),
        help_text=_(
            "Obligatoire pour un auditeur : son accès prend fin de lui-même après ce jour."
        ),
    )

    def __init__(self, *args: Any, roles: list[Role], own: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value.value, value.label) for value in roles]
        if own:
            role.help_text = _(
                "Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre responsable."
            )

    @staticmethod
    def initial_for(account: User) -> dict[str, Any]:
        return {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "email": account.email,
            "role": account.role,
            "language": account.language,
            "access_until": account.access_until,
        }

    def values(self) -> dict[str, Any]:
        """What user_update reads (call after is_valid())."""
        return dict(self.cleaned_data)
