from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reclamations.outbox.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Envoie une fois les messages en attente dans la file d'envoi (pour cron ; "
        "« reclamations worker » le fait tout seul)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Nombre maximal de messages à envoyer (défaut : RECLAMATIONS_OUTBOX_BATCH).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(deliver_due(limit=options["limit"]).summary())
