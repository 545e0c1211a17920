"""A manager connects the organisation's Microsoft 365 or Gmail mailbox in a real browser: the
button on the mailbox's settings page takes the browser to the provider's sign-in and consent
page (the test provider, a real HTTP server on another origin), which sends it back to the
application with a code; the page then says the mailbox is connected. The page's Content
Security Policy lets its form lead to that provider, and to no other."""

import pytest
from playwright.sync_api import expect

from reclamations.core.models import MailboxToken
from reclamations.intake.mailbox_config import mailbox_save
from tests.browser.test_security_journal import _as
from tests.harness.oauth2 import CLIENT_ID

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = "reclamations@ccs-formation.example"


def test_the_manager_connects_the_mailbox_through_the_provider_s_consent_page(
    page, live_server, organisation, manager, oauth_authority, settings
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    oauth_authority.signed_in = OWNER
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": "127.0.0.1",
            "port": 993,
            "user": OWNER,
            "auth": "oauth2",
            "oauth_provider": "custom",
            "oauth_client_id": CLIENT_ID,
            "oauth_grant": "authorization_code",
            "oauth_token_url": oauth_authority.token_url,
            "oauth_authorize_url": oauth_authority.authorize_url,
            "oauth_scope": "https://mail.example/imap",
        },
        secrets={},
    )
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security" in message.text else None
        ),
    )
    _as(page, live_server, manager)

    page.goto("/reglages/boite/")
    expect(page.get_by_text("Boîte pas encore connectée")).to_be_visible()
    policy = page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )
    page.get_by_role("button", name="Se connecter à").click()

    expect(page.get_by_text(f"Connecté : {OWNER}")).to_be_visible()
    assert page.url.startswith(oauth_authority.authorize_url + "?")
    page.get_by_role("button", name="Accepter").click()

    expect(page.get_by_text("Boîte des réclamations connectée")).to_be_visible()
    assert page.url == live_server.url + "/reglages/boite/"
    expect(page.get_by_text("Boîte connectée le")).to_be_visible()
    assert blocked == []
    assert f"form-action 'self' {oauth_authority.url}" in policy
    token = MailboxToken.objects.get(organisation=organisation, account=OWNER)
    assert token.refresh_token in oauth_authority.refresh_tokens
