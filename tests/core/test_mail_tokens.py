"""The mailbox's tokens kept in the database: handed out while valid, renewed before they
expire or when a server refused them, the rotated refresh token kept, and a lost consent said
plainly. Against the test authority (a real HTTP server)."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from reclamations.core import mail_tokens
from reclamations.core.models import MailboxToken
from reclamations.core.oauth2 import OAuth2Error
from reclamations.core.sealed import PREFIX

pytestmark = pytest.mark.django_db

ACCOUNT = "reclamations@ccs-formation.example"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def consented(oauth_authority) -> MailboxToken:
    """A mailbox whose owner consented: a refresh token kept, no access token yet."""
    return MailboxToken.objects.create(
        account=ACCOUNT, refresh_token=oauth_authority.give_refresh_token(ACCOUNT)
    )


def test_a_first_use_renews_and_keeps_the_rotated_refresh_token(oauth_authority, consented):
    first_refresh = consented.refresh_token

    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    kept = MailboxToken.objects.get(account=ACCOUNT)
    assert oauth_authority.access_tokens[token].user == ACCOUNT
    assert kept.access_token == token
    assert kept.expires_at == NOW + timedelta(hours=1)
    assert kept.refreshed_at == NOW
    assert kept.refresh_token != first_refresh
    assert kept.refresh_token in oauth_authority.refresh_tokens


def test_a_valid_token_is_handed_out_again_without_asking_the_provider(oauth_authority, consented):
    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    again = mail_tokens.access_token(ACCOUNT, now=NOW + timedelta(minutes=54))

    assert again == token
    assert len(oauth_authority.grants("refresh_token")) == 1


def test_a_token_about_to_expire_is_renewed_with_the_latest_refresh_token(
    oauth_authority, consented
):
    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    renewed = mail_tokens.access_token(ACCOUNT, now=NOW + timedelta(minutes=56))

    assert renewed != token
    first, second = oauth_authority.grants("refresh_token")
    assert second["refresh_token"] != first["refresh_token"]  # the rotated one, not the old


def test_a_token_the_server_refused_is_renewed_on_demand(oauth_authority, consented):
    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    renewed = mail_tokens.access_token(ACCOUNT, renew=True, now=NOW + timedelta(minutes=1))

    assert renewed != token
    assert MailboxToken.objects.get(account=ACCOUNT).access_token == renewed


def test_a_provider_that_keeps_its_refresh_token_leaves_ours_in_place(oauth_authority, consented):
    oauth_authority.rotate_refresh_tokens = False

    mail_tokens.access_token(ACCOUNT, now=NOW)

    assert MailboxToken.objects.get(account=ACCOUNT).refresh_token == consented.refresh_token


def test_a_refresh_token_given_in_the_settings_starts_the_chain(oauth_authority, settings):
    settings.OAUTH2_REFRESH_TOKEN = oauth_authority.give_refresh_token(ACCOUNT)

    mail_tokens.access_token(ACCOUNT, now=NOW)
    kept = MailboxToken.objects.get(account=ACCOUNT).refresh_token

    # From now on the kept (rotated) one is used, the settings' one is spent.
    mail_tokens.access_token(ACCOUNT, renew=True, now=NOW)
    assert oauth_authority.grants("refresh_token")[-1]["refresh_token"] == kept


def test_without_consent_the_administrator_is_told_what_to_run(oauth_authority):
    with pytest.raises(OAuth2Error) as missing:
        mail_tokens.access_token(ACCOUNT, now=NOW)

    assert str(missing.value) == (
        f"Aucune autorisation OAuth 2.0 pour {ACCOUNT} : lancez « reclamations "
        "oauth2-authorize » (le titulaire de la boîte se connecte et consent une fois)."
    )
    assert oauth_authority.token_requests == []


def test_a_revoked_consent_changes_nothing_kept(oauth_authority, consented):
    mail_tokens.access_token(ACCOUNT, now=NOW)
    before = MailboxToken.objects.values().get(account=ACCOUNT)
    oauth_authority.revoke_refresh_tokens()

    with pytest.raises(OAuth2Error) as refused:
        mail_tokens.access_token(ACCOUNT, renew=True, now=NOW + timedelta(minutes=5))

    assert refused.value.code == "invalid_grant"
    assert MailboxToken.objects.values().get(account=ACCOUNT) == before


def test_application_access_needs_no_consent(oauth_authority, settings):
    settings.OAUTH2_GRANT = "client_credentials"
    settings.OAUTH2_CLIENT_SECRET = "secret-de-test"
    oauth_authority.application_user = ACCOUNT

    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    assert oauth_authority.access_tokens[token].user == ACCOUNT
    assert oauth_authority.grants("client_credentials")[0]["client_secret"] == "secret-de-test"


def test_the_tokens_are_kept_sealed_never_in_clear(oauth_authority, consented):
    token = mail_tokens.access_token(ACCOUNT, now=NOW)

    stored = MailboxToken.objects.values("refresh_token_sealed", "access_token_sealed").get()
    kept = MailboxToken.objects.get(account=ACCOUNT)
    assert all(value.startswith(PREFIX) for value in stored.values())
    assert token not in stored["access_token_sealed"]
    assert kept.refresh_token not in stored["refresh_token_sealed"]
    assert kept.access_token == token


def test_a_token_the_keys_cannot_open_is_renewed_from_the_settings(
    oauth_authority, consented, settings
):
    mail_tokens.access_token(ACCOUNT, now=NOW)
    # SECRET_KEY changed without the old one among the fallbacks: the kept tokens are lost,
    # the refresh token of the settings starts the chain again.
    settings.SECRET_KEY = "une-autre-clé-" + "x" * 40
    settings.OAUTH2_REFRESH_TOKEN = oauth_authority.give_refresh_token(ACCOUNT)

    token = mail_tokens.access_token(ACCOUNT, now=NOW + timedelta(minutes=1))

    assert oauth_authority.access_tokens[token].user == ACCOUNT
    assert oauth_authority.grants("refresh_token")[-1]["refresh_token"] == (
        settings.OAUTH2_REFRESH_TOKEN
    )
    assert MailboxToken.objects.get(account=ACCOUNT).access_token == token


def test_a_token_the_keys_cannot_open_without_another_asks_for_consent(
    oauth_authority, consented, settings
):
    settings.SECRET_KEY = "une-autre-clé-" + "x" * 40

    with pytest.raises(OAuth2Error) as missing:
        mail_tokens.access_token(ACCOUNT, now=NOW)

    assert missing.value.code == "no_consent"


def test_reseal_moves_the_kept_tokens_to_the_new_key(oauth_authority, consented, settings):
    token = mail_tokens.access_token(ACCOUNT, now=NOW)
    old_key = settings.SECRET_KEY
    # One token sealed under a key nobody keeps any more: dropped, to be obtained again.
    settings.SECRET_KEY = "une-clé-oubliée-" + "y" * 40
    MailboxToken.objects.create(
        account="autre@ccs-formation.example", refresh_token="perdu", access_token="perdu"
    )
    settings.SECRET_KEY = "une-nouvelle-clé-de-l-installation-assez-longue-pour-django"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    call_command("mailbox", "reseal", stdout=StringIO())

    settings.SECRET_KEY_FALLBACKS = []
    kept = MailboxToken.objects.get(account=ACCOUNT)
    assert kept.access_token == token
    assert kept.refresh_token in oauth_authority.refresh_tokens
    assert not MailboxToken.objects.filter(account="autre@ccs-formation.example").exists()
