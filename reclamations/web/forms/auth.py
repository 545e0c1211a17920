"""The login form."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from reclamations.core.access import access_ended, access_ended_message

# Django's own French wording, typographic apostrophe included, so that the label reads the
# same as in every other Django application in French.
USERNAME_LABEL = _("Nom d’utilisateur")  # noqa: RUF001


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nom d’utilisateur ou mot de passe incorrect. Vérifiez-les (les majuscules "  # noqa: RUF001
            "comptent) puis réessayez."
        ),
        "inactive": _("Ce compte est désactivé : adressez-vous à un responsable de l'organisme."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = USERNAME_LABEL
        self.fields["password"].label = _("Mot de passe")
        self.fields["username"].error_messages["required"] = _(
            "Indiquez votre nom d’utilisateur."  # noqa: RUF001
        )
        self.fields["password"].error_messages["required"] = _("Indiquez votre mot de passe.")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if access_ended(user):
            raise forms.ValidationError(access_ended_message(user), code="access_ended")
