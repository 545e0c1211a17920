"""An organisation connects its own mailbox to Microsoft 365 or Gmail (decision 0037): the
mailbox owner's consent (OAuth 2.0 authorisation code with PKCE) asked with the application the
organisation's mailbox names, and the tokens it gives kept for that organisation's mailbox
only: the refresh token sealed with the mailbox (what the worker reads), the access token with
the organisation's tokens (core.MailboxToken), the change written to its chronology.

The page (web.views.mailbox_consent) and `reclamations oauth2-authorize --organisation` both
start and end a consent here; where the browser comes back, and how `state` is bound to who
asked, is theirs. The French messages are marked, for the page to show in its language.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from reclamations.complaints.organisation_events import settings_changed
from reclamations.core.mail_consent import ConsentRequest
from reclamations.core.mail_tokens import forget_tokens, keep_consent
from reclamations.core.models import MailboxToken, Organisation, User
from reclamations.core.oauth2 import OAuth2Config, OAuth2Error, Pkce, exchange_code
from reclamations.core.sealed import SealedSecretError, seal, unseal
from reclamations.intake.mailbox_config import EVENT_PREFIX
from reclamations.intake.models import Mailbox, MailboxAuth
from reclamations.intake.polling import oauth2_config

# The chronology's key for a consent given (the refresh token itself is never written there).
CONSENT_KEY = EVENT_PREFIX + "oauth_consent_given"

NOT_CONSENT_MAILBOX = _(
    "Enregistrez d'abord la boîte avec l'authentification OAuth 2.0 et le consentement du "
    "titulaire (authorization_code) : la connexion se fait ensuite depuis cette page."
)
NO_AUTHORIZE_URL = _(
    "Indiquez l'adresse de consentement du fournisseur (champ « Adresse de consentement ») et "
    "enregistrez la boîte avant de vous connecter."
)
CHANGED_MEANWHILE = _(
    "La boîte a été modifiée pendant la connexion (identifiant ou application) : "
    "recommencez la connexion."
)


def consent_mailbox(organisation: Organisation) -> tuple[Mailbox, OAuth2Config]:
    """The organisation's mailbox and the application its consent is asked with. Raises
    OAuth2Error (French, marked) when the mailbox takes no consent or cannot ask for one."""
    mailbox = Mailbox.objects.filter(organisation=organisation).first()
    if (
        mailbox is None
        or mailbox.auth != MailboxAuth.OAUTH2
        or mailbox.oauth_grant != "authorization_code"
    ):
        raise OAuth2Error(NOT_CONSENT_MAILBOX, code="no_consent_mailbox")
    try:
        client_secret = unseal(mailbox.oauth_client_secret_sealed)
    except SealedSecretError as error:
        raise OAuth2Error(str(error), code="sealed") from error
    config = oauth2_config(mailbox, client_secret=client_secret)
    if not config.resolved_authorize_url:
        raise OAuth2Error(NO_AUTHORIZE_URL, code="no_authorize_url")
    return mailbox, config


def consent_request(*, organisation: Organisation, redirect_uri: str, state: str) -> ConsentRequest:
    """Where to send the browser for the organisation's mailbox owner's consent; it comes back
    to `redirect_uri` with `state` and a code (or an error)."""
    mailbox, config = consent_mailbox(organisation)
    return ConsentRequest.returning_to(
        config, redirect_uri=redirect_uri, state=state, user=mailbox.user
    )


def mailbox_consent_store(
    *,
    organisation: Organisation,
    actor: User | None,
    code: str,
    redirect_uri: str,
    pkce: Pkce,
    now: datetime | None = None,
) -> MailboxToken:
    """Exchange the consent's code for the organisation's mailbox's tokens, and keep them for
    that organisation only, recorded in its chronology. Raises OAuth2Error (French) when the
    provider refuses the code or the mailbox changed meanwhile."""
    mailbox, config = consent_mailbox(organisation)
    moment = now or timezone.now()
    # The provider is asked outside the transaction: no lock waits on the network.
    answer = exchange_code(config, code=code, redirect_uri=redirect_uri, pkce=pkce, now=moment)
    with transaction.atomic():
        # The organisation's row, locked: mailbox_save takes the same lock.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        row = Mailbox.objects.filter(pk=mailbox.pk).first()
        if row is None or (row.user, row.oauth_client_id, row.oauth_provider) != (
            mailbox.user,
            mailbox.oauth_client_id,
            mailbox.oauth_provider,
        ):
            raise OAuth2Error(CHANGED_MEANWHILE, code="changed_meanwhile")
        forget_tokens(organisation_id=organisation.pk)
        token = keep_consent(row.user, answer=answer, now=moment, organisation_id=organisation.pk)
        row.oauth_refresh_token_sealed = seal(token.refresh_token)
        row.save(update_fields=["oauth_refresh_token_sealed", "updated_at"])
        settings_changed(
            organisation=organisation,
            actor=actor,
            before={CONSENT_KEY: False},
            after={CONSENT_KEY: True},
        )
    return token


def consented_at(mailbox: Mailbox) -> datetime | None:
    """When the owner of `mailbox` last consented (None: never, or a token given by hand)."""
    token = (
        MailboxToken.objects.filter(organisation_id=mailbox.organisation_id, account=mailbox.user)
        .exclude(authorized_at=None)
        .first()
    )
    return token.authorized_at if token is not None else None
