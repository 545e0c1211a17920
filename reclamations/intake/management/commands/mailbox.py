"""`reclamations mailbox`: each organisation's own complaints mailbox, for scripts (decision
0032): set it, list them with their state, test one, seal the secrets again after a change
of SECRET_KEY."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from reclamations.core.models import MailboxToken, Organisation
from reclamations.core.sealed import SealedSecretError, reseal
from reclamations.intake.imap import MailboxError, MailboxSettings
from reclamations.intake.mailbox import connection_test
from reclamations.intake.mailbox_config import PLAIN_FIELDS, SECRET_FIELDS, mailbox_save
from reclamations.intake.models import Mailbox
from reclamations.intake.polling import env_mailbox_organisation, mailbox_settings

# The options of `set` that are files holding a secret, by the secret they give.
SECRET_OPTIONS = {
    "password": "password_file",
    "oauth_client_secret": "oauth_client_secret_file",
    "oauth_refresh_token": "oauth_refresh_token_file",
}
TOKEN_COLUMNS = ("refresh_token_sealed", "access_token_sealed")


def _organisation(name: str) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is None:
        raise CommandError(f"Organisme « {name} » introuvable.")
    return found


def _read_secret(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError as error:
        raise CommandError(f"Fichier illisible : {path} ({error.strerror}).") from None


def _moment(value: Any) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else "jamais"


class Command(BaseCommand):
    help = (
        "La boîte des réclamations de chaque organisme : « mailbox set ORGANISME --host ... "
        "--user ... --password-file FICHIER », « mailbox list », « mailbox test ORGANISME », "
        "« mailbox reseal » (après un changement de SECRET_KEY)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        put = verbs.add_parser(
            "set",
            help="règle la boîte d'un organisme ; une option absente garde la valeur enregistrée",
        )
        put.add_argument("organisation", help="le nom de l'organisme")
        put.add_argument("--host")
        put.add_argument("--port", type=int)
        put.add_argument("--security", choices=("ssl", "starttls", "none"))
        put.add_argument("--user")
        put.add_argument("--password-file", help="fichier contenant le mot de passe")
        put.add_argument("--folder")
        put.add_argument("--processed", help="flag, ou move:DOSSIER")
        put.add_argument("--since", help="AAAA-MM-JJ, ou all")
        put.add_argument("--auth", choices=("password", "oauth2"))
        put.add_argument("--oauth-provider", choices=("microsoft", "google", "custom"))
        put.add_argument("--oauth-tenant")
        put.add_argument("--oauth-client-id")
        put.add_argument("--oauth-client-secret-file")
        put.add_argument("--oauth-grant", choices=("authorization_code", "client_credentials"))
        put.add_argument("--oauth-scope")
        put.add_argument("--oauth-token-url")
        put.add_argument("--oauth-authorize-url")
        put.add_argument("--oauth-refresh-token-file")
        state = put.add_mutually_exclusive_group()
        state.add_argument("--active", dest="active", action="store_true", default=None)
        state.add_argument("--inactive", dest="active", action="store_false")
        put.set_defaults(active=None)  # neither: the stored state (a new mailbox is active)
        verbs.add_parser("list", help="les boîtes, leur état et leur dernière relève")
        test = verbs.add_parser("test", help="se connecte à la boîte d'un organisme, sans relever")
        test.add_argument("organisation")
        verbs.add_parser("reseal", help="chiffre à nouveau les secrets avec la SECRET_KEY actuelle")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "set":
            self._set(options)
        elif verb == "list":
            self._list()
        elif verb == "test":
            self._test(_organisation(options["organisation"]))
        else:
            self._reseal()

    def _set(self, options: dict[str, Any]) -> None:
        organisation = _organisation(options["organisation"])
        stored = Mailbox.objects.filter(organisation=organisation).first()
        values = {name: options[name] for name in PLAIN_FIELDS if options.get(name) is not None}
        if (
            stored is None
            and "port" not in values
            and values.get("security")
            in (
                "starttls",
                "none",
            )
        ):
            values["port"] = 143
        secrets = {
            name: _read_secret(options[option])
            for name, option in SECRET_OPTIONS.items()
            if options.get(option)
        }
        try:
            changed = mailbox_save(
                organisation=organisation, actor=None, values=values, secrets=secrets
            )
        except ValidationError as error:
            lines = [f"{name} : {' '.join(texts)}" for name, texts in error.message_dict.items()]
            raise CommandError("Boîte non enregistrée. " + " ; ".join(lines)) from None
        if stored is None:
            self.stdout.write(f"Boîte de « {organisation.name} » créée.")
        elif changed:
            self.stdout.write(
                f"Boîte de « {organisation.name} » enregistrée ({', '.join(changed)})."
            )
        else:
            self.stdout.write(f"Boîte de « {organisation.name} » : aucune modification.")

    def _list(self) -> None:
        rows = Mailbox.objects.select_related("organisation").order_by("organisation__name")
        env = env_mailbox_organisation()
        if not rows and env is None:
            self.stdout.write(
                "Aucune boîte : « reclamations mailbox set ORGANISME --host ... » en règle une."
            )
        for row in rows:
            organisation = row.organisation
            state = "active" if row.active else "désactivée"
            error = (
                f"en erreur depuis le {_moment(organisation.mailbox_failing_since)} : "
                f"{organisation.mailbox_error}"
                if organisation.mailbox_failing_since
                else "sans erreur"
            )
            self.stdout.write(
                f"{organisation.name}\t{state}\t{row.user}@{row.host}:{row.port}\t"
                f"dernière relève : {_moment(row.last_polled_at)}\t{error}"
            )
        if env is not None:
            error = (
                f"en erreur depuis le {_moment(env.mailbox_failing_since)} : {env.mailbox_error}"
                if env.mailbox_failing_since
                else "sans erreur"
            )
            config = MailboxSettings.from_settings()
            self.stdout.write(
                f"{env.name}\tIMAP_* (variables d'environnement)\t"
                f"{config.user}@{config.host}:{config.port}\t{error}"
            )

    def _test(self, organisation: Organisation) -> None:
        row = Mailbox.objects.filter(organisation=organisation).first()
        try:
            if row is not None:
                config = mailbox_settings(row)
            elif env_mailbox_organisation() == organisation:
                config = MailboxSettings.from_settings()
            else:
                raise CommandError(f"« {organisation.name} » n'a pas de boîte des réclamations.")
            self.stdout.write(connection_test(config))
        except MailboxError as error:
            raise CommandError(str(error)) from None

    def _reseal(self) -> None:
        count = 0
        with transaction.atomic():
            for row in Mailbox.objects.select_for_update().order_by("pk"):
                try:
                    for column in SECRET_FIELDS.values():
                        setattr(row, column, reseal(getattr(row, column)))
                except SealedSecretError as error:
                    raise CommandError(f"« {row.organisation.name} » : {error}") from None
                row.save(update_fields=list(SECRET_FIELDS.values()))
                count += 1
            # The OAuth 2.0 tokens kept since (core.MailboxToken) are sealed the same way; one
            # that cannot be opened any more is dropped: the next reading starts again from
            # the mailbox's refresh token, or asks for the owner's consent.
            for token in MailboxToken.objects.select_for_update().order_by("pk"):
                try:
                    columns = {column: reseal(getattr(token, column)) for column in TOKEN_COLUMNS}
                except SealedSecretError:
                    token.delete()
                    continue
                for column, value in columns.items():
                    setattr(token, column, value)
                token.save(update_fields=list(TOKEN_COLUMNS))
        self.stdout.write(
            f"{count} boîte{'s' if count > 1 else ''} chiffrée{'s' if count > 1 else ''} à nouveau."
        )
