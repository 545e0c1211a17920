"""The mailbox's OAuth 2.0 tokens, kept in the database: an access token handed out while it is
valid, renewed shortly before it expires or when the server refused it, and the refresh token
replaced by the one each renewal returns.

A renewal holds the token's row lock (PostgreSQL) while it asks the provider, so that the
worker and the web processes never renew at once: Microsoft rotates refresh tokens, and a
rotated token written by one process must not be overwritten by an older one.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reclamations.core.models import MailboxToken
from reclamations.core.oauth2 import (
    OAuth2Config,
    OAuth2Error,
    Pkce,
    TokenAnswer,
    exchange_code,
    request_token,
)
from reclamations.core.sealed import SealedSecretError

logger = logging.getLogger(__name__)

# An access token this close to its expiry is renewed before use: a connection opened with it
# must still be accepted when the server checks it.
RENEW_BEFORE = timedelta(minutes=5)


def oauth2_config() -> OAuth2Config:
    """The provider, application and scope of the settings (OAUTH2_*)."""
    return OAuth2Config(
        provider=settings.OAUTH2_PROVIDER,
        client_id=settings.OAUTH2_CLIENT_ID,
        client_secret=settings.OAUTH2_CLIENT_SECRET,
        tenant=settings.OAUTH2_TENANT,
        grant=settings.OAUTH2_GRANT,
        scope=settings.OAUTH2_SCOPE,
        token_url=settings.OAUTH2_TOKEN_URL,
        authorize_url=settings.OAUTH2_AUTHORIZE_URL,
    )


def access_token(
    account: str,
    *,
    renew: bool = False,
    now: datetime | None = None,
    config: OAuth2Config | None = None,
    refresh_token: str = "",
    organisation_id: int | None = None,
) -> str:
    """A valid access token for `account` (the mailbox login); `renew` asks for a new one even
    if the stored one has not expired (the server refused it: revoked, or clocks apart).

    `config`, `refresh_token` and `organisation_id` are an organisation's own mailbox's
    (intake.Mailbox), whose tokens are kept under that organisation; by default the OAUTH2_*
    settings'. Raises OAuth2Error, in French, when the provider refuses or cannot be reached.
    """
    config = config or oauth2_config()
    fallback_refresh = refresh_token or settings.OAUTH2_REFRESH_TOKEN
    if not account:
        raise OAuth2Error("Identifiant de la boîte vide (IMAP_USER ou EMAIL_HOST_USER).")
    MailboxToken.objects.get_or_create(account=account, organisation_id=organisation_id)
    with transaction.atomic():
        token = MailboxToken.objects.select_for_update().get(
            account=account, organisation_id=organisation_id
        )
        moment = now or timezone.now()
        kept_access = _opened(token, "access_token")
        if (
            not renew
            and kept_access
            and token.expires_at is not None
            and token.expires_at > moment + RENEW_BEFORE
        ):
            return kept_access
        refresh = _opened(token, "refresh_token") or fallback_refresh
        if config.grant == "authorization_code" and not refresh:
            raise OAuth2Error(_no_consent(account, organisation_id), code="no_consent")
        answer = request_token(config, refresh_token=refresh, now=moment)
        _keep(token, answer, moment, fallback_refresh=refresh)
        token.save()
    logger.info(
        "Jeton OAuth 2.0 de %s renouvelé, valable jusqu'à %s",
        account,
        answer.expires_at.isoformat(timespec="seconds"),
    )
    return answer.access_token


def _opened(token: MailboxToken, name: str) -> str:
    """A kept token, or "" when the installation's keys cannot open it (SECRET_KEY changed
    without its fallback): renewed, or consent asked again, rather than the mailbox stopped."""
    try:
        return str(getattr(token, name))
    except SealedSecretError:
        logger.warning("Jeton OAuth 2.0 de %s illisible avec la clé de l'installation", token)
        return ""


def _no_consent(account: str, organisation_id: int | None) -> str:
    if organisation_id is None:
        return (
            f"Aucune autorisation OAuth 2.0 pour {account} : lancez "
            "« reclamations oauth2-authorize » (le titulaire de la boîte se connecte et "
            "consent une fois)."
        )
    return (
        f"Aucune autorisation OAuth 2.0 pour {account} : un responsable connecte la boîte "
        "(page Réglages, Boîte des réclamations, « Se connecter ») ou lancez "
        "« reclamations oauth2-authorize --organisation » ; le titulaire de la boîte se "
        "connecte et consent une fois."
    )


def store_consent(
    account: str,
    *,
    code: str,
    redirect_uri: str,
    pkce: Pkce,
    now: datetime | None = None,
) -> MailboxToken:
    """Exchange the code the owner's consent gave for the tokens of the OAUTH2_* mailbox, and
    keep them."""
    moment = now or timezone.now()
    answer = exchange_code(
        oauth2_config(), code=code, redirect_uri=redirect_uri, pkce=pkce, now=moment
    )
    return keep_consent(account, answer=answer, now=moment)


def keep_consent(
    account: str, *, answer: TokenAnswer, now: datetime, organisation_id: int | None = None
) -> MailboxToken:
    """Keep the tokens a consent gave (exchange_code's answer), in place of any earlier ones:
    the OAUTH2_* mailbox's, or an organisation's own mailbox's. Call it in a transaction when
    other writes go with it."""
    with transaction.atomic():
        token, _created = MailboxToken.objects.select_for_update().get_or_create(
            account=account, organisation_id=organisation_id
        )
        _keep(token, answer, now, fallback_refresh="")
        token.authorized_at = now
        token.save()
    logger.info("Autorisation OAuth 2.0 enregistrée pour %s", account)
    return token


def forget_tokens(*, organisation_id: int) -> None:
    """Drop an organisation's mailbox tokens (its login, application or refresh token changed):
    the next reading starts from the refresh token its mailbox keeps."""
    MailboxToken.objects.filter(organisation_id=organisation_id).delete()


def _keep(
    token: MailboxToken, answer: TokenAnswer, moment: datetime, fallback_refresh: str
) -> None:
    token.access_token = answer.access_token
    token.expires_at = answer.expires_at
    # Google keeps the refresh token it gave; Microsoft returns a new one each time.
    token.refresh_token = answer.refresh_token or fallback_refresh
    token.scope = answer.scope
    token.refreshed_at = moment
