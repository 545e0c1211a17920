"""Logs as JSON lines (RECLAMATIONS_LOG_FORMAT=json): one object per line, the request named in
every line logged while it runs, gunicorn's own lines too; readable text by default."""

import http.client
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

from reclamations.core.heartbeat import heartbeat_record
from reclamations.core.logs import JsonLinesFormatter
from tests.harness.network import free_port
from tests.harness.settings_process import PROJECT_ROOT, read_settings, start_refusal

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"


class Lines(logging.Handler):
    """What the console handler would write, formatted as JSON lines."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonLinesFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def objects(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def captured():
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def _record(message: str, *args: object, **attributes: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "reclamations.worker", logging.WARNING, __file__, 1, message, args, None
    )
    record.created = 1793610000.25  # 2026-11-02 09:00:00.250 UTC
    record.__dict__.update(attributes)
    return record


def test_a_line_is_one_json_object_with_time_level_logger_and_message():
    line = JsonLinesFormatter().format(_record("Tâche %s : échec\nsur deux lignes", "fetch-mail"))

    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-11-02T09:00:00.250+00:00",
        "level": "WARNING",
        "logger": "reclamations.worker",
        "message": "Tâche fetch-mail : échec\nsur deux lignes",
        "process": os.getpid(),
    }


def test_a_traceback_stays_inside_its_line():
    try:
        raise ValueError("valeur inattendue")
    except ValueError:
        record = _record("Tâche send-outbox : échec", exc_info=sys.exc_info())
        record.exc_info = sys.exc_info()
    line = JsonLinesFormatter().format(record)

    assert len(line.splitlines()) == 1
    exception = json.loads(line)["exception"]
    assert exception.startswith("Traceback (most recent call last):")
    assert exception.endswith("ValueError: valeur inattendue")


def test_only_known_fields_of_a_record_are_kept():
    """A record carrying the request object or anything else gives no more than its status."""
    line = JsonLinesFormatter().format(
        _record("Service Unavailable: /sante/", status_code=503, request=object(), secret="x")
    )

    assert set(json.loads(line)) == {"time", "level", "logger", "message", "process", "status"}
    assert json.loads(line)["status"] == 503


@pytest.mark.django_db
def test_lines_logged_during_a_request_carry_its_id_method_path_and_status(
    captured, settings, tmp_path
):
    """The health page with its storage broken logs the check's error, then Django its 503:
    both lines name the request, whose id the answer gives."""
    heartbeat_record()
    blocked = tmp_path / "fichier"
    blocked.write_text("pas un dossier")
    settings.MEDIA_ROOT = blocked

    response = Client().get("/sante/?sonde=1")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = [line for line in captured.objects() if line["logger"] != "django.db.backends"]
    assert [(line["logger"], line["level"], line["message"]) for line in lines] == [
        ("reclamations.web.health", "ERROR", "Santé : le contrôle storage a échoué"),
        ("django.request", "ERROR", "Service Unavailable: /sante/"),
    ]
    assert [(line["request_id"], line["method"], line["path"]) for line in lines] == [
        (request_id, "GET", "/sante/"),
        (request_id, "GET", "/sante/"),
    ]
    assert lines[1]["status"] == 503
    assert "NotADirectoryError" in lines[0]["exception"]


@pytest.mark.django_db
def test_a_line_logged_after_the_request_names_none(captured):
    heartbeat_record()
    Client().get("/sante/")

    logging.getLogger("reclamations.worker").warning("Tâche heartbeat : rien")

    assert "request_id" not in captured.objects()[-1]


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced():
    heartbeat_record()
    kept = Client().get("/sante/", HTTP_X_REQUEST_ID="0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    replaced = Client().get("/sante/", HTTP_X_REQUEST_ID='"}{"level": "DEBUG')

    assert kept["X-Request-ID"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert replaced["X-Request-ID"] != '"}{"level": "DEBUG'
    assert len(replaced["X-Request-ID"]) == 32


def test_log_format_text_by_default_json_when_asked_anything_else_refused(tmp_path):
    code = "import config.settings as s; print(s.LOG_FORMAT, s.LOGGING['handlers']['console'])"
    assert read_settings(tmp_path, code).stdout.splitlines() == [
        "text {'class': 'logging.StreamHandler'}"
    ]
    assert read_settings(tmp_path, code, RECLAMATIONS_LOG_FORMAT="JSON").stdout.splitlines() == [
        "json {'class': 'logging.StreamHandler', 'formatter': 'json'}"
    ]
    assert start_refusal(tmp_path, RECLAMATIONS_LOG_FORMAT="logfmt") == (
        "RECLAMATIONS_LOG_FORMAT doit valoir text ou json (reçu : 'logfmt')."
    )


def _environment(data_dir: Path, **variables: str) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        RECLAMATIONS_DATA_DIR=str(data_dir),
        RECLAMATIONS_BACKUP_DIR="off",
        RECLAMATIONS_LOG_FORMAT="json",
        **variables,
    )
    return environment


@pytest.mark.own_sqlite_register
def test_the_worker_logs_json_lines(tmp_path):
    environment = _environment(tmp_path)
    subprocess.run(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "migrate", "--verbosity", "0"], env=environment, check=True
    )
    done = subprocess.run(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "worker", "--once"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=PROJECT_ROOT,
    )

    lines = [json.loads(line) for line in done.stderr.splitlines()]
    jobs = [line for line in lines if line["logger"] == "reclamations.worker"]
    assert jobs[0]["level"] == "INFO"
    assert jobs[0]["message"].startswith("Tâche heartbeat (")
    assert len(jobs) == len(done.stdout.splitlines())


@pytest.mark.own_sqlite_register
def test_gunicorn_writes_its_start_and_access_lines_as_json(tmp_path):
    """`reclamations serve` in JSON: gunicorn's lines too, the access line with the request's
    id (the proxy's), method, path without its query string, status and duration."""
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603 - our own console script
            [str(CONSOLE_SCRIPT), "serve", "--port", str(port), "--workers", "1"],
            env=_environment(tmp_path / "data", RECLAMATIONS_EMBEDDED_WORKER="false"),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            status = _get_when_up(server, port, "/sante/?depuis=sonde")
        finally:
            server.terminate()
            server.wait(timeout=30)

    assert status == 503  # no worker: the page says so
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    assert any(
        line["logger"] == "gunicorn.error" and line["message"].startswith("Starting gunicorn")
        for line in lines
    )
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert [(a["method"], a["path"], a["status"], a["request_id"]) for a in access][-1] == (
        "GET",
        "/sante/",
        503,
        "0123456789abcdef0123456789abcdef",
    )
    assert access[-1]["message"] == "GET /sante/ 503"
    assert isinstance(access[-1]["duration_ms"], float)
    assert "depuis=sonde" not in text.split("gunicorn.access", 1)[-1]


def _get_when_up(server: subprocess.Popen, port: int, target: str) -> int:
    deadline = time.monotonic() + 120
    while server.poll() is None and time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", target, headers={"X-Request-ID": "0123456789abcdef" * 2})
            return connection.getresponse().status
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    pytest.fail(f"reclamations serve did not answer (exit code {server.poll()})")
