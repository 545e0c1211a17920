from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from reclamations.complaints.search import rebuild_search_texts


class Command(BaseCommand):
    help = (
        "Réécrit le texte de recherche de chaque réclamation (fiche et chronologie) : après la "
        "restauration d'une base ou si la recherche ne trouve pas une réclamation existante."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            written = rebuild_search_texts()
        self.stdout.write(f"Texte de recherche réécrit pour {written} réclamation(s).")
