"""The organisation's own complaints mailbox (Réglages, Boîte des réclamations). The secrets
are write-only: never shown back, left empty to keep the stored one. Validation lives in
intake.mailbox_config, shared with `reclamations mailbox set`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.intake.mailbox_config import PLAIN_FIELDS, SECRET_FIELDS

SECURITY_CHOICES = (
    ("ssl", _("SSL/TLS dès la connexion (port 993)")),
    ("starttls", _("STARTTLS (port 143)")),
    ("none", _("Aucune (serveur sur la même machine seulement)")),
)
AUTH_CHOICES = (
    ("password", _("Mot de passe")),
    ("oauth2", _("OAuth 2.0 (Microsoft 365, Gmail)")),
)
PROVIDER_CHOICES = (
    ("microsoft", "Microsoft 365"),
    ("google", "Gmail (Google Workspace)"),
    ("custom", _("Autre fournisseur")),
)
GRANT_CHOICES = (
    ("authorization_code", _("Consentement du titulaire de la boîte (authorization_code)")),
    ("client_credentials", _("Secret de l'application (client_credentials, Microsoft)")),
)
KEEP = _("Laissez vide pour garder celui qui est enregistré ; il n'est jamais affiché.")


def _secret(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=4000,
        strip=False,
        help_text=KEEP,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


def _text(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=255, help_text=help_text)


class MailboxForm(forms.Form):
    active = forms.BooleanField(label=_("Relever cette boîte"), required=False)
    host = _text(
        _("Serveur IMAP"), help_text=_("Par exemple imap.example.fr ou outlook.office365.com.")
    )
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535)
    security = forms.ChoiceField(
        label=_("Sécurité de la connexion"), choices=SECURITY_CHOICES, widget=forms.RadioSelect
    )
    user = _text(_("Identifiant"), help_text=_("Souvent l'adresse de la boîte."))
    password = _secret(_("Mot de passe"))
    folder = _text(_("Dossier relevé"), help_text=_("INBOX : la boîte de réception."))
    processed = _text(
        _("Messages traités"),
        help_text=_("move:DOSSIER les déplace dans ce dossier ; flag les marque seulement."),
    )
    since = forms.CharField(
        label=_("Relever à partir du"),
        required=False,
        max_length=10,
        help_text=_(
            "AAAA-MM-JJ : les messages arrivés depuis ce jour ; all : tous, même à la première "
            "relève d'une boîte pleine ; vide : tous, une fois la boîte relevée une première fois."
        ),
    )
    auth = forms.ChoiceField(
        label=_("Authentification"), choices=AUTH_CHOICES, widget=forms.RadioSelect
    )
    oauth_provider = forms.ChoiceField(label=_("Fournisseur"), choices=PROVIDER_CHOICES)
    oauth_tenant = _text(_("Locataire (Microsoft)"), required=False)
    oauth_client_id = _text(_("Identifiant de l'application"), required=False)
    oauth_client_secret = _secret(_("Secret de l'application"))
    oauth_grant = forms.ChoiceField(label=_("Autorisation"), choices=GRANT_CHOICES)
    oauth_scope = _text(_("Portée"), required=False)
    oauth_token_url = forms.URLField(
        label=_("Adresse des jetons"), required=False, max_length=500, assume_scheme="https"
    )
    oauth_authorize_url = forms.URLField(
        label=_("Adresse de consentement"), required=False, max_length=500, assume_scheme="https"
    )
    oauth_refresh_token = _secret(_("Jeton de renouvellement"))

    @property
    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField], Any]]:
        """The fields by group, as the template shows them."""
        groups = (
            (
                _("Connexion"),
                ("active", "host", "port", "security", "user", "auth", "password"),
                _(
                    "Les messages de cette boîte sont enregistrés dans cet organisme seulement, "
                    "puis marqués traités."
                ),
            ),
            (_("Relève"), ("folder", "processed", "since"), ""),
            (
                _("OAuth 2.0"),
                (
                    "oauth_provider",
                    "oauth_tenant",
                    "oauth_client_id",
                    "oauth_client_secret",
                    "oauth_grant",
                    "oauth_scope",
                    "oauth_token_url",
                    "oauth_authorize_url",
                    "oauth_refresh_token",
                ),
                _(
                    "Seulement si l'authentification est OAuth 2.0 (docs/oauth2.md) : "
                    "l'application enregistrée chez le fournisseur. Avec le consentement du "
                    "titulaire, enregistrez la boîte puis « Se connecter » : le jeton de "
                    "renouvellement s'enregistre seul (le saisir n'est utile que s'il a été "
                    "obtenu ailleurs)."
                ),
            ),
        )
        return [(title, [self[name] for name in names], help) for title, names, help in groups]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PLAIN_FIELDS}

    def secrets(self) -> dict[str, str]:
        """The secrets typed; an empty one keeps the stored one."""
        return {name: self.cleaned_data[name] for name in SECRET_FIELDS if self.cleaned_data[name]}
