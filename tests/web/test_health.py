"""/sante/ and `reclamations health`: whether the installation works, without a login, and
nothing about anyone."""

import json
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from reclamations.backups.storage import HEALTH_PROBES, stored_names
from reclamations.core.heartbeat import heartbeat_record, worker_name
from reclamations.core.models import Organisation, WorkerHeartbeat
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from tests.harness.settings_process import PROJECT_ROOT

pytestmark = pytest.mark.django_db

ALL_FINE = {
    "database": {"ok": True},
    "storage": {"ok": True},
    "worker": {"ok": True, "workers": 1, "last_heartbeat_seconds": 0},
    "outbox": {
        "ok": True,
        "undelivered": 0,
        "oldest_undelivered_seconds": None,
        "failed_last_24h": 0,
    },
    "mailbox": {"ok": True, "failing_for_seconds": None, "failing_mailboxes": 0},
}


def _health(client: Client) -> tuple[int, dict]:
    response = client.get("/sante/")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    return response.status_code, response.json()


def _queue(organisation, *, minutes_ago: int, status: str = OutgoingStatus.QUEUED) -> None:
    message = outbox_queue(
        organisation=organisation, kind="reply", to="client@example.org", subject="s", body_text="b"
    )
    created = timezone.now() - timedelta(minutes=minutes_ago)
    OutgoingMessage.objects.filter(pk=message.pk).update(created_at=created, status=status)


def test_health_is_200_without_a_login_when_everything_works(clock, organisation):
    heartbeat_record()

    assert _health(Client()) == (200, {"status": "ok", "checks": ALL_FINE})


def test_health_answers_head_and_refuses_post(clock, organisation):
    heartbeat_record()

    assert Client().head("/sante/").status_code == 200
    assert Client().post("/sante/").status_code == 405


def test_health_leaves_no_probe_file_and_backups_never_list_probes(clock, organisation):
    heartbeat_record()
    default_storage.save(f"{HEALTH_PROBES}/left-by-a-crash.txt", ContentFile(b"x"))
    default_storage.save("documents/kept.pdf", ContentFile(b"%PDF"))

    _health(Client())

    assert default_storage.listdir(HEALTH_PROBES) == ([], ["left-by-a-crash.txt"])
    assert list(stored_names(default_storage)) == ["documents/kept.pdf"]


def test_health_is_503_before_any_worker_started(clock, organisation):
    status, answer = _health(Client())

    assert status == 503
    assert answer["status"] == "fail"
    assert answer["checks"]["worker"] == {
        "ok": False,
        "workers": 0,
        "last_heartbeat_seconds": None,
        "detail": "Aucun worker n'a encore donné signe de vie : lancez « reclamations worker ».",
    }


def test_health_is_503_when_the_workers_stopped_beating(clock, organisation, settings):
    settings.RECLAMATIONS_HEALTH_WORKER_MINUTES = 10
    heartbeat_record()
    clock.shift(timedelta(minutes=9, seconds=59))
    assert _health(Client())[0] == 200

    clock.shift(timedelta(seconds=2))
    status, answer = _health(Client())

    assert status == 503
    assert answer["checks"]["worker"] == {
        "ok": False,
        "workers": 0,
        "last_heartbeat_seconds": 601,
        "detail": (
            "Aucun worker n'a donné signe de vie depuis 10 minutes : les messages ne partent "
            "plus et la boîte n'est plus relevée."
        ),
    }


def test_each_worker_process_beats_in_its_own_row_and_old_rows_go(clock, organisation):
    WorkerHeartbeat.objects.create(
        worker="autre-machine:41", started_at=timezone.now(), beat_at=timezone.now()
    )
    WorkerHeartbeat.objects.create(
        worker="partie-avant-hier:7",
        started_at=timezone.now() - timedelta(days=2),
        beat_at=timezone.now() - timedelta(days=1, seconds=1),
    )
    started = timezone.now()
    heartbeat_record()
    clock.shift(timedelta(minutes=1))
    assert heartbeat_record() == f"signe de vie de {worker_name()}"

    assert sorted(WorkerHeartbeat.objects.values_list("worker", "started_at", "beat_at")) == sorted(
        [
            ("autre-machine:41", started, started),
            (worker_name(), started, started + timedelta(minutes=1)),
        ]
    )
    assert _health(Client())[1]["checks"]["worker"] == {
        "ok": True,
        "workers": 2,
        "last_heartbeat_seconds": 0,
    }


def test_health_counts_the_outbox_backlog_and_fails_past_its_limit(clock, organisation, settings):
    settings.RECLAMATIONS_HEALTH_OUTBOX_MINUTES = 30
    heartbeat_record()
    _queue(organisation, minutes_ago=30)
    _queue(organisation, minutes_ago=2, status=OutgoingStatus.SENDING)
    _queue(organisation, minutes_ago=60 * 23, status=OutgoingStatus.FAILED)
    _queue(organisation, minutes_ago=60 * 25, status=OutgoingStatus.FAILED)
    _queue(organisation, minutes_ago=90, status=OutgoingStatus.SENT)

    assert _health(Client()) == (
        200,
        {
            "status": "ok",
            "checks": {
                **ALL_FINE,
                "outbox": {
                    "ok": True,
                    "undelivered": 2,
                    "oldest_undelivered_seconds": 1800,
                    "failed_last_24h": 1,
                },
            },
        },
    )

    clock.shift(timedelta(seconds=1))
    heartbeat_record()
    status, answer = _health(Client())
    assert status == 503
    assert answer["checks"]["outbox"] == {
        "ok": False,
        "undelivered": 2,
        "oldest_undelivered_seconds": 1801,
        "failed_last_24h": 1,
        "detail": (
            "Un message attend d'être envoyé depuis 30 minutes : vérifiez le serveur SMTP et "
            "les workers."
        ),
    }


def test_health_fails_when_the_mailbox_failed_for_a_quarter_of_an_hour(clock, organisation):
    heartbeat_record()
    organisation.mailbox_failing_since = timezone.now() - timedelta(minutes=15)
    organisation.mailbox_error = "imap.ccs-formation.example : connexion refusée"
    organisation.save(update_fields=["mailbox_failing_since", "mailbox_error"])
    assert _health(Client())[1]["checks"]["mailbox"] == {
        "ok": True,
        "failing_for_seconds": 900,
        "failing_mailboxes": 1,
    }

    clock.shift(timedelta(minutes=1))
    heartbeat_record()
    status, answer = _health(Client())

    assert status == 503
    # The mailbox's error names a server: the managers' pages say it, not this public page.
    assert "imap" not in json.dumps(answer)
    assert answer["checks"]["mailbox"] == {
        "ok": False,
        "failing_for_seconds": 960,
        "failing_mailboxes": 1,
        "detail": (
            "1 boîte des réclamations ne peut plus être relevée (la plus ancienne depuis "
            "16 minutes) : la cause est affichée aux responsables de l'organisme et sur "
            "/plateforme/."
        ),
    }


def test_health_counts_every_organisation_s_mailbox_in_error(clock, organisation):
    """Many organisations (decision 0032): the mailboxes in error are counted, one failing for
    a minute is reported without failing the page, and the page names none of them."""
    heartbeat_record()
    second = Organisation.objects.create(name="Formations Loire")
    Organisation.objects.create(name="Sans erreur")
    Organisation.objects.filter(pk=organisation.pk).update(
        mailbox_failing_since=timezone.now() - timedelta(minutes=20), mailbox_error="refusée"
    )
    Organisation.objects.filter(pk=second.pk).update(
        mailbox_failing_since=timezone.now() - timedelta(minutes=1), mailbox_error="refusée"
    )

    status, answer = _health(Client())

    assert status == 503
    assert answer["checks"]["mailbox"] == {
        "ok": False,
        "failing_for_seconds": 1200,
        "failing_mailboxes": 2,
        "detail": (
            "1 boîte des réclamations ne peut plus être relevée (la plus ancienne depuis "
            "20 minutes) : la cause est affichée aux responsables de l'organisme et sur "
            "/plateforme/."
        ),
    }
    assert "Formations Loire" not in json.dumps(answer)


def test_health_fails_when_files_cannot_be_stored(clock, organisation, settings, tmp_path):
    heartbeat_record()
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("un fichier là où les documents devraient être rangés")
    settings.MEDIA_ROOT = not_a_folder

    status, answer = _health(Client())

    assert status == 503
    assert answer["checks"]["storage"]["ok"] is False
    assert answer["checks"]["storage"]["detail"].startswith(
        "Le stockage des fichiers ne répond pas. ("
    )
    assert str(tmp_path) not in json.dumps(answer)
    assert answer["checks"]["database"] == {"ok": True}


def test_health_command_prints_the_checks_and_fails_with_them(clock, organisation, capsys):
    with pytest.raises(CommandError) as raised:
        call_command("health")

    assert str(raised.value) == "Santé : en échec (worker)."
    assert json.loads(capsys.readouterr().out)["checks"]["worker"]["ok"] is False
    heartbeat_record()
    call_command("health")
    assert json.loads(capsys.readouterr().out) == {"status": "ok", "checks": ALL_FINE}


def test_health_command_says_the_database_is_down(tmp_path):
    """A database nobody answers at (a closed port): every check that reads it fails, the
    stored files still answer, and no address or password is printed."""
    env = {
        "RECLAMATIONS_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://reclamations:secret@127.0.0.1:9/absente",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-m", "reclamations.cli", "health"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    answer = json.loads(done.stdout)
    assert answer["status"] == "fail"
    assert answer["checks"]["database"] == {
        "ok": False,
        "detail": "La base de données ne répond pas. (OperationalError)",
    }
    assert answer["checks"]["storage"] == {"ok": True}
    assert {name for name, check in answer["checks"].items() if not check["ok"]} == {
        "database",
        "worker",
        "outbox",
        "mailbox",
    }
    assert "secret" not in done.stdout
    assert "Santé : en échec (database, worker, outbox, mailbox)." in done.stderr
