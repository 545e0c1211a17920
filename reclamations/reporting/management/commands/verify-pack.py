"""`reclamations verify-pack FILE.zip`: an audit pack checked offline."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.reporting.pack_check import check_pack


class Command(BaseCommand):
    help = (
        "Vérifie un dossier d'audit sans base de données : chaque fichier est présent avec son "
        "empreinte SHA-256, aucun n'a été ajouté, et la chronologie était intègre."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pack", help="le fichier ZIP du dossier d'audit")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = check_pack(options["pack"])
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {options['pack']}.") from None
        for problem in result.problems:
            self.stdout.write(problem)
        if result.chronology:
            self.stdout.write(result.chronology)
        if result.head:
            self.stdout.write(
                f"Tête de la chaîne témoin : {result.head} ; « reclamations verify --against "
                f"{result.head} » prouve que la chronologie la contient toujours."
            )
        if not result.ok:
            raise CommandError(
                "Dossier NON conforme : "
                + ("fichiers modifiés, absents ou ajoutés." if result.problems else "")
                + ("" if result.chronology_intact else " La chronologie était altérée.")
            )
        self.stdout.write(f"OK : {result.files} fichiers conformes au manifeste.")
