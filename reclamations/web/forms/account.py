"""The account's own forms: its second factor, its password, its API tokens; the password reset
by e-mail, sent through the outbox like every message."""

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from reclamations.core.languages import STAFF_LANGUAGES, language_of
from reclamations.core.models import Organisation, User
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.users import TOKEN_DAY_CHOICES
from reclamations.outbox.services import outbox_queue
from reclamations.web.invitations import link_days, one_time_link

KIND_PASSWORD_RESET = "staff_password_reset"  # noqa: S105 - a kind of message
NEW_PASSWORD_LABELS = (_("Nouveau mot de passe"), _("Nouveau mot de passe (confirmation)"))


def _french_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].label, form.fields["new_password2"].label = NEW_PASSWORD_LABELS
    form.fields["new_password1"].error_messages["required"] = _(
        "Choisissez un nouveau mot de passe."
    )
    form.fields["new_password2"].error_messages["required"] = _(
        "Saisissez le nouveau mot de passe une deuxième fois."
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Les 6 chiffres affichés par votre application d'authentification, ou l'un "
            "de vos codes de secours."
        ),
        error_messages={"required": _("Saisissez le code affiché par votre application.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )


class EnrolmentForm(forms.Form):
    code = forms.CharField(
        label=_("Code affiché par l'application"),
        max_length=10,
        help_text=_("6 chiffres, qui changent toutes les 30 secondes."),
        error_messages={"required": _("Saisissez le code affiché par l'application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccountPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mot de passe actuel")
        self.fields["old_password"].error_messages["required"] = _(
            "Saisissez votre mot de passe actuel."
        )
        _french_password_fields(self)


class ProvisionalPasswordForm(SetPasswordForm):
    """The account's own password, in place of the provisional one it logged in with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _french_password_fields(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        password = cleaned.get("new_password2")
        if password and "new_password2" not in self.errors and self.user.check_password(password):
            self.add_error(
                "new_password2",
                forms.ValidationError(
                    _("Choisissez un mot de passe différent du mot de passe provisoire."),
                    code="password_unchanged",
                ),
            )
        return cleaned


class ResetPasswordForm(SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _french_password_fields(self)


class PasswordForgottenForm(PasswordResetForm):
    """Asks for the account's address; the link is queued in the outbox (the worker sends it).
    The page says the same whether or not an account has that address."""

    email = forms.EmailField(
        label=_("Adresse e-mail de votre compte"),
        max_length=254,
        error_messages={
            "required": _("Indiquez l'adresse e-mail de votre compte."),
            "invalid": _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"]
        request = kwargs.get("request")
        security_record(SecurityEvent.PASSWORD_RESET_ASKED, username=email, request=request)
        for user in self.get_users(email):
            if user.organisation is not None:
                with transaction.atomic():
                    password_reset_send(user=user)


def password_reset_send(*, user: User) -> None:
    """Queue the link to choose a new password, in the account's language (User.language)."""
    organisation = user.organisation
    assert organisation is not None
    with translation.override(language_of(user.language)):
        subject, body = _password_reset(user, organisation)
    outbox_queue(
        organisation=organisation,
        kind=KIND_PASSWORD_RESET,
        to=user.email,
        subject=subject,
        body_text=body,
        auto_submitted=True,
    )


def _password_reset(user: User, organisation: Organisation) -> tuple[str, str]:
    """The subject and text of the password reset, in the active language."""
    days = link_days()
    values = {"username": user.username, "organisation": organisation.name, "days": days}
    link = (
        gettext("Choisissez-le ici (lien valable %(days)s jours, une seule fois) :")
        if days > 1
        else gettext("Choisissez-le ici (lien valable %(days)s jour, une seule fois) :")
    )
    body = (
        gettext("Bonjour,")
        + "\n\n"
        + gettext(
            "Quelqu'un, sans doute vous, a demandé à choisir un nouveau mot de passe pour votre "
            "compte « %(username)s » du registre des réclamations de %(organisation)s."
        )
        % values
        + "\n\n"
        + link % values
        + f"\n{one_time_link(user, 'password_reset_confirm')}\n\n"
        + gettext(
            "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le "
            "même. La double authentification, si elle est activée, reste demandée à la "
            "connexion."
        )
        + "\n\n-- \n"
        + gettext("Registre des réclamations de %(organisation)s") % values
        + "\n"
    )
    subject = (
        gettext("Nouveau mot de passe pour le registre des réclamations de %(organisation)s")
        % values
    )
    return subject, body


def _validity_choices() -> list[tuple[int, str]]:
    """The tokens' validities, read when the form is shown: in the page's language."""
    return [
        (
            days,
            ngettext("%(count)s jour", "%(count)s jours", days) % {"count": days}
            if days < 365
            else ngettext("%(count)s an", "%(count)s ans", days // 365) % {"count": days // 365},
        )
        for days in TOKEN_DAY_CHOICES
    ]


class TokenForm(forms.Form):
    label = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_(
            "Ce qui l'utilise, par exemple « Synchronisation CRM » : il sert à le "
            "reconnaître dans la liste."
        ),
        error_messages={
            "required": _("Donnez un nom au jeton."),
            "max_length": _("Nom trop long : 100 caractères au plus."),
        },
    )
    days = forms.TypedChoiceField(
        label=_("Validité"),
        coerce=int,
        choices=_validity_choices,
        initial=365,
        error_messages={"invalid_choice": _("Choisissez une durée de validité dans la liste.")},
    )


class LanguageSelect(forms.Select):
    """Each language named in itself, and said to be in that language (screen readers)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["lang"] = option["value"]
        return option


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        widget=LanguageSelect,
        label=_("Langue des pages"),
        choices=STAFF_LANGUAGES,
        help_text=_("Les pages du registre ; les messages aux clients gardent leur langue."),
        error_messages={"invalid_choice": _("Choisissez une langue dans la liste.")},
    )
