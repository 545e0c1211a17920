"""The login form, in French whatever language the browser asks for."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from reclamations.core.access import access_ended, access_ended_message

# Django's own French wording, typographic apostrophe included, so that the label reads the
# same as in every other Django application in French.
USERNAME_LABEL = "Nom d\u2019utilisateur"


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            f"{USERNAME_LABEL} ou mot de passe incorrect. Vérifiez-les (les majuscules comptent) "
            "puis réessayez."
        ),
        "inactive": "Ce compte est désactivé : adressez-vous à un responsable de l'organisme.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = USERNAME_LABEL
        self.fields["password"].label = "Mot de passe"
        for field in self.fields.values():
            field.error_messages["required"] = f"Indiquez votre {field.label.lower()}."
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"autocomplete": "current-password"}
        )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if access_ended(user):
            raise forms.ValidationError(access_ended_message(user), code="access_ended")
