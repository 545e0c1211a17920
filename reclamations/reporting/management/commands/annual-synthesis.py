"""`reclamations annual-synthesis --year 2026 -o FILE.pdf`: the year's synthesis for the
management review."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.localtime import local_today
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.annual_synthesis import (
    YearNotStarted,
    annual_synthesis,
    write_annual_synthesis,
)


class Command(BaseCommand):
    help = (
        "Écrit la synthèse annuelle des réclamations (PDF) pour la revue de direction : les "
        "chiffres de l'année, les causes récurrentes, les actions d'amélioration et leur effet."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="l'année, par exemple 2026")
        parser.add_argument("-o", "--output", required=True, help="le fichier PDF à écrire")
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = str(options["year"]).strip()
        if not (text.isdigit() and 1 <= int(text) <= 9999):
            raise CommandError(f"--year {text!r} : indiquez une année sur quatre chiffres.")
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Le dossier {output.parent} n'existe pas.")
        try:
            synthesis = annual_synthesis(organisation, int(text), today=local_today(organisation))
        except YearNotStarted as error:
            raise CommandError(str(error)) from None
        write_annual_synthesis(str(output), synthesis)
        self.stdout.write(
            f"Synthèse annuelle {synthesis.year} écrite : {output} "
            f"({synthesis.figures.received} réclamation(s), "
            f"{len(synthesis.actions)} action(s) d'amélioration)."
        )
