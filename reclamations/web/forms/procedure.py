"""Publishing a new version of the complaints procedure."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.core.procedures import LABEL_LENGTH, MAX_TEXT_LENGTH
from reclamations.web.forms.fields import day, text


class ProcedureVersionForm(forms.Form):
    label = text(
        _("Nom de la version"),
        max_length=LABEL_LENGTH,
        help_text=_("Ce que chaque réclamation reçue pendant qu'elle est en vigueur enregistre."),
    )
    in_force_from = day(_("En vigueur à partir du"))
    text = forms.CharField(
        label=_("Texte de la procédure"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Le texte tel que l'organisme l'a écrit. Une version publiée ne se modifie "
            "plus : une correction est une nouvelle version."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["in_force_from"].required = True
        self.fields["in_force_from"].error_messages["required"] = _(
            "Indiquez le jour où cette version entre en vigueur."
        )
