"""`reclamations fetch-mail`: relève une fois les boîtes des réclamations (pour cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.models import Organisation
from reclamations.intake.polling import nothing_to_read, read_all, report


class Command(BaseCommand):
    help = (
        "Relève une fois les boîtes IMAP des réclamations : celle de chaque organisme "
        "(page Réglages, Boîte des réclamations, « reclamations mailbox set »), et celle des "
        "IMAP_HOST, IMAP_USER... pour l'organisme qui n'en a pas. Chaque message est "
        "enregistré dans l'organisme de sa boîte, puis marqué traité."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation",
            default="",
            help="ne relever que la boîte de cet organisme (son nom)",
        )

    def handle(self, *args: Any, organisation: str, **options: Any) -> None:
        chosen = None
        if organisation:
            chosen = Organisation.objects.filter(name=organisation).first()
            if chosen is None:
                raise CommandError(f"Organisme « {organisation} » introuvable.")
        outcomes = read_all(chosen)
        if not outcomes:
            self.stdout.write(nothing_to_read())
            return
        if any(outcome.failed for outcome in outcomes):
            # Every mailbox was read; the command fails so that cron reports it.
            raise CommandError(report(outcomes))
        self.stdout.write(report(outcomes))
