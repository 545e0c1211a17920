"""An installation of the previous release, upgraded in place by today's `migrate`, keeps
everything it held and verifies. The installations were made by the previous release's own code
with its demo register and demo mailbox, by scripts/make-upgrade-fixture.sh, which also wrote
what each held: an embedded one (its data directory: the SQLite database, the stored files, the
secret key; previous-release.*), upgraded in the SQLite pass, and a PostgreSQL one (its data
directory and its database as SQL; previous-release-postgresql.*), upgraded in the PostgreSQL
pass in a database of its own. A release that changes the schema in a way that loses or damages
rows fails here."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.harness.settings_process import PROJECT_ROOT

HERE = Path(__file__).parent
WHAT_IT_HOLDS = (HERE / "what_it_holds.py").read_text()


@dataclass(frozen=True)
class Installation:
    data_dir: Path
    database_url: str  # "" for the embedded database in the data directory
    held_before: dict


def _printed(done: subprocess.CompletedProcess[str]) -> dict:
    """The JSON `shell -c` printed, after Django's own notice of what it imported."""
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout[done.stdout.index("{") :])


def _reclamations(installation: Installation, *command: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "RECLAMATIONS_"))
    }
    env.update(RECLAMATIONS_DATA_DIR=str(installation.data_dir), RECLAMATIONS_BACKUP_DIR="off")
    if installation.database_url:
        env["DATABASE_URL"] = installation.database_url
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "reclamations.cli", *command],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _unpacked(name: str, tmp_path: Path) -> tuple[Path, dict]:
    data_dir = tmp_path / "installation"
    with tarfile.open(HERE / f"{name}.tar.gz") as archive:
        archive.extractall(data_dir, filter="data")
    return data_dir, json.loads((HERE / f"{name}.json").read_text())


def _server_url(database: str) -> str:
    """The test server's address (the PostgreSQL pass's own), for another database."""
    default = settings.DATABASES["default"]
    user, host = default.get("USER") or "postgres", default.get("HOST") or "127.0.0.1"
    password = f":{default['PASSWORD']}" if default.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{default.get('PORT') or 5432}/{database}"


@pytest.fixture
def previous_release(tmp_path) -> Iterator[Installation]:
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        data_dir, held = _unpacked("previous-release", tmp_path)
        yield Installation(data_dir, "", held)
        return
    # PostgreSQL: the release's database loaded into one of its own, dropped afterwards.
    data_dir, held = _unpacked("previous-release-postgresql", tmp_path)
    database = f"upgrade_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{database}"')
    try:
        with psycopg.connect(_server_url(database), autocommit=True) as loaded:
            loaded.execute((data_dir / "database.sql").read_text())
        yield Installation(data_dir, _server_url(database), held)
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_the_previous_release_upgrades_in_place_keeping_every_row(previous_release):
    before = previous_release.held_before
    migrated = _reclamations(previous_release, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Applying " in migrated.stdout  # the release is older than the code: there is work

    after = _printed(_reclamations(previous_release, "shell", "-c", WHAT_IT_HOLDS))
    assert set(before["migrations"]) < set(after["migrations"])
    kept = {label: after["counts"].get(label) for label in before["counts"]}
    assert kept == before["counts"]
    assert after["chain_heads"] == before["chain_heads"]
    assert after["references"] == before["references"]
    assert after["documents"] == before["documents"]
    assert len(after["references"]) == before["counts"]["complaints.Complaint"] > 0

    verified = _reclamations(previous_release, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK" in verified.stdout
