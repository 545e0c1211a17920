"""`reclamations oauth2-authorize`: the mailbox owner's consent, the browser coming back to this
machine (a real loopback listener) or its address pasted, and the tokens kept."""

import io
import queue
import threading
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reclamations.core.models import MailboxToken
from tests.harness.network import free_port

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNT = "reclamations@ccs-formation.example"


class Screen(io.StringIO):
    """The command's output, handing each consent address to the test as it is printed."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: queue.Queue[str] = queue.Queue()

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.startswith("http://127.0.0.1:") and "/authorize?" in line:
                self.addresses.put(line.strip())
        return super().write(text)


class Keyboard:
    """What the person pastes: given by the test once it has the address."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def readline(self) -> str:
        return self.lines.get(timeout=20)


def run_in_background(**options) -> tuple[threading.Thread, Screen, dict]:
    screen = Screen()
    outcome: dict = {}

    def run() -> None:
        try:
            call_command("oauth2-authorize", stdout=screen, **options)
        except BaseException as error:  # handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, screen, outcome


def test_the_browser_comes_back_to_this_machine_and_the_tokens_are_kept(oauth_authority):
    port = free_port()
    thread, screen, outcome = run_in_background(account=ACCOUNT, port=port, timeout=20)

    address = screen.addresses.get(timeout=20)
    back = oauth_authority.consent(address, ACCOUNT)
    with urllib.request.urlopen(back, timeout=10) as page:  # noqa: S310 (the test's loopback)
        shown = page.read().decode()
    thread.join(20)

    assert "error" not in outcome, outcome
    assert "Autorisation reçue" in shown
    kept = MailboxToken.objects.get(account=ACCOUNT)
    assert kept.refresh_token in oauth_authority.refresh_tokens
    assert oauth_authority.access_tokens[kept.access_token].user == ACCOUNT
    assert kept.authorized_at is not None
    assert f"Autorisation enregistrée pour {ACCOUNT}" in screen.getvalue()
    assert f"redirect_uri=http%3A%2F%2Flocalhost%3A{port}%2F" in address


def test_the_address_pasted_from_another_machines_browser_is_enough(oauth_authority):
    keyboard = Keyboard()
    thread, screen, outcome = run_in_background(account=ACCOUNT, paste=True, stdin=keyboard)

    address = screen.addresses.get(timeout=20)
    keyboard.lines.put(oauth_authority.consent(address, ACCOUNT) + "\n")
    thread.join(20)

    assert "error" not in outcome, outcome
    assert MailboxToken.objects.get(account=ACCOUNT).refresh_token in (
        oauth_authority.refresh_tokens
    )


def test_an_address_from_another_request_is_refused(oauth_authority):
    keyboard = Keyboard()
    thread, screen, outcome = run_in_background(account=ACCOUNT, paste=True, stdin=keyboard)

    screen.addresses.get(timeout=20)
    keyboard.lines.put("http://localhost:8765/?code=abc&state=une-autre-demande\n")
    thread.join(20)

    assert isinstance(outcome["error"], CommandError)
    assert "state différent" in str(outcome["error"])
    assert not MailboxToken.objects.filter(account=ACCOUNT).exists()


def test_a_refused_consent_says_so(oauth_authority):
    keyboard = Keyboard()
    thread, screen, outcome = run_in_background(account=ACCOUNT, paste=True, stdin=keyboard)

    screen.addresses.get(timeout=20)
    keyboard.lines.put(
        "http://localhost:8765/?error=access_denied&error_description=The+user+declined\n"
    )
    thread.join(20)

    assert str(outcome["error"]) == (
        "Consentement refusé par le fournisseur (access_denied) : The user declined. "
        "Recommencez, connecté avec le compte de la boîte des réclamations."
    )


def test_application_access_is_checked_without_a_consent(oauth_authority, settings):
    settings.OAUTH2_GRANT = "client_credentials"
    settings.OAUTH2_CLIENT_SECRET = "secret-de-test"
    oauth_authority.application_user = ACCOUNT
    out = io.StringIO()

    call_command("oauth2-authorize", account=ACCOUNT, stdout=out)

    assert "aucun consentement n'est nécessaire" in out.getvalue()
    assert MailboxToken.objects.get(account=ACCOUNT).access_token


def test_a_configuration_that_cannot_work_stops_before_anything(settings, oauth_authority):
    settings.OAUTH2_CLIENT_ID = ""

    with pytest.raises(CommandError, match="OAUTH2_CLIENT_ID est vide"):
        call_command("oauth2-authorize", account=ACCOUNT, stdout=io.StringIO())
