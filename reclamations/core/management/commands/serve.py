import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Applique les migrations si besoin et sert l'application (gunicorn, fichiers statiques)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args: object, host: str, port: int, workers: int, **options: object) -> None:
        prepare(self.stdout)
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
    ]
    os.environ.setdefault("RECLAMATIONS_DATA_DIR", str(settings.DATA_DIR))
    os.execv(sys.executable, arguments)  # noqa: S606 - our own interpreter, fixed arguments
