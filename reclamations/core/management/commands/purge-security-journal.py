from typing import Any

from django.core.management.base import BaseCommand

from reclamations.core.security_journal import kept_days, security_journal_purge


class Command(BaseCommand):
    help = (
        "Supprime une fois les événements du journal de sécurité plus anciens que "
        "RECLAMATIONS_SECURITY_JOURNAL_DAYS (pour cron ; « reclamations worker » le fait "
        "tout seul)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = security_journal_purge()
        self.stdout.write(
            f"Journal de sécurité : {deleted} événement(s) de plus de {kept_days()} jours "
            "supprimé(s)."
        )
