"""`reclamations export`: the register as a CSV or XLSX file, for a period or all of it."""

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.core.localtime import local_today
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.register_export import ExportRow, export_rows
from reclamations.reporting.spreadsheets import write_csv, write_xlsx

FORMATS = ("csv", "xlsx")


def _day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} : date invalide « {value} », utilisez le format AAAA-MM-JJ."
        ) from None


class _Counted:
    """The rows, counted as they go by (the file is written before the total is known)."""

    def __init__(self, rows: Iterator[ExportRow]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[ExportRow]:
        for row in self.rows:
            self.count += 1
            yield row


class Command(BaseCommand):
    help = (
        "Exporte le registre (toutes les réclamations reçues dans la période, ou toutes) en CSV "
        "ou en classeur Excel (XLSX)."
    )
    # Reads the register and writes a file: the system checks (which load every page and the
    # API to check the URLs) would be a third of a small export's time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", default="csv", help="csv (défaut) ou xlsx")
        parser.add_argument("--from", dest="start", help="reçues à partir du (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="end", help="reçues jusqu'au (AAAA-MM-JJ) inclus")
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")
        parser.add_argument(
            "-o", "--output", required=True, help="fichier à écrire (« - » : la sortie, en CSV)"
        )

    def handle(self, *args: object, **options: str | None) -> None:
        chosen = (options["format"] or "").lower()
        if chosen not in FORMATS:
            raise CommandError(f"Format inconnu « {options['format']} » : csv ou xlsx.")
        start, end = _day(options["start"], "--from"), _day(options["end"], "--to")
        if start and end and start > end:
            raise CommandError(
                f"La période commence le {start:%d/%m/%Y}, après sa fin le {end:%d/%m/%Y} : "
                "corrigez --from ou --to."
            )
        output = str(options["output"])
        if output == "-" and chosen == "xlsx":
            raise CommandError("Un classeur XLSX s'écrit dans un fichier : donnez -o FICHIER.xlsx.")
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        rows = _Counted(
            export_rows(
                organisation,
                RegisterFilters(received_from=start, received_to=end, order="oldest"),
                today=local_today(organisation),
                policy=deadline_policy(organisation),
            )
        )
        if output == "-":
            try:
                write_csv(rows, sys.stdout)
            except BrokenPipeError:  # read by `head` or a pager that stopped early
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the interpreter closes it
            return
        path = Path(output)
        try:
            if chosen == "csv":
                with path.open("w", encoding="utf-8", newline="") as stream:
                    write_csv(rows, stream)
            else:
                write_xlsx(rows, str(path))
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {path} » : {error.strerror}.") from None
        self.stdout.write(f"{rows.count} réclamation(s) exportée(s) dans {path}")
