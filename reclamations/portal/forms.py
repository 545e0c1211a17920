from django import forms

REFERENCE_HELP = "Elle figure dans l'objet de nos e-mails et sur nos courriers (REC-2026-0042)."


class LookupForm(forms.Form):
    reference = forms.CharField(
        label="Référence de la réclamation",
        max_length=40,
        help_text=REFERENCE_HELP,
        error_messages={"required": "Indiquez la référence de votre réclamation."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Celle que vous nous avez donnée : le lien y est envoyé.",
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Adresse e-mail invalide : vérifiez-la (par exemple nom@exemple.fr).",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_reference(self) -> str:
        return " ".join(str(self.cleaned_data["reference"]).split()).upper()
