import logging
import os
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.worker import JOBS, install_stop_signals, run_forever, run_once, watch_parent


class Command(BaseCommand):
    help = (
        "Exécute les tâches de fond (relève du courrier, envoi des messages, rappels) en boucle, "
        "ou une seule fois avec --once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="exécute chaque tâche une fois, puis s'arrête"
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="s'arrête quand ce processus se termine (utilisé par « reclamations serve »)",
        )

    def handle(self, *args: object, once: bool, parent_pid: int | None, **options: object) -> None:
        if once:
            runs = run_once(JOBS)
            for run in runs:
                self.stdout.write(
                    f"{run.name} : {run.summary if run.succeeded else 'ÉCHEC, ' + run.summary}"
                )
            failed = [run.name for run in runs if not run.succeeded]
            if failed:
                raise CommandError(
                    f"Tâche(s) en échec : {', '.join(failed)}. Le détail est dans le journal."
                )
            return
        stop_event = threading.Event()
        install_stop_signals(stop_event)
        if parent_pid is not None:
            watch_parent(parent_pid, stop_event)
        names = ", ".join(job.name for job in JOBS) or "aucune"
        self._say(f"Worker démarré (pid {os.getpid()}), tâches : {names}.")
        run_forever(JOBS, stop_event=stop_event)
        self._say("Worker arrêté.")

    def _say(self, line: str) -> None:
        # With JSON logs, every line of the worker's output is one: a collector reads them all.
        if settings.LOG_FORMAT == "json":
            logging.getLogger("reclamations.worker").info(line)
            return
        self.stdout.write(line)
        self.stdout.flush()
