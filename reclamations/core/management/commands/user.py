from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.languages import STAFF_LANGUAGES
from reclamations.core.models import User
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.core.roles import ORGANISATION_ROLES
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.two_factor import is_enrolled, two_factor_disable
from reclamations.core.users import (
    generated_password,
    password_provisional_set,
    user_create,
    user_language_set,
)

LANGUAGE_CODES = [code for code, _name in STAFF_LANGUAGES]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, pas « {value} »") from None


class Command(BaseCommand):
    help = (
        "Gère les comptes du personnel : « user add NOM --role ROLE [--email E-MAIL] », "
        "« user reset-password NOM », « user reset-2fa NOM », « user language NOM fr|en »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="crée un compte et affiche son mot de passe une fois")
        add.add_argument("username")
        add.add_argument(
            "--role", required=True, choices=[role.value for role in ORGANISATION_ROLES]
        )
        add.add_argument("--email", default="")
        add.add_argument(
            "--organisation",
            default="",
            metavar="NOM",
            help="l'organisme du compte, quand l'installation en a plusieurs",
        )
        add.add_argument(
            "--until",
            type=_day,
            default=None,
            help="dernier jour d'accès, AAAA-MM-JJ (un auditeur : l'accès prend fin après)",
        )
        add.add_argument(
            "--language",
            choices=LANGUAGE_CODES,
            default="fr",
            help="langue des pages du compte : fr (par défaut) ou en",
        )
        reset = sub.add_parser(
            "reset-password",
            help="donne un mot de passe provisoire, affiché une fois, à changer à la connexion",
        )
        reset.add_argument("username")
        reset_2fa = sub.add_parser(
            "reset-2fa",
            help="retire la double authentification d'un compte (téléphone perdu) : il la "
            "réactive à sa prochaine connexion si son rôle l'exige",
        )
        reset_2fa.add_argument("username")
        language = sub.add_parser(
            "language", help="choisit la langue des pages du compte : fr ou en"
        )
        language.add_argument("username")
        language.add_argument("language", choices=LANGUAGE_CODES)

    def handle(self, *args: object, verb: str, **options: object) -> None:
        if verb == "add":
            self._add(options)
            return
        username = str(options["username"])
        try:
            account = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Aucun compte « {username} ».") from exc
        if verb == "language":
            user_language_set(user=account, language=str(options["language"]))
            self.stdout.write(
                f"Compte « {account.username} » : pages en {account.get_language_display()}."
            )
            return
        if verb == "reset-password":
            password = password_provisional_set(user=account)
            security_record(SecurityEvent.PASSWORD_PROVISIONAL, user=account, detail="cli")
            self.stdout.write(
                f"Compte « {account.username} » : mot de passe provisoire, à changer à la "
                "prochaine connexion."
            )
            self.stdout.write(f"Mot de passe (affiché une seule fois) : {password}")
        else:
            had = is_enrolled(account)
            two_factor_disable(account)
            security_record(SecurityEvent.TWO_FACTOR_RESET, user=account, detail="cli")
            if had:
                self.stdout.write(
                    f"Compte « {account.username} » : double authentification retirée (clé et "
                    "codes de secours). Elle sera de nouveau demandée à sa prochaine connexion "
                    "si son rôle l'exige."
                )
            else:
                self.stdout.write(
                    f"Compte « {account.username} » : la double authentification n'était pas "
                    "activée ; rien à retirer."
                )

    def _add(self, options: dict[str, object]) -> None:
        password = generated_password()
        try:
            organisation = (
                organisation_for_command(str(options["organisation"]))
                if options["organisation"]
                else None
            )
        except UnknownOrganisation as unknown:
            raise CommandError(str(unknown)) from None
        try:
            user = user_create(
                organisation=organisation,
                username=str(options["username"]),
                role=str(options["role"]),
                email=str(options["email"]),
                password=password,
                access_until=options["until"],  # type: ignore[arg-type]
                provisional=True,
                language=str(options["language"]),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        until = f", accès jusqu'au {user.access_until:%d/%m/%Y}" if user.access_until else ""
        self.stdout.write(f"Compte « {user.username} » créé ({user.get_role_display()}{until}).")
        self.stdout.write("Mot de passe provisoire : à changer à la première connexion.")
        self.stdout.write(f"Mot de passe (affiché une seule fois) : {password}")
