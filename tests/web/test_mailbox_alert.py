"""Staff are told, on every page, when the complaints mailbox has not been read for a quarter
of an hour: clients' e-mails are waiting and nothing registers them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reclamations.core.models import Organisation

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
