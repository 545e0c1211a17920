"""The outgoing mail settings read from the environment (config/settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import config.settings as s; "
    "print(s.EMAIL_BACKEND); print(s.SENT_MAIL_DIR); print(s.EMAIL_PORT); print(s.OUTBOX_BATCH)"
)


def _settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DEFAULT_FROM", "RECLAMATIONS_SENT", "RECLAMATIONS_OUT"))
    }
    env.update(RECLAMATIONS_DATA_DIR=str(tmp_path), **variables)
    return subprocess.run(  # noqa: S603 - our own settings, in a fresh interpreter
        [sys.executable, "-c", PRINT],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )


def test_without_smtp_server_mail_goes_to_eml_files_in_the_data_dir(tmp_path):
    result = _settings(tmp_path)

    assert result.stdout.splitlines() == [
        "reclamations.outbox.backends.EmlFileBackend",
        str(tmp_path.resolve() / "sent-mail"),
        "25",
        "50",
    ]


def test_with_smtp_host_mail_goes_over_smtp(tmp_path):
    result = _settings(tmp_path, EMAIL_HOST="smtp.example.org", EMAIL_PORT="587")

    assert result.stdout.splitlines()[0] == "django.core.mail.backends.smtp.EmailBackend"
    assert result.stdout.splitlines()[2] == "587"


def test_explicit_backend_wins(tmp_path):
    backend = "django.core.mail.backends.console.EmailBackend"

    result = _settings(tmp_path, EMAIL_HOST="smtp.example.org", EMAIL_BACKEND=backend)

    assert result.stdout.splitlines()[0] == backend


def test_tls_and_ssl_together_stop_the_start_in_french(tmp_path):
    result = _settings(tmp_path, EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: EMAIL_USE_TLS (STARTTLS, port 587) et "
        "EMAIL_USE_SSL (TLS direct, port 465) s'excluent : n'en activez qu'un."
    )
