from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from reclamations.complaints.counts_rebuild import rebuild_counts
from reclamations.complaints.models import ChainHead


class Command(BaseCommand):
    help = (
        "Recompte depuis le registre les comptes que lisent les statistiques (par jour et par "
        "mois de réception) : après la restauration d'une base, ou quand « reclamations verify » "
        "dit qu'ils ne correspondent plus aux réclamations."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # One transaction: the statistics never read half a recount. Every change locks its
        # organisation's chain head to write its event: holding them all, the recount reads a
        # register that no change can alter before it commits (SQLite: the transaction is
        # IMMEDIATE, the whole database waits).
        with transaction.atomic():
            list(ChainHead.objects.select_for_update().order_by("pk").values_list("pk"))
            counted = rebuild_counts()
        self.stdout.write(f"Statistiques recomptées : {counted} réclamation(s).")
