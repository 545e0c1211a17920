"""An installation of the previous release, upgraded in place by today's `migrate`, keeps
everything it held and verifies. The installation (its data directory: the SQLite database, the
stored files, the secret key) was made by the previous release's own code with its demo register
and demo mailbox, by scripts/make-upgrade-fixture.sh, which also wrote what it held
(previous-release.json). A release that changes the schema in a way that loses or damages rows
fails here."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.harness.settings_process import PROJECT_ROOT

HERE = Path(__file__).parent
BEFORE = json.loads((HERE / "previous-release.json").read_text())

WHAT_IT_HOLDS = (HERE / "what_it_holds.py").read_text()


def _printed(done: subprocess.CompletedProcess[str]) -> dict:
    """The JSON `shell -c` printed, after Django's own notice of what it imported."""
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout[done.stdout.index("{") :])


def _reclamations(data_dir: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "RECLAMATIONS_"))
    }
    env.update(RECLAMATIONS_DATA_DIR=str(data_dir), RECLAMATIONS_BACKUP_DIR="off")
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "reclamations.cli", *command],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def previous_release(tmp_path) -> Path:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the previous release's installation is a SQLite one: runs in the SQLite pass")
    data_dir = tmp_path / "installation"
    with tarfile.open(HERE / "previous-release.tar.gz") as archive:
        archive.extractall(data_dir, filter="data")
    return data_dir


def test_the_previous_release_upgrades_in_place_keeping_every_row(previous_release):
    migrated = _reclamations(previous_release, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "Applying " in migrated.stdout  # the release is older than the code: there is work

    after = _printed(_reclamations(previous_release, "shell", "-c", WHAT_IT_HOLDS))
    assert set(BEFORE["migrations"]) < set(after["migrations"])
    kept = {label: after["counts"].get(label) for label in BEFORE["counts"]}
    assert kept == BEFORE["counts"]
    assert after["chain_heads"] == BEFORE["chain_heads"]
    assert after["references"] == BEFORE["references"]
    assert after["documents"] == BEFORE["documents"]
    assert len(after["references"]) == BEFORE["counts"]["complaints.Complaint"] > 0

    verified = _reclamations(previous_release, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK" in verified.stdout
