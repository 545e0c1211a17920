"""An organisation's own mailbox, set and changed (decision 0032): validated (French messages,
marked for the page to show in its language), its secrets sealed, and every change written to
the organisation's chronology as a change of settings, in the same transaction, with the values
before and after. A secret is never written there: only that it was replaced.
"""

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop as _

from reclamations.complaints.organisation_events import settings_changed
from reclamations.core.mail_tokens import forget_tokens
from reclamations.core.models import Organisation, User
from reclamations.core.oauth2 import GRANTS, PROVIDERS
from reclamations.core.sealed import SealedSecretError, seal, unseal
from reclamations.intake.models import Mailbox, MailboxAuth, MailboxSecurity

# What a page or the command sets, as stored (the secrets apart).
PLAIN_FIELDS: tuple[str, ...] = (
    "active",
    "host",
    "port",
    "security",
    "user",
    "folder",
    "processed",
    "since",
    "auth",
    "oauth_provider",
    "oauth_tenant",
    "oauth_client_id",
    "oauth_grant",
    "oauth_scope",
    "oauth_token_url",
    "oauth_authorize_url",
)
# Each secret by the name a page or the command gives it, and its sealed column.
SECRET_FIELDS: dict[str, str] = {
    "password": "password_sealed",
    "oauth_client_secret": "oauth_client_secret_sealed",
    "oauth_refresh_token": "oauth_refresh_token_sealed",
}
# The secrets' fields by name, as their errors are keyed (a plain "password" key looks like a
# hard-coded password to the linter).
PASSWORD, OAUTH_CLIENT_SECRET, OAUTH_REFRESH_TOKEN = SECRET_FIELDS
OAUTH_TOKEN_URL = "oauth_token_url"  # noqa: S105 (a field's name)
# What the kept OAuth 2.0 tokens were obtained for: once one changes, they are dropped.
TOKEN_KEYS = frozenset(
    ("user", *(name for name in PLAIN_FIELDS if name.startswith("oauth_")), OAUTH_REFRESH_TOKEN)
)
# How a change reads in the chronology: "mailbox_host", "mailbox_password_replaced".
EVENT_PREFIX = "mailbox_"
_HOST = re.compile(r"^[A-Za-z0-9.\-:\[\]]+$")


def initial_values(mailbox: Mailbox | None) -> dict[str, Any]:
    """The plain values of `mailbox`, or a new one's defaults."""
    row = mailbox or Mailbox()
    return {name: getattr(row, name) for name in PLAIN_FIELDS}


def _problems(values: Mapping[str, Any], has_secret: Mapping[str, bool]) -> dict[str, str]:
    found: dict[str, str] = {}
    host = str(values.get("host", "")).strip()
    if not host:
        found["host"] = _("Indiquez le serveur IMAP (par exemple imap.example.fr).")
    elif not _HOST.match(host):
        found["host"] = _("Un nom de serveur ou une adresse IP, sans espace ni « / ».")
    port = values.get("port")
    if not isinstance(port, int) or not 1 <= port <= 65535:
        found["port"] = _("Un port entre 1 et 65535 (993 en SSL/TLS, 143 en STARTTLS).")
    if values.get("security") not in MailboxSecurity.values:
        found["security"] = _("Choisissez SSL/TLS, STARTTLS ou aucune.")
    if not str(values.get("user", "")).strip():
        found["user"] = _("Indiquez l'identifiant de la boîte (souvent son adresse).")
    if not str(values.get("folder", "")).strip():
        found["folder"] = _("Indiquez le dossier relevé (INBOX pour la boîte de réception).")
    processed = str(values.get("processed", ""))
    if processed != "flag" and not (
        processed.startswith("move:") and processed[len("move:") :].strip()
    ):
        found["processed"] = _("« flag » (marquer), ou « move:DOSSIER » (déplacer dans DOSSIER).")
    since = str(values.get("since", ""))
    if since and since != "all":
        try:
            date.fromisoformat(since)
        except ValueError:
            found["since"] = _("Une date AAAA-MM-JJ, « all », ou rien.")
    auth = values.get("auth")
    if auth not in MailboxAuth.values:
        found["auth"] = _("Choisissez mot de passe ou OAuth 2.0.")
    elif auth == MailboxAuth.PASSWORD and not has_secret["password"]:
        found[PASSWORD] = _("Indiquez le mot de passe de la boîte.")
    elif auth == MailboxAuth.OAUTH2:
        found.update(_oauth_problems(values, has_secret))
    return found


def _oauth_problems(values: Mapping[str, Any], has_secret: Mapping[str, bool]) -> dict[str, str]:
    # With authorization_code, no refresh token is asked for: the mailbox is saved, then its
    # manager connects it (the consent, intake.mailbox_consent) or one is given by hand.
    found: dict[str, str] = {}
    provider = values.get("oauth_provider")
    grant = values.get("oauth_grant")
    if provider not in PROVIDERS:
        found["oauth_provider"] = _("Fournisseur : microsoft, google ou custom.")
    if grant not in GRANTS:
        found["oauth_grant"] = _("Autorisation : authorization_code ou client_credentials.")
    if not str(values.get("oauth_client_id", "")).strip():
        found["oauth_client_id"] = _("Indiquez l'identifiant de l'application enregistrée.")
    if grant == "client_credentials" and not has_secret["oauth_client_secret"]:
        found[OAUTH_CLIENT_SECRET] = _(
            "Le secret de l'application est requis avec client_credentials."
        )
    if grant == "client_credentials" and provider == "google":
        found["oauth_grant"] = _(
            "Gmail n'accepte pas client_credentials pour la messagerie : authorization_code."
        )
    if provider == "custom" and not values.get("oauth_token_url"):
        found[OAUTH_TOKEN_URL] = _("L'adresse des jetons est requise pour un autre fournisseur.")
    if provider == "custom" and not values.get("oauth_scope"):
        found["oauth_scope"] = _("La portée est requise pour un autre fournisseur.")
    return found


def candidate(
    *,
    organisation: Organisation,
    values: Mapping[str, Any],
    secrets: Mapping[str, str],
) -> Mailbox:
    """The mailbox these values make, unsaved: the secrets given sealed, the others kept from
    the stored row. Raises ValidationError, by field, in French."""
    stored = Mailbox.objects.filter(organisation=organisation).first()
    row = Mailbox(organisation=organisation) if stored is None else Mailbox(pk=stored.pk)
    row.organisation = organisation
    for name in PLAIN_FIELDS:
        value = values.get(name, getattr(stored or Mailbox(), name))
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    for name, column in SECRET_FIELDS.items():
        given = secrets.get(name, "")
        setattr(row, column, seal(given) if given else getattr(stored, column, ""))
    if stored is not None:
        row.last_polled_at, row.last_success_at = stored.last_polled_at, stored.last_success_at
    has_secret = {name: bool(getattr(row, column)) for name, column in SECRET_FIELDS.items()}
    problems = _problems(initial_values(row), has_secret)
    if problems:
        raise ValidationError(problems)
    return row


def _replaced(stored: Mailbox | None, column: str, given: str) -> bool:
    """Whether `given` replaces the stored secret (typing the same one again changes nothing)."""
    if not given:
        return False
    try:
        return stored is None or unseal(getattr(stored, column)) != given
    except SealedSecretError:
        return True


def mailbox_save(
    *,
    organisation: Organisation,
    actor: User | None,
    values: Mapping[str, Any],
    secrets: Mapping[str, str],
) -> list[str]:
    """Set the organisation's own mailbox; a secret left empty is kept. Return the names of
    what changed ("password" for a replaced password), [] when nothing did."""
    with transaction.atomic():
        # The organisation's row, locked: two changes of its mailbox at once are in turn.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        stored = Mailbox.objects.filter(organisation=organisation).first()
        row = candidate(organisation=organisation, values=values, secrets=secrets)
        before = initial_values(stored) if stored is not None else dict.fromkeys(PLAIN_FIELDS)
        after = initial_values(row)
        changed = [name for name in PLAIN_FIELDS if before[name] != after[name]]
        replaced = [
            name
            for name, column in SECRET_FIELDS.items()
            if _replaced(stored, column, secrets.get(name, ""))
        ]
        if not changed and not replaced:
            return []
        if stored is not None:
            for name, column in SECRET_FIELDS.items():
                if name not in replaced:
                    setattr(row, column, getattr(stored, column))
        row.save()
        if TOKEN_KEYS.intersection(changed + replaced):
            # Tokens of another login, application or consent would be used before the new one.
            forget_tokens(organisation_id=organisation.pk)
        event_before = {EVENT_PREFIX + name: before[name] for name in changed}
        event_after = {EVENT_PREFIX + name: after[name] for name in changed}
        for name in replaced:
            event_before[f"{EVENT_PREFIX}{name}_replaced"] = False
            event_after[f"{EVENT_PREFIX}{name}_replaced"] = True
        settings_changed(
            organisation=organisation, actor=actor, before=event_before, after=event_after
        )
    return changed + replaced
