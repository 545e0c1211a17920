"""The mailbox read over IMAP with OAuth 2.0 (XOAUTH2), as Microsoft 365 and Gmail require:
a real Dovecot that checks every token with the test authority's introspection endpoint."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from reclamations.complaints.models import Complaint
from reclamations.core.models import MailboxToken
from reclamations.core.sealed import seal
from reclamations.intake.imap import MailboxError, MailboxSettings
from reclamations.intake.mailbox import fetch_mail
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.models import Mailbox
from reclamations.intake.polling import fetch_all_mail
from tests.harness.oauth2 import CLIENT_ID

from .conftest import eml

ARRIVED = datetime(2026, 3, 24, 17, 5, tzinfo=UTC)


@pytest.fixture
def oauth_mailbox(dovecot_oauth, oauth_authority):
    """A mailbox holding one complaint, whose owner consented (a refresh token kept)."""
    account = dovecot_oauth.new_account()
    dovecot_oauth.append(account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    MailboxToken.objects.create(
        account=account.user, refresh_token=oauth_authority.give_refresh_token(account.user)
    )
    return account


def config_for(server, account) -> MailboxSettings:
    return MailboxSettings(
        host=server.host,
        port=server.port,
        security="none",
        user=account.user,
        password="",  # none: Microsoft 365 and Gmail refuse passwords
        processed="move:Traitées",
        timeout=10,
        auth="oauth2",
    )


def test_the_mailbox_is_read_with_a_token_and_no_password(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    result = fetch_mail(config=config_for(dovecot_oauth, oauth_mailbox), organisation=organisation)

    assert result.startswith("IMAP : 1 message traité (réclamations créées : 1,")
    assert Complaint.objects.count() == 1
    assert oauth_authority.introspections >= 1
    assert len(oauth_authority.grants("refresh_token")) == 1


def test_the_next_reading_reuses_the_token_while_it_is_valid(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    config = config_for(dovecot_oauth, oauth_mailbox)
    fetch_mail(config=config, organisation=organisation)

    fetch_mail(config=config, organisation=organisation)

    assert len(oauth_authority.grants("refresh_token")) == 1


def test_a_token_expired_at_the_provider_is_renewed_and_the_reading_goes_on(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    config = config_for(dovecot_oauth, oauth_mailbox)
    fetch_mail(config=config, organisation=organisation)
    dovecot_oauth.append(oauth_mailbox, eml("not-a-complaint-question.eml"), when=ARRIVED)
    # Still valid by our clock, refused by the provider's (revoked, or clocks apart).
    oauth_authority.revoke_access_tokens()

    result = fetch_mail(config=config, organisation=organisation)

    assert result.startswith("IMAP : 1 message traité (")
    assert "à trier : 1" in result
    assert len(oauth_authority.grants("refresh_token")) == 2


def test_a_token_past_its_expiry_is_renewed_before_connecting(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    MailboxToken.objects.filter(account=oauth_mailbox.user).update(
        access_token_sealed=seal("at-ancien"), expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )

    fetch_mail(config=config_for(dovecot_oauth, oauth_mailbox), organisation=organisation)

    assert len(oauth_authority.grants("refresh_token")) == 1
    assert MailboxToken.objects.get(account=oauth_mailbox.user).access_token != "at-ancien"


def test_a_withdrawn_consent_stops_the_reading_with_what_to_do(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    oauth_authority.revoke_refresh_tokens()

    with pytest.raises(MailboxError) as stopped:
        fetch_mail(config=config_for(dovecot_oauth, oauth_mailbox), organisation=organisation)

    assert str(stopped.value).startswith(
        f"Connexion IMAP (OAuth 2.0) impossible pour {oauth_mailbox.user} : Le fournisseur "
        "OAuth 2.0 a refusé le jeton (invalid_grant) :"
    )
    assert "relancez « reclamations oauth2-authorize »" in str(stopped.value)
    assert Complaint.objects.count() == 0


def test_a_token_for_another_mailbox_is_refused_by_the_server(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    # The consent was given with another account than the mailbox's: the server refuses the
    # token even renewed, and the message says where to look.
    MailboxToken.objects.filter(account=oauth_mailbox.user).update(
        refresh_token_sealed=seal(oauth_authority.give_refresh_token("quelquun@ailleurs.example"))
    )

    with pytest.raises(MailboxError) as stopped:
        fetch_mail(config=config_for(dovecot_oauth, oauth_mailbox), organisation=organisation)

    assert str(stopped.value).startswith(
        f"Le serveur IMAP refuse le jeton OAuth 2.0 de {oauth_mailbox.user}, même renouvelé"
    )
    assert len(oauth_authority.grants("refresh_token")) == 2


def test_the_fetch_mail_command_takes_oauth2_from_the_settings(
    organisation, settings, dovecot_oauth, oauth_mailbox
):
    settings.IMAP_HOST = dovecot_oauth.host
    settings.IMAP_PORT = dovecot_oauth.port
    settings.IMAP_SECURITY = "none"
    settings.IMAP_USER = oauth_mailbox.user
    settings.IMAP_PASSWORD = ""
    settings.IMAP_AUTH = "oauth2"
    out = StringIO()

    call_command("fetch-mail", stdout=out)

    assert out.getvalue().startswith("IMAP : 1 message traité (réclamations créées : 1,")


def test_a_reading_that_fails_is_kept_on_the_organisation_until_one_works(
    organisation, dovecot_oauth, oauth_authority, oauth_mailbox
):
    config = config_for(dovecot_oauth, oauth_mailbox)
    refresh = MailboxToken.objects.get(account=oauth_mailbox.user).refresh_token
    oauth_authority.revoke_refresh_tokens()
    for _ in range(2):
        with pytest.raises(MailboxError):
            fetch_mail(config=config, organisation=organisation)
    organisation.refresh_from_db()
    failing_since = organisation.mailbox_failing_since
    assert failing_since is not None
    assert organisation.mailbox_error.startswith("Connexion IMAP (OAuth 2.0) impossible pour")

    # The administrator runs oauth2-authorize again: a new refresh token.
    oauth_authority.refresh_tokens[refresh] = oauth_mailbox.user
    fetch_mail(config=config, organisation=organisation)

    organisation.refresh_from_db()
    assert (organisation.mailbox_failing_since, organisation.mailbox_error) == (None, "")


def test_an_organisation_s_own_mailbox_uses_its_own_application_and_refresh_token(
    organisation, dovecot_oauth, oauth_authority, settings
):
    """Decision 0032: the application, scope and refresh token kept (sealed) with the
    organisation's mailbox, not the OAUTH2_* settings (which point elsewhere here)."""
    account = dovecot_oauth.new_account()
    dovecot_oauth.append(account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    settings.OAUTH2_PROVIDER = "microsoft"
    settings.OAUTH2_TOKEN_URL = ""
    settings.OAUTH2_CLIENT_ID = "pas-cette-application"
    refresh_token = oauth_authority.give_refresh_token(account.user)
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": dovecot_oauth.host,
            "port": dovecot_oauth.port,
            "security": "none",
            "user": account.user,
            "auth": "oauth2",
            "oauth_provider": "custom",
            "oauth_client_id": CLIENT_ID,
            "oauth_token_url": oauth_authority.token_url,
            "oauth_scope": "https://mail.example/imap",
        },
        secrets={"oauth_refresh_token": refresh_token},
    )

    result = fetch_all_mail()

    assert result.startswith(f"« {organisation.name} » : IMAP : 1 message traité")
    assert Complaint.objects.filter(organisation=organisation).count() == 1
    assert len(oauth_authority.grants("refresh_token")) == 1
    assert refresh_token not in Mailbox.objects.get().oauth_refresh_token_sealed
