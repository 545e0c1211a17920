"""Managers are told on every staff page when no backup has succeeded for two days."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reclamations.backups.models import BackupRun
from reclamations.core.models import Organisation

from .helpers import text_of

REGISTER = reverse("register")
NEVER = "Aucune sauvegarde n'a encore réussi."


@pytest.fixture(autouse=True)
def _scheduled_backups(settings, tmp_path):
    # The suite turns them off (tests/conftest.py): here they are on, as on a real installation.
    settings.RECLAMATIONS_BACKUP_DIR = tmp_path / "backups"


def _ran(ago: timedelta, *, succeeded: bool = True, error: str = "") -> None:
    at = timezone.now() - ago
    BackupRun.objects.create(
        started_at=at, finished_at=at, succeeded=succeeded, error=error, path="/x"
    )
    cache.clear()  # what the logged-in client's first page read is forgotten


def _installed(organisation, ago: timedelta) -> None:
    Organisation.objects.filter(pk=organisation.pk).update(created_at=timezone.now() - ago)
    cache.clear()


def test_a_backup_three_days_old_is_said_with_the_last_error(manager_client, organisation):
    _installed(organisation, timedelta(days=30))
    _ran(timedelta(days=3))
    _ran(timedelta(hours=2), succeeded=False, error="Dossier des sauvegardes plein.")

    page = text_of(manager_client.get(REGISTER))

    assert "Aucune sauvegarde n'a réussi depuis le" in page
    assert "Dernière erreur : Dossier des sauvegardes plein." in page


def test_a_recent_backup_says_nothing(manager_client, organisation):
    _installed(organisation, timedelta(days=30))
    _ran(timedelta(hours=20))

    assert "sauvegarde" not in text_of(manager_client.get(REGISTER)).lower()


def test_a_new_installation_has_two_days_for_its_first_backup(manager_client, organisation):
    assert NEVER not in text_of(manager_client.get(REGISTER))


def test_an_installation_never_backed_up_is_told_so(manager_client, organisation):
    _installed(organisation, timedelta(days=3))

    assert NEVER in text_of(manager_client.get(REGISTER))


def test_referents_are_not_told(referent_client, organisation):
    _installed(organisation, timedelta(days=3))

    assert NEVER not in text_of(referent_client.get(REGISTER))


def test_nothing_when_the_scheduled_backup_is_off(manager_client, organisation, settings):
    settings.RECLAMATIONS_BACKUP_DIR = None
    _installed(organisation, timedelta(days=3))

    assert NEVER not in text_of(manager_client.get(REGISTER))


@pytest.mark.parametrize("hours", [24 * 3])
def test_a_longer_period_gives_two_of_its_periods(manager_client, organisation, settings, hours):
    settings.RECLAMATIONS_BACKUP_EVERY_HOURS = hours  # every three days
    _installed(organisation, timedelta(days=30))
    _ran(timedelta(days=5))

    assert "Aucune sauvegarde n'a réussi" not in text_of(manager_client.get(REGISTER))


def test_the_backups_are_read_once_in_a_while_not_at_every_page(manager_client, organisation):
    manager_client.get(REGISTER)

    with CaptureQueriesContext(connection) as queries:
        manager_client.get(REGISTER)

    assert not [q for q in queries.captured_queries if "backups_backuprun" in q["sql"]]
