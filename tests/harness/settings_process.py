"""config/settings.py read in a fresh interpreter with chosen environment variables: how the
tests see what a start with those variables does (a value, or the French refusal)."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REFUSED = "django.core.exceptions.ImproperlyConfigured: "


def read_settings(
    data_dir: Path, code: str = "import config.settings", **variables: str
) -> subprocess.CompletedProcess[str]:
    """Run `code` (which imports config.settings) with `variables` over this environment, the
    database left to its default (SQLite in `data_dir`)."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(RECLAMATIONS_DATA_DIR=str(data_dir), **variables)
    return subprocess.run(  # noqa: S603 - our own settings, in a fresh interpreter
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )


def start_refusal(data_dir: Path, **variables: str) -> str:
    """The French message the start stops with (it must stop)."""
    result = read_settings(data_dir, **variables)
    assert result.returncode == 1, result.stdout
    last = result.stderr.splitlines()[-1]
    assert last.startswith(REFUSED), result.stderr[-2000:]
    return last.removeprefix(REFUSED)
