from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.models import User
from reclamations.core.users import token_create


class Command(BaseCommand):
    help = "Crée un jeton d'API : « token create --user NOM ». Le jeton est la dernière ligne."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="crée un jeton pour un compte")
        create.add_argument("--user", required=True)
        create.add_argument("--label", default="")

    def handle(self, *args: object, verb: str, user: str, label: str, **options: object) -> None:
        try:
            account = User.objects.get(username=user)
        except User.DoesNotExist as exc:
            raise CommandError(f"Aucun compte « {user} ».") from exc
        raw = token_create(user=account, label=label)
        self.stdout.write("Jeton d'API (à conserver : il ne sera plus affiché) :")
        self.stdout.write(raw)
