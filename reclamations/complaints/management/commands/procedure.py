from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints.organisation_events import organisation_procedure_publish
from reclamations.core.command_options import day_option
from reclamations.core.localtime import local_today
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command


class Command(BaseCommand):
    help = (
        "Publie une nouvelle version de la procédure de traitement des réclamations : "
        "« procedure publish FICHIER --label v2 [--from AAAA-MM-JJ] »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        publish = sub.add_parser("publish", help="publie le texte d'un fichier (UTF-8)")
        publish.add_argument("file", type=Path)
        publish.add_argument("--label", required=True, help="le nom de la version, ex. v2")
        publish.add_argument(
            "--from", dest="start", help="en vigueur à partir du (défaut : ce jour)"
        )
        publish.add_argument("--organisation", help="nom de l'organisme (s'il y en a plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = organisation_for_command(options["organisation"])
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}.") from None
        except UnicodeDecodeError:
            raise CommandError(
                f"{path} n'est pas un texte UTF-8 : enregistrez-le en UTF-8."
            ) from None
        start = day_option(options["start"], "--from") or local_today(organisation)
        try:
            version = organisation_procedure_publish(
                organisation=organisation,
                text=text,
                label=options["label"],
                in_force_from=start,
                actor=None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Version n° {version.number} « {version.label} » publiée, en vigueur à partir du "
            f"{version.in_force_from:%d/%m/%Y}."
        )
