from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import Satisfaction
from reclamations.core.form_fields import several_files

REFERENCE_HELP = _("Elle figure dans l'objet de nos e-mails et sur nos courriers (REC-2026-0042).")


class LookupForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence de la réclamation"),
        max_length=40,
        help_text=REFERENCE_HELP,
        error_messages={"required": _("Indiquez la référence de votre réclamation.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_("Celle que vous nous avez donnée : le lien y est envoyé."),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Adresse e-mail invalide : vérifiez-la (par exemple nom@exemple.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_reference(self) -> str:
        return " ".join(str(self.cleaned_data["reference"]).split()).upper()


class ClientMessageForm(forms.Form):
    text = forms.CharField(
        label=_("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Écrivez votre message.")},
    )
    files = several_files(
        _("Documents joints"),
        help_text=_("Facultatif. PDF, JPEG ou PNG, 5 fichiers au plus, 10 Mo chacun."),
    )


class NewsRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Votre question (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpinionForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Êtes-vous satisfait du traitement de votre réclamation ?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si vous êtes satisfait du traitement.")},
    )
    resolved = forms.ChoiceField(
        label=_("Considérez-vous votre réclamation comme résolue ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si vous considérez votre réclamation comme résolue.")},
    )
    comment = forms.CharField(
        label=_("Un commentaire (facultatif)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FilingForm(forms.Form):
    """The online complaint form: the procedure's fields, the e-mail address to confirm."""

    client_name = forms.CharField(
        label=_("Votre nom"),
        max_length=200,
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        max_length=254,
        help_text=_(
            "Un lien vous y est envoyé : votre réclamation est enregistrée quand vous l'ouvrez."
        ),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _("Adresse e-mail invalide : vérifiez-la (par exemple nom@exemple.fr)."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    client_phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    client_account = forms.CharField(
        label=_("Compte client ou entreprise (facultatif)"),
        required=False,
        max_length=100,
        help_text=_("Votre numéro de client, ou l'entreprise qui vous a inscrit."),
    )
    training = forms.CharField(
        label=_("Formation concernée (facultatif)"), required=False, max_length=200
    )
    session = forms.CharField(
        label=_("Session, dates (facultatif)"), required=False, max_length=200
    )
    description = forms.CharField(
        label=_("Votre réclamation"),
        max_length=10000,
        help_text=_("Ce qui s'est passé, quand, et avec qui."),
        error_messages={"required": _("Décrivez votre réclamation.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    remedy_sought = forms.CharField(
        label=_("Ce que vous attendez de nous (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = several_files(
        _("Documents joints"),
        help_text=_("Facultatif. PDF, JPEG ou PNG, 5 fichiers au plus, 10 Mo chacun."),
    )
    # Never shown to people (hidden by the stylesheet, out of the tab order): a robot fills it.
    website = forms.CharField(
        label=_("Ne pas remplir ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
