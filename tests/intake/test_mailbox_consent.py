"""A manager connects the organisation's own mailbox to its provider (OAuth 2.0 consent,
decision 0037): from the mailbox page to the provider (the test authority) and back, the tokens
kept for that organisation only, and the worker reading the mailbox with them; every way the
return can go wrong says so in French; the command does the same with --organisation."""

import io
import urllib.parse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.models import MailboxToken, User
from reclamations.core.roles import Role
from reclamations.core.sealed import unseal
from reclamations.intake.imap import MailboxError
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.models import Mailbox
from reclamations.intake.polling import fetch_all_mail
from tests.accounts import verified_login
from tests.conftest import PASSWORD
from tests.harness.oauth2 import CLIENT_ID

from .conftest import eml
from .test_mailbox_oauth2 import ARRIVED

PAGE = reverse("organisation_mailbox")
START = reverse("mailbox_consent_start")
RETURN = reverse("mailbox_consent_return")


def oauth_mailbox_for(organisation, server, authority, user: str, **values) -> None:
    """The organisation's mailbox on OAuth 2.0 with the owner's consent, not yet given."""
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": server.host,
            "port": server.port,
            "security": "none",
            "user": user,
            "processed": "move:Traitées",
            "auth": "oauth2",
            "oauth_provider": "custom",
            "oauth_client_id": CLIENT_ID,
            "oauth_grant": "authorization_code",
            "oauth_token_url": authority.token_url,
            "oauth_authorize_url": authority.authorize_url,
            "oauth_scope": "https://mail.example/imap",
            **values,
        },
        secrets={},
    )


def local(address: str) -> str:
    """The return address as the test client asks for it (its path and query)."""
    parts = urllib.parse.urlsplit(address)
    return f"{parts.path}?{parts.query}"


def query_of(address: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(address).query))


def messages_on(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def owner(dovecot_oauth):
    """The complaints mailbox's account at the provider, holding one complaint."""
    account = dovecot_oauth.new_account()
    dovecot_oauth.append(account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    return account


@pytest.fixture
def consent_mailbox(organisation, dovecot_oauth, oauth_authority, owner):
    oauth_mailbox_for(organisation, dovecot_oauth, oauth_authority, owner.user)
    return Mailbox.objects.get(organisation=organisation)


@pytest.fixture
def manager_page(manager) -> Client:
    return verified_login(Client(), manager)


def started(page: Client) -> str:
    """The provider's address the button sends the browser to."""
    response = page.post(START)
    assert response.status_code == 302
    return response["Location"]


def test_the_manager_connects_the_mailbox_and_the_worker_reads_it(
    organisation, manager_page, oauth_authority, owner, consent_mailbox, settings
):
    before = manager_page.get(PAGE).content.decode()

    provider_address = started(manager_page)
    back = oauth_authority.consent(provider_address, owner.user)
    returned = manager_page.get(local(back), follow=True)

    asked = query_of(provider_address)
    assert provider_address.startswith(oauth_authority.authorize_url + "?")
    assert asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == settings.RECLAMATIONS_BASE_URL + RETURN
    assert asked["login_hint"] == owner.user
    assert asked["code_challenge_method"] == "S256"
    assert asked["state"]
    assert "Boîte pas encore connectée : le worker ne peut pas la relever." in before
    assert "Se connecter à votre fournisseur" in before
    assert returned.redirect_chain == [(PAGE, 302)]
    assert messages_on(returned) == [
        "Boîte des réclamations connectée : le consentement est enregistré et le worker la "
        "relèvera à son prochain passage."
    ]
    assert "Boîte connectée le" in returned.content.decode()
    # The refresh token sealed with the organisation's mailbox, the tokens under it only.
    consent_mailbox.refresh_from_db()
    refresh = unseal(consent_mailbox.oauth_refresh_token_sealed)
    assert oauth_authority.refresh_tokens[refresh] == owner.user
    assert refresh not in consent_mailbox.oauth_refresh_token_sealed
    kept = MailboxToken.objects.get()
    assert (kept.organisation, kept.account, kept.refresh_token) == (
        organisation,
        owner.user,
        refresh,
    )
    assert kept.authorized_at is not None
    event = ComplaintEvent.objects.get(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED, actor__isnull=False
    )
    assert event.actor.username == "responsable"
    assert event.data == {"changes": {"mailbox_oauth_consent_given": [False, True]}}
    assert refresh not in str(event.data)

    result = fetch_all_mail()

    assert result.startswith(f"« {organisation.name} » : IMAP : 1 message traité")
    assert Complaint.objects.filter(organisation=organisation).count() == 1
    # The consent's access token was good: no renewal was needed.
    assert oauth_authority.grants("refresh_token") == []


def test_a_new_consent_replaces_the_tokens_of_the_previous_one(
    organisation, manager_page, oauth_authority, owner, consent_mailbox
):
    for _ in range(2):
        manager_page.get(local(oauth_authority.consent(started(manager_page), owner.user)))
    consent_mailbox.refresh_from_db()
    latest = unseal(consent_mailbox.oauth_refresh_token_sealed)
    oauth_authority.revoke_access_tokens()

    fetch_all_mail()

    assert len(oauth_authority.grants("authorization_code")) == 2
    # Renewed from the latest consent's refresh token.
    (renewal,) = oauth_authority.grants("refresh_token")
    assert renewal["refresh_token"] == latest
    assert MailboxToken.objects.count() == 1
    assert Complaint.objects.filter(organisation=organisation).count() == 1


def test_a_refresh_token_given_by_hand_replaces_the_consent_s_tokens(
    organisation, manager_page, oauth_authority, owner, consent_mailbox
):
    manager_page.get(local(oauth_authority.consent(started(manager_page), owner.user)))
    by_hand = oauth_authority.give_refresh_token(owner.user)

    mailbox_save(
        organisation=organisation,
        actor=None,
        values={},
        secrets={"oauth_refresh_token": by_hand},
    )
    fetch_all_mail()

    (renewal,) = oauth_authority.grants("refresh_token")
    assert renewal["refresh_token"] == by_hand
    assert Complaint.objects.filter(organisation=organisation).count() == 1


def test_a_return_this_session_did_not_ask_for_is_refused(
    manager, manager_page, oauth_authority, owner, consent_mailbox
):
    provider_address = started(manager_page)
    back = oauth_authority.consent(provider_address, owner.user)
    # The same manager in another browser asked for another consent: its state is signed for
    # the organisation, but not this session's.
    elsewhere = verified_login(Client(), manager)
    their_back = oauth_authority.consent(started(elsewhere), owner.user)

    forged = manager_page.get(f"{RETURN}?code=abc&state=invente", follow=True)
    crossed = manager_page.get(local(their_back), follow=True)
    # The session's own consent is still pending, and completes.
    completed = manager_page.get(local(back), follow=True)

    wrong_state = (
        "La connexion n'a pas abouti. Ce retour du fournisseur ne correspond à aucune "
        "connexion demandée par cette session (« state » différent) : recommencez depuis cette "
        "page, dans le même navigateur."
    )
    assert (forged.status_code, messages_on(forged)) == (200, [wrong_state])
    assert messages_on(crossed) == [wrong_state]
    assert messages_on(completed)[0].startswith("Boîte des réclamations connectée")
    assert len(oauth_authority.grants("authorization_code")) == 1


def test_a_refused_consent_stores_nothing(
    organisation, manager_page, oauth_authority, consent_mailbox
):
    state = query_of(started(manager_page))["state"]

    refused = manager_page.get(
        RETURN,
        {"error": "access_denied", "error_description": "The user declined.", "state": state},
        follow=True,
    )

    assert refused.status_code == 200
    assert messages_on(refused) == [
        "La connexion n'a pas abouti. Connexion refusée : le consentement n'a pas été donné "
        "chez le fournisseur. Recommencez, connecté avec le compte de la boîte des "
        "réclamations, et acceptez."
    ]
    assert not MailboxToken.objects.exists()
    assert Mailbox.objects.get().oauth_refresh_token_sealed == ""
    assert oauth_authority.token_requests == []


def test_another_provider_error_is_shown_with_its_detail(manager_page, consent_mailbox):
    state = query_of(started(manager_page))["state"]

    refused = manager_page.get(
        RETURN,
        {"error": "server_error", "error_description": "AADSTS500011 indisponible", "state": state},
        follow=True,
    )

    assert messages_on(refused) == [
        "La connexion n'a pas abouti. Le fournisseur a refusé la connexion (server_error). "
        "Détail : AADSTS500011 indisponible"
    ]


def test_a_code_the_token_endpoint_refuses_stores_nothing(
    manager_page, oauth_authority, owner, consent_mailbox
):
    back = oauth_authority.consent(started(manager_page), owner.user)
    state = query_of(back)["state"]

    refused = manager_page.get(RETURN, {"code": "pas-ce-code", "state": state}, follow=True)

    assert refused.status_code == 200
    (message,) = messages_on(refused)
    assert message.startswith(
        "La connexion n'a pas abouti. Le fournisseur OAuth 2.0 a refusé le jeton (invalid_grant) :"
    )
    assert message.endswith("Détail : Bad code.")
    assert not MailboxToken.objects.exists()
    assert Mailbox.objects.get().oauth_refresh_token_sealed == ""


def test_a_mailbox_without_a_consent_to_give_starts_nothing(
    organisation, manager_page, dovecot, mailbox_account
):
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={"host": dovecot.host, "port": dovecot.port, "user": mailbox_account.user},
        secrets={"password": mailbox_account.password},
    )

    page = manager_page.get(PAGE).content.decode()
    refused = manager_page.post(START, follow=True)

    assert "Se connecter à" not in page
    assert refused.redirect_chain == [(PAGE, 302)]
    assert messages_on(refused) == [
        "Enregistrez d'abord la boîte avec l'authentification OAuth 2.0 et le consentement du "
        "titulaire (authorization_code) : la connexion se fait ensuite depuis cette page."
    ]


def test_another_organisation_s_manager_can_neither_complete_nor_start_ours(
    organisation, other_organisation, manager_page, oauth_authority, owner, consent_mailbox
):
    back = oauth_authority.consent(started(manager_page), owner.user)
    theirs = User(username="responsable-b", role=Role.MANAGER, organisation=other_organisation)
    theirs.set_password(PASSWORD)
    theirs.save()
    their_page = verified_login(Client(), theirs)

    completed = their_page.get(local(back))
    their_start = their_page.post(START, follow=True)

    assert completed.status_code == 404
    assert oauth_authority.token_requests == []
    assert not MailboxToken.objects.exists()
    # Their button asks for their own organisation's mailbox, which takes no consent.
    assert messages_on(their_start)[0].startswith("Enregistrez d'abord la boîte")
    # Ours still completes.
    assert manager_page.get(local(back)).status_code == 302
    assert MailboxToken.objects.get().organisation == organisation


def test_a_referent_can_neither_start_nor_complete_a_consent(
    referent, manager_page, oauth_authority, owner, consent_mailbox
):
    back = oauth_authority.consent(started(manager_page), owner.user)
    referent_page = verified_login(Client(), referent)

    assert referent_page.post(START).status_code == 403
    assert referent_page.get(local(back)).status_code == 403
    assert oauth_authority.token_requests == []


def test_an_organisation_s_tokens_are_never_handed_to_another_typing_the_same_login(
    organisation,
    other_organisation,
    dovecot_oauth,
    oauth_authority,
    manager_page,
    owner,
    consent_mailbox,
):
    manager_page.get(local(oauth_authority.consent(started(manager_page), owner.user)))
    # Another organisation's manager types our login with their own (here the same) server:
    # without a consent of theirs, nothing of ours is used to log in.
    oauth_mailbox_for(other_organisation, dovecot_oauth, oauth_authority, owner.user)

    with pytest.raises(MailboxError, match=r"Aucune autorisation OAuth 2\.0 pour"):
        fetch_all_mail()

    assert Complaint.objects.filter(organisation=organisation).count() == 1
    assert not Complaint.objects.filter(organisation=other_organisation).exists()
    other_organisation.refresh_from_db()
    assert "Boîte des réclamations, « Se connecter »" in other_organisation.mailbox_error


# --- the command ---------------------------------------------------------------------------


class OwnerAtTheKeyboard:
    """Pastes the address the browser came back to, once the owner consented at the address
    the command printed (no thread: the command prints, then reads)."""

    def __init__(self, screen: io.StringIO, authority, user: str) -> None:
        self.screen, self.authority, self.user = screen, authority, user

    def readline(self) -> str:
        (address,) = [line for line in self.screen.getvalue().splitlines() if "/authorize?" in line]
        return self.authority.consent(address.strip(), self.user) + "\n"


def test_the_command_connects_one_organisation_s_mailbox(
    organisation, oauth_authority, owner, consent_mailbox
):
    screen = io.StringIO()

    call_command(
        "oauth2-authorize",
        "--organisation",
        str(organisation.pk),
        "--paste",
        stdout=screen,
        stdin=OwnerAtTheKeyboard(screen, oauth_authority, owner.user),
    )

    consent_mailbox.refresh_from_db()
    kept = MailboxToken.objects.get()
    assert kept.organisation == organisation
    assert unseal(consent_mailbox.oauth_refresh_token_sealed) == kept.refresh_token
    assert f"Autorisation enregistrée pour {owner.user} (boîte de « {organisation.name} »)" in (
        screen.getvalue()
    )
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A8765%2F" in screen.getvalue()
    events = ComplaintEvent.objects.filter(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED
    ).order_by("id")
    assert events.last().data == {"changes": {"mailbox_oauth_consent_given": [False, True]}}
    assert fetch_all_mail().startswith(f"« {organisation.name} » : IMAP : 1 message traité")


def test_the_command_names_what_keeps_an_organisation_from_consenting(
    organisation, dovecot, mailbox_account
):
    with pytest.raises(CommandError, match="Organisme « Inconnu » introuvable"):
        call_command("oauth2-authorize", "--organisation", "Inconnu")
    with pytest.raises(CommandError, match="Enregistrez d'abord la boîte avec l'authentification"):
        call_command("oauth2-authorize", "--organisation", organisation.name)


def test_an_english_manager_reads_the_provider_s_refusal_in_english(
    manager, manager_page, oauth_authority, owner, consent_mailbox
):
    manager.language = "en"
    manager.save(update_fields=["language"])
    back = oauth_authority.consent(started(manager_page), owner.user)

    refused = manager_page.get(
        RETURN, {"code": "pas-ce-code", "state": query_of(back)["state"]}, follow=True
    )

    (message,) = messages_on(refused)
    assert message.startswith(
        "The connection did not go through. The OAuth 2.0 provider refused the token "
        "(invalid_grant): the refresh token has expired or was revoked"
    )
    # The provider's own words are shown as they came.
    assert message.endswith("Detail: Bad code.")
