"""The subject-access export's form: whose data, by address and, to widen the search, name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.fields import max_length
from reclamations.privacy.subject_search import Subject
from reclamations.web.forms.fields import text


class SubjectExportForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne"),
        help_text=_(
            "L'adresse qu'elle a utilisée pour écrire à l'organisme (majuscules indifférentes)."
        ),
        error_messages={
            "required": _("Indiquez l'adresse e-mail de la personne."),
            "invalid": _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    name = text(
        _("Nom de la personne (facultatif)"),
        max_length=max_length("client_name"),
        help_text=_(
            "Ajoute les réclamations enregistrées à ce nom sans cette adresse (un "
            "courrier, un appel) : l'export les signale, vérifiez qu'il ne s'agit pas d'un "
            "homonyme avant de l'envoyer."
        ),
    )

    def subject(self) -> Subject:
        return Subject.of([self.cleaned_data["email"]], self.cleaned_data["name"])
