from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.command_options import day_option
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.privacy.retention import run_retention


class Command(BaseCommand):
    help = (
        "Applique la durée de conservation : archive puis anonymise les réclamations closes "
        "dont le délai (réglages de l'organisme) est échu, sauf celles sous gel légal "
        "(médiation ou contentieux en cours). Le travailleur le fait chaque jour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="liste ce qui serait fait, sans rien changer"
        )
        parser.add_argument(
            "--date",
            help="avec --dry-run : ce qui serait fait ce jour-là (AAAA-MM-JJ), par exemple "
            "pour prévoir le mois prochain",
        )
        parser.add_argument("--organisation", help="nom de l'organisme (sinon : tous)")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        day = day_option(options["date"], "--date")
        if day is not None and not dry_run:
            raise CommandError(
                "--date ne s'emploie qu'avec --dry-run : l'archivage et l'anonymisation "
                "réels portent la date du jour."
            )
        organisation = None
        if options["organisation"]:
            try:
                organisation = organisation_for_command(options["organisation"])
            except UnknownOrganisation as error:
                raise CommandError(str(error)) from None
        report = run_retention(organisation=organisation, today=day, dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        if report.refused:
            raise CommandError(f"{len(report.refused)} réclamation(s) en échec : voir ci-dessus.")
