import secrets

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.roles import Role
from reclamations.core.users import user_create


class Command(BaseCommand):
    help = "Gère les comptes du personnel : « user add NOM --role ROLE [--email E-MAIL] »."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="crée un compte et affiche son mot de passe une fois")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--email", default="")

    def handle(self, *args: object, verb: str, **options: object) -> None:
        password = secrets.token_urlsafe(12)
        try:
            user = user_create(
                username=str(options["username"]),
                role=str(options["role"]),
                email=str(options["email"]),
                password=password,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Compte « {user.username} » créé ({user.get_role_display()}).")
        self.stdout.write(f"Mot de passe (affiché une seule fois) : {password}")
