"""The Content Security Policy lets a page's forms lead to another origin only where a page
asks for it (the mailbox's consent button, sent on to the provider), and never lets a typed
address write more into the policy."""

import pytest
from django.http import HttpResponse
from django.urls import reverse

from reclamations.intake.mailbox_config import mailbox_save
from reclamations.web.middleware import CONTENT_SECURITY_POLICY, let_forms_lead_to


def _policy(*addresses: str) -> str:
    response = HttpResponse()
    let_forms_lead_to(response, *addresses)
    return response.headers.get("Content-Security-Policy", "")


def test_the_provider_s_origin_is_added_to_form_action_only():
    policy = _policy("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize")

    assert policy == CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", "form-action 'self' https://login.microsoftonline.com"
    )


def test_a_port_is_kept_and_an_origin_named_twice_once():
    assert "form-action 'self' http://127.0.0.1:8443;" in _policy(
        "http://127.0.0.1:8443/authorize", "http://127.0.0.1:8443/other"
    )


@pytest.mark.parametrize(
    "address",
    [
        "",
        "javascript:alert(1)",
        "https://evil.example; script-src *",
        "https://evil.example x/authorize",
        "https://user:secret@provider.example/authorize",
        "ftp://provider.example/authorize",
        "https://provider.example\x00/authorize",
    ],
)
def test_an_address_that_cannot_be_written_safely_is_left_out(address):
    assert _policy(address) == ""


@pytest.mark.django_db
def test_the_mailbox_page_lets_its_consent_button_reach_the_provider_only(
    organisation, manager_client
):
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": "127.0.0.1",
            "port": 993,
            "user": "rec@ccs.example",
            "auth": "oauth2",
            "oauth_provider": "microsoft",
            "oauth_client_id": "client",
            "oauth_grant": "authorization_code",
        },
        secrets={},
    )

    page = manager_client.get(reverse("organisation_mailbox"))
    other = manager_client.get(reverse("organisation_settings"))

    assert (
        "form-action 'self' https://login.microsoftonline.com;" in page["Content-Security-Policy"]
    )
    assert other["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
