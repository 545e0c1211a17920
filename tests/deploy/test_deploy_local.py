"""scripts/deploy-local.sh brings the production set-up up on this machine, and it works end to
end over HTTPS: PostgreSQL with the application's restricted role, two web processes behind
nginx with a self-signed certificate, two workers, files in an S3-compatible bucket, JSON logs.
A client of the site (urllib, checking the certificate) reads the login page and the health
page, an API client registers a complaint, and a worker delivers its acknowledgement to a real
SMTP server. About a minute: the worker sends the outbox every 30 seconds."""

import json
import os
import shutil
import ssl
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError

import dj_database_url
import psycopg
import pytest
from django.conf import settings

from tests.harness.network import free_port
from tests.harness.s3 import Bucket, S3Server
from tests.harness.smtp import SmtpServer
from tests.harness.worker_process import PROJECT_ROOT

pytestmark = pytest.mark.deploy

SCRIPT = PROJECT_ROOT / "scripts" / "deploy-local.sh"
VENV = Path(os.environ.get("VIRTUAL_ENV", str(Path(os.sys.executable).parent.parent)))


@dataclass
class Installation:
    prefix: Path
    https_port: int
    bucket: Bucket
    smtp: SmtpServer

    @property
    def base(self) -> str:
        return f"https://localhost:{self.https_port}"

    def tls(self) -> ssl.SSLContext:
        # The certificate the script made is the only one trusted: a wrong one fails the test.
        return ssl.create_default_context(cafile=str(self.prefix / "tls" / "certificate.pem"))

    def request(
        self, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        # Always https://localhost:PORT, the site the script set up.
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, context=self.tls(), timeout=30) as answer:  # noqa: S310
                return answer.status, dict(answer.headers), answer.read()
        except HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def environment(self) -> dict[str, str]:
        """The application's environment as the script wrote it (etc/reclamations.env)."""
        found = {}
        for line in (self.prefix / "etc" / "reclamations.env").read_text().splitlines():
            if line and not line.startswith("#"):
                name, value = line.split("=", 1)
                found[name] = value
        return found

    def reclamations(self, *command: str) -> subprocess.CompletedProcess[str]:
        env = {"PATH": os.environ["PATH"], **self.environment()}
        return subprocess.run(  # noqa: S603 - our own command
            [str(VENV / "bin" / "reclamations"), *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _admin_url() -> str:
    parsed = dj_database_url.parse(os.environ.get("DATABASE_URL", ""))
    host, port = parsed["HOST"] or "127.0.0.1", parsed["PORT"] or 5432
    user = parsed["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/postgres"


def _script(command: str, prefix: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the repository's own script
        ["/bin/bash", str(SCRIPT), command, "--prefix", str(prefix)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def installation(tmp_path, s3_server: S3Server) -> Iterator[Installation]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the production set-up is PostgreSQL's: runs in the PostgreSQL pass")
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (apt-get install nginx): .ci/run installs it")
    database = f"reclamations_deploy_{uuid.uuid4().hex[:8]}"
    bucket = s3_server.new_bucket()
    smtp = SmtpServer()
    smtp.start()
    https_port, first, second = free_port(), free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "RECLAMATIONS_", "EMAIL_", "IMAP_"))
    }
    env.update(
        RECLAMATIONS_HTTPS_PORT=str(https_port),
        RECLAMATIONS_WEB_PORTS=f"{first} {second}",
        RECLAMATIONS_DB_NAME=database,
        RECLAMATIONS_VENV=str(VENV),
        POSTGRES_ADMIN_URL=_admin_url(),
        WEB_CONCURRENCY="1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        DEFAULT_FROM_EMAIL="reclamations@ccs-formation.example",
        **s3_server.environment(bucket),
    )
    prefix = tmp_path / "installation"
    try:
        done = _script("up", prefix, env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.splitlines()[-2:] == [
            f"Réclamations : https://localhost:{https_port}/ (certificat : "
            f"{prefix}/tls/certificate.pem)",
            f"Processus : web {first}, {second}, 2 worker(s), nginx ; journaux : {prefix}/log/",
        ]
        yield Installation(prefix, https_port, bucket, smtp)
    finally:
        stopped = _script("down", prefix, env)
        smtp.stop()
        with psycopg.connect(_admin_url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {database}_owner")
            admin.execute(f"DROP ROLE IF EXISTS {database}_app")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert list((prefix / "run").glob("*.pid")) == []


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still not so after {seconds} s")
        time.sleep(0.5)


def test_the_production_set_up_serves_registers_and_delivers_over_https(installation):
    # A new installation offers its first run; the organisation and its first manager are
    # made by `reclamations init` (docs/first-run.md).
    status, _headers, body = installation.request("/connexion/")
    assert (status, "Première installation" in body.decode()) == (200, True)
    initialised = installation.reclamations(
        "init",
        "--no-input",
        "--name",
        "Formations Rhin",
        "--address",
        "3 quai des Bateliers\\n67000 Strasbourg",
        "--email",
        "reclamations@formations-rhin.fr",
        "--referent-name",
        "Anne Keller",
        "--manager-username",
        "anne",
        "--manager-email",
        "anne@formations-rhin.fr",
    )
    assert initialised.returncode == 0, initialised.stderr

    # The login page, in French, over TLS, with the secure headers of an HTTPS site.
    status, headers, body = installation.request("/connexion/")
    assert status == 200
    assert "Connexion" in body.decode()
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in headers["Set-Cookie"]

    # The health page: every part answers, both workers beat.
    status, headers, body = installation.request("/sante/")
    health = json.loads(body)
    assert (status, health["status"]) == (200, "ok"), health
    assert health["checks"]["worker"]["workers"] == 2
    health_request = headers["X-Request-ID"]

    # The application's role may not change the chronology (db-grants), the owner migrated.
    app_url = installation.environment()["DATABASE_URL"]
    assert dj_database_url.parse(app_url)["USER"].endswith("_app")
    with psycopg.connect(app_url) as app, pytest.raises(psycopg.errors.InsufficientPrivilege):
        app.execute("DELETE FROM complaints_complaintevent")

    # A referent's token, then a complaint registered through the API behind nginx.
    added = installation.reclamations("user", "add", "referente", "--role", "referent")
    assert added.returncode == 0, added.stderr
    token = installation.reclamations("token", "create", "--user", "referente", "--label", "test")
    assert token.returncode == 0, token.stderr
    complaint = {
        "channel": "email",
        "received_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)),
        "client_name": "Julie Martin",
        "client_account": "CLI-001",
        "client_email": "julie.martin@example.org",
        "description": "Trois séances annulées sans préavis.",
    }
    status, headers, body = installation.request(
        "/api/v1/complaints",
        data=json.dumps(complaint).encode(),
        headers={
            "Authorization": f"Bearer {token.stdout.splitlines()[-1]}",
            "Content-Type": "application/json",
        },
    )
    assert status == 201, body
    reference = json.loads(body)["reference"]

    # A worker delivers the acknowledgement to the SMTP server; its copy goes to the bucket.
    _wait_for(lambda: installation.smtp.received, 90)
    [acknowledgement] = installation.smtp.received
    assert acknowledgement.rcpt_tos == ("julie.martin@example.org",)
    assert f"[{reference}]" in acknowledgement.subject
    # (the complaint came with no document: the only object is the copy of what was sent)
    _wait_for(lambda: installation.bucket.names(), 30)
    [copy] = installation.bucket.names()
    # The copy kept is what the server received, line for line (SMTP sends CRLF).
    assert installation.bucket.read(copy).splitlines() == acknowledgement.raw.splitlines()
    assert not (installation.prefix / "data" / "files").exists()

    verified = installation.reclamations("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # Every line every process wrote is a JSON object; the request's id goes from nginx to
    # the web process's access line.
    logs = installation.prefix / "log"
    lines = []
    for name in ("web-*.log", "worker-*.log", "nginx-access.log"):
        for path in logs.glob(name):
            lines += [json.loads(line) for line in path.read_text().splitlines()]
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    assert ("GET", "/sante/", 200) in {
        (line["method"], line["path"], line["status"])
        for line in access
        if line.get("request_id") == health_request
    }
    assert any(line.get("message", "").startswith("Tâche send-outbox") for line in lines)
