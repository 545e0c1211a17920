"""`reclamations audit-pack --from --to -o FILE.zip`: the audit pack of a period."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.command_options import day_option
from reclamations.core.localtime import local_today
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reporting.audit_pack import write_audit_pack
from reclamations.reporting.periods import MAX_DAYS, TOO_LONG, Period


class Command(BaseCommand):
    help = (
        "Constitue le dossier d'audit d'une période (ZIP) : procédure, registre (PDF et XLSX), "
        "statistiques, documents de chaque réclamation et manifeste des empreintes SHA-256."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="reçues à partir du")
        parser.add_argument("--to", dest="end", required=True, help="reçues jusqu'au (inclus)")
        parser.add_argument("-o", "--output", required=True, help="le fichier ZIP à écrire")
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        start = day_option(options["start"], "--from")
        end = day_option(options["end"], "--to")
        if start is None or end is None:  # given empty
            raise CommandError("--from et --to donnent la période : deux dates AAAA-MM-JJ.")
        if start > end:
            raise CommandError("--to précède --from : la période est à l'envers.")
        if (end - start).days >= MAX_DAYS:
            raise CommandError(TOO_LONG)
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Le dossier {output.parent} n'existe pas.")
        # Written beside, then renamed: a pack that failed half-way never looks complete.
        partial = output.with_name(f".{output.name}.partiel")
        try:
            with partial.open("wb") as target:
                summary = write_audit_pack(
                    target, organisation, Period(start, end), today=local_today(organisation)
                )
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
        state = "intègre" if summary.chronology_intact else "ALTÉRÉE"
        self.stdout.write(
            f"Dossier d'audit écrit : {output} ({summary.complaints} réclamation(s), "
            f"{summary.documents} document(s), {summary.files} fichiers ; chronologie {state})."
        )
