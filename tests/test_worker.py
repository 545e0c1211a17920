"""The worker: its loop, its command, and its embedded start inside `reclamations serve`."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reclamations import worker
from reclamations.core.management.commands.serve import embedded_worker_wanted, worker_command
from reclamations.core.models import Organisation
from reclamations.worker import (
    JOBS,
    Job,
    JobRun,
    register_job,
    run_forever,
    run_job,
    run_once,
    watch_parent,
)
from tests.harness.network import free_port

# run_job manages the database connections between jobs: every test may touch them.
pytestmark = pytest.mark.django_db

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"
SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"


class FakeClock:
    """Monotonic seconds that only move when the loop waits."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class AdvancingEvent(threading.Event):
    """A stop event whose wait moves the fake clock instead of sleeping."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        self.clock.now += timeout
        return self.is_set()


def _boom() -> str:
    raise RuntimeError("serveur injoignable")


# --- the loop ---------------------------------------------------------------------------------


def test_run_forever_runs_each_job_when_due():
    clock = FakeClock()
    stop = AdvancingEvent(clock)
    fast_runs: list[float] = []
    slow_runs: list[float] = []

    def fast() -> str:
        fast_runs.append(clock.now)
        if clock.now >= 60:
            stop.set()
        return "ok"

    def slow() -> str:
        slow_runs.append(clock.now)
        return "ok"

    jobs = [
        Job("fast", fast, timedelta(seconds=10)),
        Job("slow", slow, timedelta(seconds=30)),
    ]
    run_forever(jobs, stop_event=stop, clock=clock)

    assert fast_runs == [0, 10, 20, 30, 40, 50, 60]
    # At 60 the stop request came from "fast": "slow" was due too but is not started.
    assert slow_runs == [0, 30]
    assert max(stop.waits) == worker.TICK_SECONDS


def test_run_forever_survives_a_failing_job():
    stop = threading.Event()
    runs: list[str] = []

    def counting() -> str:
        runs.append("counting")
        if runs.count("counting") == 3:
            stop.set()
        return "ok"

    def failing() -> str:
        runs.append("failing")
        return _boom()

    jobs = [Job("counting", counting, timedelta(0)), Job("failing", failing, timedelta(0))]
    run_forever(jobs, stop_event=stop)

    assert runs == ["counting", "failing", "counting", "failing", "counting"]


def test_run_forever_stops_on_the_stop_event_while_waiting():
    stop = threading.Event()
    runs: list[float] = []
    job = Job("hourly", lambda: runs.append(time.monotonic()) or "ok", timedelta(hours=1))
    threading.Timer(0.2, stop.set).start()

    started = time.monotonic()
    run_forever([job], stop_event=stop)

    assert len(runs) == 1
    assert time.monotonic() - started < 2


def test_run_forever_returns_at_once_when_already_stopped():
    stop = threading.Event()
    stop.set()
    runs: list[str] = []

    run_forever([Job("never", lambda: runs.append("x") or "ok", timedelta(0))], stop_event=stop)

    assert runs == []


def test_run_job_reports_the_summary_or_the_error(caplog):
    assert run_job(Job("good", lambda: "3 messages envoyés", timedelta(0))) == JobRun(
        "good", True, "3 messages envoyés"
    )
    assert run_job(Job("bad", _boom, timedelta(0))) == JobRun(
        "bad", False, "RuntimeError: serveur injoignable"
    )
    assert "Tâche bad : échec" in caplog.text


def test_run_once_runs_every_job_in_order():
    runs = run_once([Job("a", lambda: "A", timedelta(0)), Job("b", _boom, timedelta(0))])

    assert runs == [JobRun("a", True, "A"), JobRun("b", False, "RuntimeError: serveur injoignable")]


def test_watch_parent_stops_when_the_parent_is_gone():
    stop = threading.Event()
    # A pid that is not our parent: as seen after our parent exited and we were adopted.
    watch_parent(os.getppid() + 1_000_000, stop, poll_seconds=0.01)

    assert stop.wait(2) is True


def test_watch_parent_keeps_running_while_the_parent_lives():
    stop = threading.Event()
    watch_parent(os.getppid(), stop, poll_seconds=0.01)

    assert stop.wait(0.2) is False
    stop.set()  # ends the watching thread


def test_each_app_registers_its_own_job_once():
    assert [(job.name, job.every) for job in JOBS] == [
        ("heartbeat", timedelta(minutes=1)),
        ("purge-security-journal", timedelta(hours=6)),
        ("send-outbox", timedelta(seconds=30)),
        ("send-reminders", timedelta(minutes=15)),
        ("fetch-mail", timedelta(minutes=1)),
        ("backup", timedelta(minutes=15)),
        ("sweep-files", timedelta(days=1)),
        ("retention", timedelta(days=1)),
        ("data-request-reminders", timedelta(minutes=15)),
    ]


def test_registering_a_job_again_replaces_it(monkeypatch):
    monkeypatch.setattr("reclamations.worker.JOBS", [])
    register_job(Job("tidy", lambda: "1", timedelta(hours=1)))
    register_job(Job("tidy", lambda: "2", timedelta(hours=2)))

    assert [(job.name, job.every, job.run()) for job in worker.JOBS] == [
        ("tidy", timedelta(hours=2), "2")
    ]


# --- the command ------------------------------------------------------------------------------


def test_worker_once_runs_every_job_once():
    out = StringIO()
    call_command("worker", "--once", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(" : ")[0] for line in lines] == [job.name for job in JOBS]
    reminders_line = lines[[job.name for job in JOBS].index("send-reminders")]
    assert reminders_line == (
        "send-reminders : rappels : 0, alertes de retard : 0, récapitulatifs : 0"
    )


def test_worker_once_fails_when_a_job_fails(monkeypatch):
    monkeypatch.setattr(
        "reclamations.core.management.commands.worker.JOBS",
        [Job("good", lambda: "rien à faire", timedelta(0)), Job("bad", _boom, timedelta(0))],
    )
    out = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("worker", "--once", stdout=out)

    assert out.getvalue() == (
        "good : rien à faire\nbad : ÉCHEC, RuntimeError: serveur injoignable\n"
    )
    assert str(raised.value) == "Tâche(s) en échec : bad. Le détail est dans le journal."


def _clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {**env, "RECLAMATIONS_DATA_DIR": str(data_dir), **extra}


@pytest.mark.own_sqlite_register
def test_worker_stops_cleanly_on_sigterm(tmp_path):
    env = _clean_env(tmp_path)
    subprocess.run(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "migrate", "--verbosity", "0"], env=env, check=True, timeout=120
    )
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        assert first_line.startswith(f"Worker démarré (pid {process.pid}), tâches : ")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0
    assert stdout == "Worker arrêté.\n"
    assert "Signal SIGTERM reçu : arrêt après la tâche en cours." in stderr


# --- embedded start inside `reclamations serve` -----------------------------------------------


def test_worker_command_runs_the_worker_watching_its_parent():
    assert worker_command(4242) == [
        sys.executable,
        "-m",
        "reclamations.cli",
        "worker",
        "--parent-pid",
        "4242",
    ]


@pytest.mark.parametrize(
    ("engine", "enabled", "expected"),
    [(SQLITE, True, True), (SQLITE, False, False), (POSTGRESQL, True, False)],
)
def test_embedded_worker_only_with_sqlite_unless_switched_off(engine, enabled, expected):
    assert embedded_worker_wanted(engine, enabled) is expected


def _children(pid: int) -> dict[int, str]:
    """Child pid -> command line, read from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: the fields follow the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found[int(entry.name)] = cmdline
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@pytest.mark.own_sqlite_register
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lit les processus dans /proc (Linux)")
def test_serve_starts_the_embedded_worker_and_both_stop(tmp_path):
    port = free_port()
    env = _clean_env(tmp_path, WEB_CONCURRENCY="1")
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker_pids: list[int] = []
    try:
        deadline = time.monotonic() + 120
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = _get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.3)
        # An empty data directory: no account yet, so the first run (docs/first-run.md).
        assert answer == (302, "/installation/")

        # After exec, the server's pid is gunicorn's master; the worker is one of its children.
        workers = {
            pid: cmdline
            for pid, cmdline in _children(server.pid).items()
            if f"worker --parent-pid {server.pid}" in cmdline
        }
        worker_pids = list(workers)
        assert len(worker_pids) == 1
        assert _running(worker_pids[0])

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        worker_deadline = time.monotonic() + 30
        while _running(worker_pids[0]) and time.monotonic() < worker_deadline:
            time.sleep(0.2)
        assert not _running(worker_pids[0])
    finally:
        for pid in worker_pids:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="coupe une connexion côté serveur : PostgreSQL"
)
def test_run_job_survives_a_lost_database_connection():
    def count() -> str:
        return f"{Organisation.objects.count()} organisation(s)"

    job = Job("count", count, timedelta(minutes=1))
    assert run_job(job) == JobRun("count", True, "0 organisation(s)")
    # What a database restart does to the worker's open connection.
    backend_pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params()) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    lost = run_job(job)
    again = run_job(job)

    assert lost.succeeded is False
    assert lost.summary.startswith("OperationalError: ")
    assert again == JobRun("count", True, "0 organisation(s)")
