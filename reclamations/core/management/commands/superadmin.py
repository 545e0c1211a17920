"""`reclamations superadmin`: the installation's super-administrators, made, listed and ended
from the server only (docs/multi-organisation.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.superadmins import superadmin_create, superadmin_deactivate, superadmins


class Command(BaseCommand):
    help = (
        "Super-administrateurs de l'installation (aucun organisme, aucun registre : ils créent "
        "les organismes et leur premier responsable) : « superadmin create NOM --email "
        "E-MAIL », « superadmin list », « superadmin deactivate NOM »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser(
            "create",
            help="crée un super-administrateur ; son mot de passe provisoire est affiché une fois",
        )
        create.add_argument("username")
        create.add_argument("--email", required=True)
        verbs.add_parser("list", help="liste les super-administrateurs")
        deactivate = verbs.add_parser(
            "deactivate", help="met fin à l'accès d'un super-administrateur"
        )
        deactivate.add_argument("username")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "create":
            try:
                made = superadmin_create(username=options["username"], email=options["email"])
            except ValueError as error:
                raise CommandError(str(error)) from None
            security_record(SecurityEvent.PASSWORD_PROVISIONAL, user=made.account, detail="cli")
            self.stdout.write(f"Super-administrateur « {made.account.username} » créé.")
            self.stdout.write(
                "Mot de passe provisoire : à changer à la première connexion, puis la double "
                "authentification s'active."
            )
            self.stdout.write(
                f"Mot de passe (affiché une seule fois) : {made.provisional_password}"
            )
        elif verb == "list":
            accounts = list(superadmins())
            if not accounts:
                self.stdout.write(
                    "Aucun super-administrateur : « reclamations superadmin create NOM --email "
                    "E-MAIL » en crée un."
                )
            for account in accounts:
                state = "actif" if account.is_active else "désactivé"
                last = (
                    f"dernière connexion le {account.last_login:%d/%m/%Y}"
                    if account.last_login
                    else "jamais connecté"
                )
                self.stdout.write(f"{account.username}\t{account.email}\t{state}\t{last}")
        else:
            try:
                ended = superadmin_deactivate(username=options["username"])
            except ValueError as error:
                raise CommandError(str(error)) from None
            if ended:
                self.stdout.write(
                    f"Super-administrateur « {options['username']} » désactivé : il ne peut "
                    "plus se connecter."
                )
            else:
                self.stdout.write(
                    f"Super-administrateur « {options['username']} » : déjà désactivé."
                )
