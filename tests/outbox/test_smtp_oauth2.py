"""Sending through an SMTP server that takes only XOAUTH2 (Microsoft 365, Gmail): the outbox's
messages go out with the mailbox's token; a refused token is renewed once; a lost consent keeps
every message queued, with a message that says what to do."""

import pytest

from reclamations.core.models import MailboxToken
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue

pytestmark = pytest.mark.django_db

CLIENT = "julie.martin@example.org"


def queued(organisation) -> OutgoingMessage:
    return outbox_queue(
        organisation=organisation,
        to=CLIENT,
        kind="reply",
        subject="Réponse",
        body_text="Madame,\nc'est réglé.",
    )


@pytest.fixture
def consented(settings, oauth_authority, oauth_smtp_server) -> MailboxToken:
    account = settings.EMAIL_HOST_USER
    return MailboxToken.objects.create(
        account=account, refresh_token=oauth_authority.give_refresh_token(account)
    )


def test_messages_go_out_authenticated_by_the_token(
    organisation, oauth_smtp_server, consented, settings
):
    first, second = queued(organisation), queued(organisation)

    report = deliver_due()

    assert report.summary() == "2 envoyé(s), 0 à réessayer, 0 en échec"
    assert [r.rcpt_tos for r in oauth_smtp_server.received] == [(CLIENT,), (CLIENT,)]
    # One connection for the batch, one login.
    assert oauth_smtp_server.handler.logins == [settings.EMAIL_HOST_USER]
    for message in (first, second):
        message.refresh_from_db()
        assert message.status == OutgoingStatus.SENT


def test_a_token_refused_by_the_server_is_renewed_and_the_message_sent(
    organisation, oauth_smtp_server, oauth_authority, consented
):
    queued(organisation)
    deliver_due()  # a first token, used and kept
    oauth_authority.revoke_access_tokens()
    message = queued(organisation)

    report = deliver_due()

    assert report.sent == 1
    assert oauth_smtp_server.handler.refusals == 1
    assert len(oauth_authority.grants("refresh_token")) == 2
    message.refresh_from_db()
    assert message.status == OutgoingStatus.SENT


def test_a_lost_consent_keeps_the_messages_for_later_and_says_what_to_do(
    organisation, oauth_smtp_server, oauth_authority, consented
):
    oauth_authority.revoke_refresh_tokens()
    first, second = queued(organisation), queued(organisation)

    report = deliver_due()

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert oauth_smtp_server.received == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OutgoingStatus.QUEUED
    assert first.last_error.startswith(
        "Envoi SMTP (OAuth 2.0) : Le fournisseur OAuth 2.0 a refusé le jeton (invalid_grant)"
    )
    assert second.attempts == 0  # the run stopped: nothing to do with the message itself


def test_a_server_that_refuses_even_a_renewed_token_names_the_permission(
    organisation, oauth_smtp_server, oauth_authority, settings
):
    # The consent was given by another account than the sending one.
    MailboxToken.objects.create(
        account=settings.EMAIL_HOST_USER,
        refresh_token=oauth_authority.give_refresh_token("quelquun@ailleurs.example"),
    )
    message = queued(organisation)

    deliver_due()

    message.refresh_from_db()
    assert message.status == OutgoingStatus.QUEUED
    assert "vérifiez EMAIL_HOST_USER et la permission d'envoi de l'application OAuth 2.0" in (
        message.last_error
    )
    assert oauth_smtp_server.handler.refusals == 2
