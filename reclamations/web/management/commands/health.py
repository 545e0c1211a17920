"""`reclamations health`: the health page's checks from the command line, for a monitoring
probe or a deployment script that has no HTTP client (exit 1 when something is wrong)."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reclamations.web.health import health


class Command(BaseCommand):
    help = (
        "Vérifie la base, le stockage des fichiers, les workers, la file d'envoi et la boîte "
        "des réclamations, comme la page /sante/ ; imprime le résultat en JSON et sort en "
        "erreur (1) si l'un d'eux ne va pas."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found = health()
        self.stdout.write(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        if not found.healthy:
            raise CommandError(f"Santé : en échec ({', '.join(found.failing)}).")
