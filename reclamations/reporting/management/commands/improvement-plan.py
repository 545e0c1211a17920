"""`reclamations improvement-plan --format pdf|xlsx -o FILE [--status open]`: the improvement
plan as a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints.enums import ImprovementStatus
from reclamations.complaints.improvement_queries import (
    OPEN_FILTER,
    OVERDUE_FILTER,
    improvement_actions,
    plan_lines,
)
from reclamations.core.localtime import local_today
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.improvement_plan import write_plan_pdf, write_plan_xlsx

STATUSES = (OPEN_FILTER, OVERDUE_FILTER, *ImprovementStatus.values)


class Command(BaseCommand):
    help = "Écrit le plan d'amélioration (PDF à imprimer ou classeur XLSX)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=("pdf", "xlsx"))
        parser.add_argument("-o", "--output", required=True, help="le fichier à écrire")
        parser.add_argument(
            "--status", default="", choices=("", *STATUSES), help="open, overdue ou un statut"
        )
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Le dossier {output.parent} n'existe pas.")
        today = local_today(organisation)
        status = options["status"]
        lines = plan_lines(improvement_actions(organisation, status=status, today=today), today)
        if options["format"] == "xlsx":
            write_plan_xlsx(lines, str(output))
        else:
            scope = "Actions affichées" if status else "Plan d'amélioration"
            write_plan_pdf(lines, str(output), organisation=organisation, scope=scope)
        self.stdout.write(f"Plan d'amélioration écrit : {output} ({len(lines)} action(s)).")
