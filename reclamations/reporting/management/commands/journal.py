"""`reclamations journal`: the global journal (every event of the chronology, oldest first)
as a CSV or XLSX file, for a period or whole."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.command_options import day_option
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.journal import JournalFilters, journal_lines, write_journal_xlsx


class Command(BaseCommand):
    help = (
        "Exporte le journal des événements (toute la chronologie du registre, du plus ancien au "
        "plus récent) en CSV ou en classeur Excel (XLSX)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", default="csv", help="csv (défaut) ou xlsx")
        parser.add_argument("--from", dest="start", help="enregistrés à partir du (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="end", help="enregistrés jusqu'au (AAAA-MM-JJ) inclus")
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")
        parser.add_argument(
            "-o", "--output", required=True, help="fichier à écrire (« - » : la sortie, en CSV)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = (options["format"] or "").lower()
        if chosen not in ("csv", "xlsx"):
            raise CommandError(f"Format inconnu « {options['format']} » : csv ou xlsx.")
        start, end = day_option(options["start"], "--from"), day_option(options["end"], "--to")
        if start and end and start > end:
            raise CommandError("--to précède --from : la période est à l'envers.")
        output = str(options["output"])
        if output == "-" and chosen != "csv":
            raise CommandError("Seul le CSV peut aller sur la sortie : donnez -o FICHIER.xlsx.")
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        filters = JournalFilters(recorded_from=start, recorded_to=end)
        try:
            if chosen == "xlsx":
                write_journal_xlsx(organisation, filters, output)
            elif output == "-":
                sys.stdout.writelines(journal_lines(organisation, filters))
            else:
                with open(output, "w", encoding="utf-8", newline="") as target:
                    target.writelines(journal_lines(organisation, filters))
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {output} » : {error.strerror}.") from None
        if output != "-":
            self.stdout.write(f"Journal écrit dans {output}")
