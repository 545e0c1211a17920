"""`reclamations export`: the register as a CSV, XLSX or PDF file, for a period or all of it."""

import os
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints.queries import RegisterFilters
from reclamations.core.command_options import day_option
from reclamations.core.french import counted
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.register_files import (
    EXPORT_FORMATS,
    TooLargeToPrint,
    register_rows,
    write_register_file,
)
from reclamations.reporting.spreadsheets import write_csv


class Command(BaseCommand):
    help = (
        "Exporte le registre (toutes les réclamations reçues dans la période, ou toutes) en CSV, "
        "en classeur Excel (XLSX) ou en PDF à imprimer et signer."
    )
    # Reads the register and writes a file: the system checks (which load every page and the
    # API to check the URLs) would be a third of a small export's time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", default="csv", help="csv (défaut), xlsx ou pdf")
        parser.add_argument("--from", dest="start", help="reçues à partir du (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="end", help="reçues jusqu'au (AAAA-MM-JJ) inclus")
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")
        parser.add_argument(
            "-o", "--output", required=True, help="fichier à écrire (« - » : la sortie, en CSV)"
        )

    def handle(self, *args: object, **options: str | None) -> None:
        chosen = (options["format"] or "").lower()
        if chosen not in EXPORT_FORMATS:
            raise CommandError(f"Format inconnu « {options['format']} » : csv, xlsx ou pdf.")
        start, end = day_option(options["start"], "--from"), day_option(options["end"], "--to")
        if start and end and start > end:
            raise CommandError(
                f"La période commence le {start:%d/%m/%Y}, après sa fin le {end:%d/%m/%Y} : "
                "corrigez --from ou --to."
            )
        output = str(options["output"])
        if output == "-" and chosen != "csv":
            raise CommandError(
                f"Le format {chosen.upper()} s'écrit dans un fichier : donnez -o FICHIER.{chosen} "
                "(seul le CSV peut aller sur la sortie)."
            )
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        filters = RegisterFilters(received_from=start, received_to=end, order="oldest")
        if output == "-":
            try:
                write_csv(register_rows(organisation, filters), sys.stdout)
            except BrokenPipeError:  # read by `head` or a pager that stopped early
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter closes it
            return
        try:
            count = write_register_file(chosen, organisation, filters, output)
        except TooLargeToPrint as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {output} » : {error.strerror}.") from None
        written = counted(count, "réclamation exportée", "réclamations exportées")
        self.stdout.write(f"{written} dans {output}")
