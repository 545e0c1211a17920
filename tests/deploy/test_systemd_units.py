"""The systemd units of deploy/systemd/ are valid for systemd itself (`systemd-analyze
verify`, with the command installed where the units expect it), and run the same processes as
scripts/deploy-local.sh starts where systemd is not PID 1: the web process, the worker, and the
upgrade's commands, each a command the installed `reclamations` has."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
INSTALLED = "/opt/reclamations/venv/bin/reclamations"
COMMAND = Path(sys.executable).with_name("reclamations")


def _exec_starts(unit: str) -> list[str]:
    text = (UNITS / unit).read_text(encoding="utf-8")
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")]


def test_systemd_accepts_every_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze absent : apt-get install systemd")
    # Instances, as `systemctl enable reclamations-web@8001` makes them, with the command where
    # the units expect it (here, this environment's).
    names = {
        "reclamations-web@.service": "reclamations-web@8001.service",
        "reclamations-worker@.service": "reclamations-worker@1.service",
        "reclamations-upgrade.service": "reclamations-upgrade.service",
    }
    for template, instance in names.items():
        text = (UNITS / template).read_text(encoding="utf-8")
        (tmp_path / instance).write_text(text.replace(INSTALLED, str(COMMAND)), encoding="utf-8")
    assert sorted(path.name for path in UNITS.iterdir()) == sorted(names)

    checked = subprocess.run(  # noqa: S603 - systemd's own checker on our units
        [analyze, "verify", *(str(tmp_path / name) for name in names.values())],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")


def test_the_units_run_what_the_local_deployment_runs():
    script = (ROOT / "scripts" / "deploy-local.sh").read_text(encoding="utf-8")

    assert _exec_starts("reclamations-web@.service") == [
        f"{INSTALLED} serve --host 127.0.0.1 --port %i --no-prepare"
    ]
    assert 'start "web-$port" serve --host 127.0.0.1 --port "$port" --no-prepare' in script
    assert _exec_starts("reclamations-worker@.service") == [f"{INSTALLED} worker"]
    assert 'start "worker-$number" worker' in script


def test_the_upgrade_runs_commands_the_application_has():
    commands = [
        re.match(rf"{re.escape(INSTALLED)} ([\w-]+)", line).group(1)
        for line in _exec_starts("reclamations-upgrade.service")
    ]
    listed = subprocess.run(  # noqa: S603 - our own command
        [str(COMMAND), "help", "--commands"], capture_output=True, text=True, timeout=60
    )

    assert commands == ["migrate", "db-grants", "collectstatic"]
    assert set(commands) <= set(listed.stdout.split())
