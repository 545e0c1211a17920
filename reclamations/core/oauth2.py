"""OAuth 2.0 for the complaints mailbox (Microsoft 365, Gmail): the provider's endpoints, the
consent's authorisation URL (with PKCE), the token requests, and the XOAUTH2 string IMAP and
SMTP send. Plain Python: no settings, no database (core.mail_tokens keeps the tokens).

Microsoft 365 and Gmail switched password login off for IMAP and SMTP; what they accept is an
access token of about an hour, obtained with a refresh token the mailbox owner's consent gave
once (or, for Microsoft, with the application's own secret: client credentials).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from reclamations.core.catalogue import gettext_noop
from reclamations.core.worded import Part, WordedError

__all__ = [
    "PROVIDERS",
    "OAuth2Config",
    "OAuth2Error",
    "Pkce",
    "TokenAnswer",
    "authorization_url",
    "exchange_code",
    "request_token",
    "xoauth2_string",
]

GRANTS = ("authorization_code", "client_credentials")


@dataclass(frozen=True)
class Provider:
    label: str
    authorize_url: str  # {tenant} replaced for Microsoft
    token_url: str
    delegated_scope: str  # what the mailbox owner consents to, with a refresh token
    application_scope: str  # client credentials; "" when the provider has none for mail
    extra_authorize: tuple[tuple[str, str], ...] = ()


PROVIDERS: dict[str, Provider] = {
    "microsoft": Provider(
        label="Microsoft 365",
        authorize_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",  # noqa: S106
        # offline_access is what makes Microsoft return a refresh token.
        delegated_scope=(
            "offline_access https://outlook.office.com/IMAP.AccessAsUser.All "
            "https://outlook.office.com/SMTP.Send"
        ),
        application_scope="https://outlook.office365.com/.default",
    ),
    "google": Provider(
        label="Gmail (Google Workspace)",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",  # noqa: S106
        delegated_scope="https://mail.google.com/",
        application_scope="",
        # Google gives a refresh token only with offline access, and again only on a new consent.
        extra_authorize=(("access_type", "offline"), ("prompt", "consent")),
    ),
    "custom": Provider(
        label="autre fournisseur",
        authorize_url="",
        token_url="",
        delegated_scope="",
        application_scope="",
    ),
}


class OAuth2Error(WordedError):
    """The provider refused or could not be reached; the message says what to do, in French,
    and in the reader's language by `text(gettext)`."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        values: Mapping[str, object] | None = None,
        then: Sequence[Part] = (),
    ) -> None:
        self.code = code  # the provider's error code ("invalid_grant"...), "" when none
        super().__init__(message, values=values, then=then)


@dataclass(frozen=True)
class OAuth2Config:
    provider: str
    client_id: str
    client_secret: str = ""
    tenant: str = "organizations"
    grant: str = "authorization_code"
    scope: str = ""
    token_url: str = ""
    authorize_url: str = ""
    timeout: float = 30

    def problems(self) -> list[str]:
        """What keeps this configuration from working, in French; empty when it can."""
        found = []
        if self.provider not in PROVIDERS:
            found.append(
                f"OAUTH2_PROVIDER doit valoir {', '.join(PROVIDERS)} (reçu : {self.provider!r})."
            )
            return found
        if self.grant not in GRANTS:
            found.append(f"OAUTH2_GRANT doit valoir {' ou '.join(GRANTS)} (reçu : {self.grant!r}).")
        if not self.client_id:
            found.append("OAUTH2_CLIENT_ID est vide : l'identifiant de l'application enregistrée.")
        if self.grant == "client_credentials" and not self.client_secret:
            found.append("OAUTH2_CLIENT_SECRET est requis avec OAUTH2_GRANT=client_credentials.")
        if self.grant == "client_credentials" and self.provider == "google":
            found.append(
                "Gmail n'accepte pas OAUTH2_GRANT=client_credentials pour la messagerie : "
                "utilisez authorization_code (consentement du titulaire de la boîte)."
            )
        if self.provider == "custom" and not self.token_url:
            found.append("OAUTH2_TOKEN_URL est requis avec OAUTH2_PROVIDER=custom.")
        if self.provider == "custom" and not self.scope:
            found.append("OAUTH2_SCOPE est requis avec OAUTH2_PROVIDER=custom.")
        return found

    @property
    def _provider(self) -> Provider:
        return PROVIDERS[self.provider]

    @property
    def resolved_token_url(self) -> str:
        return self.token_url or self._provider.token_url.format(tenant=self.tenant)

    @property
    def resolved_authorize_url(self) -> str:
        return self.authorize_url or self._provider.authorize_url.format(tenant=self.tenant)

    @property
    def resolved_scope(self) -> str:
        if self.scope:
            return self.scope
        if self.grant == "client_credentials":
            return self._provider.application_scope
        return self._provider.delegated_scope


@dataclass(frozen=True)
class TokenAnswer:
    access_token: str
    expires_at: datetime
    refresh_token: str  # "" when the provider kept the previous one (Google) or has none
    scope: str


@dataclass(frozen=True)
class Pkce:
    """RFC 7636: the consent's code is useless to whoever intercepts it without the verifier."""

    verifier: str
    challenge: str

    @classmethod
    def new(cls) -> Pkce:
        return cls.from_verifier(secrets.token_urlsafe(64))

    @classmethod
    def from_verifier(cls, verifier: str) -> Pkce:
        """The pair again from its verifier (kept in the session between the two requests)."""
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return cls(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


def xoauth2_string(user: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Microsoft and Google define it."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"


def authorization_url(
    config: OAuth2Config, *, redirect_uri: str, state: str, pkce: Pkce, login_hint: str = ""
) -> str:
    """Where the mailbox owner signs in and consents; the browser comes back to redirect_uri."""
    params = [
        ("client_id", config.client_id),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("scope", config.resolved_scope),
        ("state", state),
        ("code_challenge", pkce.challenge),
        ("code_challenge_method", "S256"),
        *PROVIDERS[config.provider].extra_authorize,
    ]
    if login_hint:
        params.append(("login_hint", login_hint))
    separator = "&" if "?" in config.resolved_authorize_url else "?"
    return config.resolved_authorize_url + separator + urllib.parse.urlencode(params)


def exchange_code(
    config: OAuth2Config, *, code: str, redirect_uri: str, pkce: Pkce, now: datetime
) -> TokenAnswer:
    """The consent's code for the first access and refresh tokens."""
    answer = _post(
        config,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": pkce.verifier,
        },
        now=now,
    )
    if not answer.refresh_token:
        raise OAuth2Error(
            gettext_noop(
                "Le fournisseur n'a pas donné de jeton de renouvellement (refresh token) : "
                "vérifiez que la portée demandée le permet (offline_access chez Microsoft) et "
                "recommencez le consentement."
            ),
            code="no_refresh_token",
        )
    return answer


def request_token(config: OAuth2Config, *, refresh_token: str, now: datetime) -> TokenAnswer:
    """A new access token: from the refresh token, or the application's secret."""
    if config.grant == "client_credentials":
        fields = {"grant_type": "client_credentials"}
    else:
        fields = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return _post(config, fields, now=now)


def _post(config: OAuth2Config, fields: dict[str, str], *, now: datetime) -> TokenAnswer:
    body = {"client_id": config.client_id, "scope": config.resolved_scope, **fields}
    if config.client_secret:
        body["client_secret"] = config.client_secret
    url = config.resolved_token_url
    if not url.startswith(("https://", "http://")):
        raise OAuth2Error(
            gettext_noop("Adresse du point de jeton invalide : %(url)s."), values={"url": repr(url)}
        )
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url,
        data=urllib.parse.urlencode(body).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:  # noqa: S310
            payload = _json(response.read())
    except urllib.error.HTTPError as error:
        payload = _json(error.read())
        raise _refusal(payload, error.code) from error
    except (urllib.error.URLError, OSError) as error:
        raise OAuth2Error(
            gettext_noop(
                "Le fournisseur OAuth 2.0 ne répond pas (%(url)s) : %(error)s. Nouvel essai au "
                "prochain passage."
            ),
            values={"url": url, "error": error},
            code="unreachable",
        ) from error
    token = payload.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuth2Error(
            gettext_noop("Réponse du fournisseur OAuth 2.0 sans access_token."),
            code="invalid_response",
        )
    try:
        lifetime = int(payload.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600
    refresh = payload.get("refresh_token")
    scope = payload.get("scope")
    return TokenAnswer(
        access_token=token,
        expires_at=now + timedelta(seconds=max(lifetime, 0)),
        refresh_token=refresh if isinstance(refresh, str) else "",
        scope=scope if isinstance(scope, str) else config.resolved_scope,
    )


def _json(raw: bytes) -> dict[str, object]:
    try:
        value = json.loads(raw.decode("utf-8", "replace"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# What the administrator has to do, by the provider's error code (RFC 6749, 5.2).
_ADVICE = {
    "invalid_grant": gettext_noop(
        "le jeton de renouvellement est expiré ou révoqué (mot de passe changé, consentement "
        "retiré, 90 jours sans usage chez Microsoft) : reconnectez la boîte (page Réglages, "
        "Boîte des réclamations, « Se connecter ») ou relancez « reclamations oauth2-authorize »."
    ),
    "invalid_client": gettext_noop(
        "l'application est inconnue ou son secret est faux ou expiré : vérifiez "
        "OAUTH2_CLIENT_ID et OAUTH2_CLIENT_SECRET."
    ),
    "unauthorized_client": gettext_noop(
        "l'application n'a pas le droit d'utiliser ce type d'autorisation."
    ),
    "invalid_scope": gettext_noop("la portée demandée (OAUTH2_SCOPE) est refusée."),
}


def _refusal(payload: dict[str, object], status: int) -> OAuth2Error:
    code = str(payload.get("error") or f"http_{status}")
    detail = str(payload.get("error_description") or "").strip().splitlines()
    advice = _ADVICE.get(code, gettext_noop("voir le détail du fournisseur."))
    then: list[Part] = [(advice, {})]
    if detail:
        then.append((gettext_noop("Détail : %(detail)s"), {"detail": detail[0][:300]}))
    return OAuth2Error(
        gettext_noop("Le fournisseur OAuth 2.0 a refusé le jeton (%(code)s) :"),
        values={"code": code},
        code=code,
        then=then,
    )
