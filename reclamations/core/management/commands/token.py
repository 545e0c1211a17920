from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reclamations.core.models import ApiToken, User
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.users import TOKEN_MAX_DAYS, token_create, token_revoke, tokens_of


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise ArgumentTypeError(f"nombre de jours attendu, pas « {value} »") from None
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ArgumentTypeError(f"entre 1 et {TOKEN_MAX_DAYS} jours, pas {days}")
    return days


class Command(BaseCommand):
    help = (
        "Jetons d'API : « token create --user NOM --label NOM [--days N] » (le jeton est la "
        "dernière ligne), « token list [--user NOM] », « token revoke DÉBUT »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="crée un jeton pour un compte")
        create.add_argument("--user", required=True)
        create.add_argument("--label", default="", help="ce qui l'utilise (obligatoire)")
        create.add_argument(
            "--days", type=_days, default=None, help="validité en jours (365 par défaut)"
        )
        listing = sub.add_parser("list", help="liste les jetons (de tous, ou d'un compte)")
        listing.add_argument("--user", default="")
        revoke = sub.add_parser("revoke", help="révoque un jeton, désigné par son début")
        revoke.add_argument("prefix")

    def handle(self, *args: object, verb: str, **options: object) -> None:
        if verb == "create":
            self._create(str(options["user"]), str(options["label"]), options["days"])
        elif verb == "list":
            self._list(str(options["user"]))
        else:
            self._revoke(str(options["prefix"]))

    def _account(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"Aucun compte « {username} ».") from exc

    def _create(self, username: str, label: str, days: object) -> None:
        account = self._account(username)
        if not label.strip():
            raise CommandError("Donnez un nom au jeton (--label) : ce qui l'utilise.")
        try:
            raw = token_create(user=account, label=label, days=days)  # type: ignore[arg-type]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        security_record(SecurityEvent.TOKEN_CREATED, user=account, detail=f"prefix={raw[:12]}")
        token = ApiToken.objects.get(prefix=raw[:12], user=account, label=label.strip())
        self.stdout.write("Jeton d'API (à conserver : il ne sera plus affiché) :")
        self.stdout.write(
            f"« {token.label} », compte {account.username}, valable jusqu'au "
            f"{timezone.localtime(token.expires_at):%d/%m/%Y}"
        )
        self.stdout.write(raw)

    def _list(self, username: str) -> None:
        tokens = tokens_of(user=self._account(username)) if username else tokens_of()
        now = timezone.now()
        rows = list(tokens)
        if not rows:
            self.stdout.write("Aucun jeton.")
            return
        for token in rows:
            if token.revoked_at:
                state = f"révoqué le {timezone.localtime(token.revoked_at):%d/%m/%Y}"
            elif token.expires_at <= now:
                state = "expiré"
            else:
                state = "actif"
            used = (
                f"{timezone.localtime(token.last_used_at):%d/%m/%Y %H:%M}"
                if token.last_used_at
                else "jamais"
            )
            self.stdout.write(
                f"{token.prefix}  {token.user.username:<16} {token.label or '(sans nom)':<30} "
                f"créé {timezone.localtime(token.created_at):%d/%m/%Y}  "
                f"expire {timezone.localtime(token.expires_at):%d/%m/%Y}  utilisé {used}  {state}"
            )

    def _revoke(self, prefix: str) -> None:
        matches = list(ApiToken.objects.select_related("user").filter(prefix=prefix.strip()))
        if not matches:
            raise CommandError(f"Aucun jeton ne commence par « {prefix} » (voir « token list »).")
        if len(matches) > 1:
            raise CommandError(
                f"Plusieurs jetons commencent par « {prefix} » : donnez les 12 premiers caractères."
            )
        token = matches[0]
        if token_revoke(token=token):
            security_record(
                SecurityEvent.TOKEN_REVOKED, user=token.user, detail=f"prefix={token.prefix}"
            )
            self.stdout.write(f"Jeton {token.prefix} de {token.user.username} révoqué.")
        else:
            self.stdout.write(f"Le jeton {token.prefix} était déjà révoqué.")
