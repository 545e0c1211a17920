import secrets
from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.roles import Role
from reclamations.core.users import user_create


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, pas « {value} »") from None


class Command(BaseCommand):
    help = "Gère les comptes du personnel : « user add NOM --role ROLE [--email E-MAIL] »."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="crée un compte et affiche son mot de passe une fois")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--email", default="")
        add.add_argument(
            "--until",
            type=_day,
            default=None,
            help="dernier jour d'accès, AAAA-MM-JJ (un auditeur : l'accès prend fin après)",
        )

    def handle(self, *args: object, verb: str, **options: object) -> None:
        password = secrets.token_urlsafe(12)
        try:
            user = user_create(
                username=str(options["username"]),
                role=str(options["role"]),
                email=str(options["email"]),
                password=password,
                access_until=options["until"],  # type: ignore[arg-type]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        until = f", accès jusqu'au {user.access_until:%d/%m/%Y}" if user.access_until else ""
        self.stdout.write(f"Compte « {user.username} » créé ({user.get_role_display()}{until}).")
        self.stdout.write(f"Mot de passe (affiché une seule fois) : {password}")
