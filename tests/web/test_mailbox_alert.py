"""Staff are told, on every page, when the complaints mailbox has not been read for a quarter
of an hour: clients' e-mails are waiting and nothing registers them."""

import html
import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reclamations.core.models import Organisation
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.polling import read_all

pytestmark = pytest.mark.django_db

CAUSE = (
    "Connexion IMAP (OAuth 2.0) impossible pour reclamations@ccs.example : Le fournisseur OAuth "
    "2.0 a refusé le jeton (invalid_grant)"
)


def failing_for(organisation: Organisation, minutes: int) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(
        mailbox_failing_since=timezone.now() - timedelta(minutes=minutes), mailbox_error=CAUSE
    )


def test_a_mailbox_unread_for_a_quarter_of_an_hour_is_shown_with_its_cause(
    organisation, referent_client
):
    failing_for(organisation, 16)

    page = referent_client.get(reverse("register")).content.decode()

    assert "La boîte des réclamations n'est plus relevée depuis le" in page
    assert "rien n'est perdu, et chacun sera enregistré avec sa date d'arrivée" in page
    assert f"Cause : {CAUSE}" in page
    assert "Prévenez un responsable" in page


def test_the_manager_is_not_asked_to_warn_a_manager(organisation, manager_client):
    failing_for(organisation, 60)

    page = manager_client.get(reverse("register")).content.decode()

    assert f"Cause : {CAUSE}" in page
    assert "Prévenez un responsable" not in page


def test_a_failure_of_a_few_minutes_is_not_shown(organisation, referent_client):
    failing_for(organisation, 5)

    page = referent_client.get(reverse("register")).content.decode()

    assert "n'est plus relevée" not in page


def test_the_auditor_who_can_do_nothing_about_it_is_not_told(organisation, auditor_client):
    failing_for(organisation, 60)

    page = auditor_client.get(reverse("register")).content.decode()

    assert "n'est plus relevée" not in page


def test_a_mailbox_read_normally_shows_nothing(organisation, referent_client):
    page = referent_client.get(reverse("register")).content.decode()

    assert "n'est plus relevée" not in page


def test_the_cause_recorded_by_the_reading_is_said_in_the_reader_s_language(
    organisation, referent, referent_client
):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={"host": "127.0.0.1", "port": closed_port, "security": "none", "user": "rec"},
        secrets={"password": "secret"},
    )
    (outcome,) = read_all(organisation)
    Organisation.objects.filter(pk=organisation.pk).update(
        mailbox_failing_since=timezone.now() - timedelta(minutes=20)
    )

    french = referent_client.get(reverse("register")).content.decode()
    referent.language = "en"
    referent.save(update_fields=["language"])
    english = referent_client.get(reverse("register")).content.decode()

    assert outcome.failed
    assert outcome.summary.startswith("Serveur IMAP injoignable (")
    assert "Cause : Serveur IMAP injoignable (" in french
    assert (
        "vérifiez le serveur, le port et la sécurité de la boîte (page Réglages, Boîte des "
        "réclamations)." in french
    )
    assert "Cause: The IMAP server cannot be reached (" in english
    assert "check the mailbox's server, port and security (Settings page, Complaints mailbox)." in (
        html.unescape(english)
    )
    # What the platform's list and the commands read stays French.
    assert Organisation.objects.get(pk=organisation.pk).mailbox_error == outcome.summary
