"""The triage inbox's three decisions: register, attach to a complaint, dismiss."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import ClientLanguage, Kind
from reclamations.complaints.fields import max_length
from reclamations.web.forms.fields import FreeTextField, choice, free_text, text


class TriageRegisterForm(forms.Form):
    kind = choice(
        _("Nature"),
        Kind.choices,
        help_text=_(
            "Selon la définition de la procédure : une insatisfaction exprimée par un "
            "client en relation avec l'organisme est une réclamation ; une simple demande "
            "d'information est « non recevable »."
        ),
    )
    not_admissible_reason = free_text(
        _("Motif de non-recevabilité"),
        help_text=_("Obligatoire pour une demande non recevable."),
        rows=2,
    )
    client_name = text(_("Nom du client"), max_length=max_length("client_name"))
    client_email = forms.CharField(
        label=_("E-mail du client"),
        required=False,
        max_length=max_length("client_email"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    client_language = choice(
        _("Langue du client"),
        ClientLanguage.choices,
        help_text=_(
            "Les messages au client sont écrits dans cette langue ; proposée d'après "
            "l'en-tête Content-Language du message quand il en a un."
        ),
    )
    client_account = text(_("Compte client concerné"), max_length=max_length("client_account"))
    training = text(_("Formation concernée"), max_length=max_length("training"))
    description = free_text(_("Description"), rows=6)

    def details(self) -> dict[str, str]:
        values = {name: self.cleaned_data.get(name) or "" for name in self.fields}
        values["kind"] = values["kind"] or Kind.COMPLAINT
        values["client_language"] = values["client_language"] or ClientLanguage.FRENCH
        return values


class TriageAttachForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence de la réclamation"),
        max_length=30,
        help_text=_("Par exemple REC-2026-0042 : le message rejoint sa chronologie."),
        error_messages={"required": _("Indiquez la référence de la réclamation.")},
    )


class TriageDismissForm(forms.Form):
    reason = FreeTextField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Conservé avec le message : publicité, question sans lien avec une formation..."
        ),
        error_messages={
            "required": _("Indiquez pourquoi ce message est écarté : le motif est conservé.")
        },
    )
