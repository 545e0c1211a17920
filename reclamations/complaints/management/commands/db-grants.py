"""`reclamations db-grants ROLE [--print]`: the application's PostgreSQL role, unable to
change or delete an event (docs/integrity.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from reclamations.complaints.append_only import BadRole, grant, grant_statements


class Command(BaseCommand):
    help = (
        "PostgreSQL : donne au rôle de l'application les droits sur les tables, sauf modifier "
        "ou supprimer un événement de la chronologie (SELECT et INSERT seulement). À lancer "
        "par le propriétaire des tables après chaque « migrate »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "role", help="le rôle PostgreSQL de l'application, ex. reclamations_app"
        )
        parser.add_argument("--print", action="store_true", help="imprime le SQL sans l'exécuter")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            statements = grant_statements(options["role"])  # a bad name refused first
            if options["print"]:
                self.stdout.write("".join(f"{statement};\n" for statement in statements))
                return
            if connection.vendor != "postgresql":
                raise CommandError(
                    "Les droits par rôle sont ceux de PostgreSQL : avec SQLite, le fichier de "
                    "la base est protégé par les droits du système."
                )
            grant(options["role"])
        except BadRole as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Droits donnés à {options['role']} : tout sauf modifier ou supprimer un événement "
            "de la chronologie."
        )
