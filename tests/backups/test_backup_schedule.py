"""The worker's backup: due every RECLAMATIONS_BACKUP_EVERY_HOURS, the last
RECLAMATIONS_BACKUP_KEEP kept, a failure recorded and tried again an hour later."""

from datetime import timedelta

import pytest
from django.db import connection

from reclamations.backups.models import BackupRun
from reclamations.backups.schedule import prune, scheduled_backup
from reclamations.worker import JOBS, run_job

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_dir(settings, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the schedule is the same on PostgreSQL; pg_dump is tested elsewhere")
    settings.RECLAMATIONS_BACKUP_DIR = tmp_path / "backups"
    settings.RECLAMATIONS_BACKUP_EVERY_HOURS = 24
    settings.RECLAMATIONS_BACKUP_KEEP = 2
    return tmp_path / "backups"


def _backups(folder):
    return sorted(path.name for path in folder.iterdir())


def test_the_worker_keeps_the_last_backups_and_deletes_older_ones(register, backup_dir, clock):
    job = next(job for job in JOBS if job.name == "backup")
    names = []
    for _day in range(3):
        run = run_job(job)
        assert run.succeeded, run.summary
        names.append(_backups(backup_dir)[-1])
        assert run_job(job).summary == "aucune sauvegarde due"
        clock.shift(timedelta(hours=24, minutes=1))

    assert names == sorted(set(names))
    assert _backups(backup_dir) == names[1:]
    assert BackupRun.objects.filter(succeeded=True).count() == 3


def test_a_failed_backup_is_recorded_and_tried_again_an_hour_later(
    register, backup_dir, clock, settings, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.RECLAMATIONS_BACKUP_DIR = blocked
    job = next(job for job in JOBS if job.name == "backup")

    failed = run_job(job)

    assert not failed.succeeded
    run = BackupRun.objects.get()
    assert (run.succeeded, run.error.startswith("FileExistsError")) == (False, True)
    assert run_job(job).summary == "aucune sauvegarde due"
    clock.shift(timedelta(minutes=61))
    settings.RECLAMATIONS_BACKUP_DIR = backup_dir
    assert run_job(job).succeeded
    assert BackupRun.objects.filter(succeeded=True).count() == 1


def test_scheduled_backups_can_be_turned_off(settings, db):
    settings.RECLAMATIONS_BACKUP_DIR = None

    assert scheduled_backup() == (
        "sauvegardes programmées désactivées (RECLAMATIONS_BACKUP_DIR=off)"
    )


def test_prune_leaves_other_files_alone(tmp_path):
    for name in (
        "reclamations-2026-11-01-020000.tar.gz",
        "reclamations-2026-11-02-020000.tar.gz",
        "reclamations-2026-11-03-020000.tar.gz",
        "notes.txt",
        ".reclamations-2026-11-04-020000.tar.gz.partial",
    ):
        (tmp_path / name).write_text("")

    removed = prune(tmp_path, keep=1)

    assert [path.name for path in removed] == [
        "reclamations-2026-11-01-020000.tar.gz",
        "reclamations-2026-11-02-020000.tar.gz",
    ]
    assert _backups(tmp_path) == [
        ".reclamations-2026-11-04-020000.tar.gz.partial",
        "notes.txt",
        "reclamations-2026-11-03-020000.tar.gz",
    ]
