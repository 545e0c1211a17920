import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# The longest request line gunicorn can be told to read (its documented maximum).
GUNICORN_MAX_REQUEST_LINE = 8190


class Command(BaseCommand):
    help = (
        "Applique les migrations si besoin et sert l'application (gunicorn, fichiers statiques) ; "
        "avec SQLite, lance aussi le worker (RECLAMATIONS_EMBEDDED_WORKER=false pour s'en passer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--no-prepare",
            action="store_true",
            help=(
                "ni migrate ni collectstatic : le déploiement les a faits une fois pour tous "
                "les serveurs (docs/deployment.md)"
            ),
        )

    def handle(
        self,
        *args: object,
        host: str,
        port: int,
        workers: int,
        no_prepare: bool,
        **options: object,
    ) -> None:
        # Several web processes on one database: two starting at once must not both migrate.
        if not no_prepare:
            prepare(self.stdout)
        # With JSON logs, gunicorn says where it listens in a line of its own.
        if settings.LOG_FORMAT != "json":
            self.stdout.write(f"Réclamations : http://{host}:{port}/ (Ctrl+C pour arrêter)")
            self.stdout.flush()
        serve(host=host, port=port, workers=workers)


def prepare(stdout: object) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def serve(*, host: str, port: int, workers: int) -> None:
    """Replace this process by gunicorn serving the project's WSGI application."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    arguments = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        # gunicorn's maximum: an address too long for the application (api.middleware,
        # MAX_ADDRESS) reaches Django, which says so in French (JSON under /api/), rather than
        # gunicorn's own page in English (decision 0025).
        "--limit-request-line",
        str(GUNICORN_MAX_REQUEST_LINE),
        *gunicorn_log_arguments(settings.LOG_FORMAT),
    ]
    os.environ.setdefault("RECLAMATIONS_DATA_DIR", str(settings.DATA_DIR))
    if embedded_worker_wanted(settings.DATABASES["default"]["ENGINE"], settings.EMBEDDED_WORKER):
        start_embedded_worker()
    os.execv(sys.executable, arguments)  # noqa: S606 - our own interpreter, fixed arguments


def gunicorn_log_arguments(log_format: str) -> list[str]:
    """gunicorn's own lines (start, access, errors) in the application's log format."""
    if log_format == "json":
        return ["--logger-class", "reclamations.core.gunicorn_logs.JsonLogger"]
    return []


def embedded_worker_wanted(database_engine: str, enabled: bool) -> bool:
    """The worker runs inside `serve` in embedded mode (SQLite), unless it is switched off.

    With PostgreSQL the deployment runs `reclamations worker` processes of its own, as many as
    it needs, so `serve` starts none.
    """
    return enabled and database_engine == "django.db.backends.sqlite3"


def worker_command(parent_pid: int) -> list[str]:
    """The command line of the embedded worker: it stops by itself when `parent_pid` exits."""
    return [
        sys.executable,
        "-m",
        "reclamations.cli",
        "worker",
        "--parent-pid",
        str(parent_pid),
    ]


def start_embedded_worker() -> subprocess.Popen[bytes]:
    """Start the worker as a child of this process, which is about to become gunicorn.

    The worker watches its parent and stops when gunicorn stops; Ctrl+C reaches both as they
    share the terminal's process group.
    """
    return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        worker_command(os.getpid()), env={**os.environ}
    )
