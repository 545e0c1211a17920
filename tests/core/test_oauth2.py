"""The OAuth 2.0 rules for the mailbox, without a database: the providers' endpoints and scopes,
the consent's address, the XOAUTH2 string, and the provider's answers read into tokens or into
French errors (against the test authority, a real HTTP server)."""

import base64
import hashlib
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest

from reclamations.core.oauth2 import (
    OAuth2Config,
    OAuth2Error,
    Pkce,
    authorization_url,
    exchange_code,
    request_token,
    xoauth2_string,
)
from tests.harness.network import free_port
from tests.harness.oauth2 import CLIENT_ID, CLIENT_SECRET

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_microsoft_365_endpoints_follow_the_tenant_and_ask_for_a_refresh_token():
    config = OAuth2Config(provider="microsoft", client_id="app", tenant="contoso.onmicrosoft.com")

    assert config.problems() == []
    assert config.resolved_token_url == (
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    )
    assert config.resolved_scope.split() == [
        "offline_access",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "https://outlook.office.com/SMTP.Send",
    ]


def test_microsoft_365_application_access_uses_the_default_scope_of_exchange():
    config = OAuth2Config(
        provider="microsoft", client_id="app", client_secret="s", grant="client_credentials"
    )

    assert config.problems() == []
    assert config.resolved_scope == "https://outlook.office365.com/.default"


def test_gmail_asks_for_offline_access_and_a_fresh_consent():
    config = OAuth2Config(provider="google", client_id="app.apps.googleusercontent.com")
    url = authorization_url(
        config, redirect_uri="http://localhost:8765/", state="s", pkce=Pkce.new()
    )

    query = query_of(url)
    assert url.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert query["scope"] == "https://mail.google.com/"
    assert (query["access_type"], query["prompt"]) == ("offline", "consent")


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (OAuth2Config(provider="yahoo", client_id="a"), "OAUTH2_PROVIDER doit valoir"),
        (OAuth2Config(provider="microsoft", client_id=""), "OAUTH2_CLIENT_ID est vide"),
        (
            OAuth2Config(provider="microsoft", client_id="a", grant="client_credentials"),
            "OAUTH2_CLIENT_SECRET est requis",
        ),
        (
            OAuth2Config(
                provider="google", client_id="a", client_secret="s", grant="client_credentials"
            ),
            "Gmail n'accepte pas",
        ),
        (OAuth2Config(provider="custom", client_id="a"), "OAUTH2_TOKEN_URL est requis"),
        (OAuth2Config(provider="microsoft", client_id="a", grant="password"), "OAUTH2_GRANT"),
    ],
)
def test_a_configuration_that_cannot_work_is_named(config, problem):
    assert any(problem in text for text in config.problems()), config.problems()


def test_the_consent_address_carries_the_pkce_challenge_of_the_verifier():
    pkce = Pkce.new()
    config = OAuth2Config(provider="microsoft", client_id="app", tenant="common")

    query = query_of(
        authorization_url(
            config,
            redirect_uri="http://localhost:8765/",
            state="etat",
            pkce=pkce,
            login_hint="reclamations@ccs.example",
        )
    )

    expected = base64.urlsafe_b64encode(hashlib.sha256(pkce.verifier.encode()).digest())
    assert query["code_challenge"] == expected.rstrip(b"=").decode()
    assert query["code_challenge_method"] == "S256"
    assert query["response_type"] == "code"
    assert query["state"] == "etat"
    assert query["login_hint"] == "reclamations@ccs.example"
    assert query["redirect_uri"] == "http://localhost:8765/"


def test_the_xoauth2_string_is_the_providers_format():
    assert xoauth2_string("a@b.fr", "jeton") == "user=a@b.fr\x01auth=Bearer jeton\x01\x01"


def custom(authority, **overrides) -> OAuth2Config:
    values = {
        "provider": "custom",
        "client_id": CLIENT_ID,
        "token_url": authority.token_url,
        "authorize_url": authority.authorize_url,
        "scope": "mail",
    }
    return OAuth2Config(**{**values, **overrides})


def test_a_refresh_gives_the_access_token_its_lifetime_and_the_rotated_refresh_token(
    oauth_authority_server,
):
    authority = oauth_authority_server
    authority.access_lifetime = 3599
    refresh = authority.give_refresh_token("boite@ccs.example")

    answer = request_token(custom(authority), refresh_token=refresh, now=NOW)

    assert answer.access_token in authority.access_tokens
    assert answer.expires_at == NOW + timedelta(seconds=3599)
    assert answer.refresh_token not in ("", refresh)
    authority.access_lifetime = 3600


def test_a_code_is_exchanged_only_with_the_verifier_it_was_issued_for(oauth_authority_server):
    authority = oauth_authority_server
    config = custom(authority)
    pkce = Pkce.new()
    back = authority.consent(
        authorization_url(config, redirect_uri="http://localhost:1/", state="s", pkce=pkce),
        "boite@ccs.example",
    )
    code = query_of(back)["code"]

    with pytest.raises(OAuth2Error) as refused:
        exchange_code(
            config, code=code, redirect_uri="http://localhost:1/", pkce=Pkce.new(), now=NOW
        )

    assert refused.value.code == "invalid_grant"


def test_an_expired_refresh_token_says_to_authorise_again(oauth_authority_server):
    with pytest.raises(OAuth2Error) as refused:
        request_token(custom(oauth_authority_server), refresh_token="rt-perdu", now=NOW)

    assert refused.value.code == "invalid_grant"
    assert str(refused.value) == (
        "Le fournisseur OAuth 2.0 a refusé le jeton (invalid_grant) : le jeton de "
        "renouvellement est expiré ou révoqué (mot de passe changé, consentement retiré, 90 "
        "jours sans usage chez Microsoft) : reconnectez la boîte (page Réglages, Boîte des "
        "réclamations, « Se connecter ») ou relancez « reclamations oauth2-authorize ». "
        "Détail : AADSTS70008: The refresh token has expired."
    )


def test_an_unknown_application_is_told_apart(oauth_authority_server):
    with pytest.raises(OAuth2Error) as refused:
        request_token(
            custom(oauth_authority_server, client_id="inconnue"), refresh_token="x", now=NOW
        )

    assert refused.value.code == "invalid_client"
    assert "OAUTH2_CLIENT_ID et OAUTH2_CLIENT_SECRET" in str(refused.value)


def test_client_credentials_send_the_applications_secret(oauth_authority_server):
    authority = oauth_authority_server
    authority.application_user = "boite@ccs.example"
    try:
        answer = request_token(
            custom(authority, grant="client_credentials", client_secret=CLIENT_SECRET),
            refresh_token="",
            now=NOW,
        )
    finally:
        authority.application_user = ""

    assert authority.access_tokens[answer.access_token].user == "boite@ccs.example"
    assert answer.refresh_token == ""


def test_a_provider_out_of_reach_is_a_temporary_problem():
    config = OAuth2Config(
        provider="custom",
        client_id="a",
        scope="mail",
        token_url=f"http://127.0.0.1:{free_port()}/token",
        timeout=2,
    )

    with pytest.raises(OAuth2Error) as refused:
        request_token(config, refresh_token="x", now=NOW)

    assert refused.value.code == "unreachable"
    assert "Nouvel essai au prochain passage" in str(refused.value)
