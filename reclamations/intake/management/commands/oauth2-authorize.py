import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reclamations.core import mail_tokens
from reclamations.core.mail_consent import DEFAULT_PORT, ConsentRequest
from reclamations.core.oauth2 import PROVIDERS, OAuth2Error


class Command(BaseCommand):
    help = (
        "Autorise l'application à lire et envoyer le courrier de la boîte des réclamations par "
        "OAuth 2.0 (Microsoft 365, Gmail) : le titulaire de la boîte se connecte et consent une "
        "fois ; le jeton obtenu est gardé et renouvelé seul (docs/oauth2.md)."
    )
    # The tests hand the pasted address in without a terminal.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--account",
            default="",
            help="la boîte (par défaut IMAP_USER, sinon EMAIL_HOST_USER)",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=DEFAULT_PORT,
            help=f"port local où le navigateur revient (défaut {DEFAULT_PORT})",
        )
        parser.add_argument(
            "--paste",
            action="store_true",
            help="le navigateur est sur une autre machine : coller l'adresse de retour",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600,
            help="secondes d'attente du retour du navigateur (défaut 600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        config = mail_tokens.oauth2_config()
        problems = config.problems()
        if problems:
            raise CommandError(" ".join(problems))
        account = options["account"] or settings.IMAP_USER or settings.EMAIL_HOST_USER
        if not account:
            raise CommandError("Indiquez la boîte : --account ADRESSE (ou IMAP_USER).")
        provider = PROVIDERS[config.provider].label
        try:
            if config.grant == "client_credentials":
                # No consent: the application's own secret; check that it is accepted.
                mail_tokens.access_token(account, renew=True)
                self.stdout.write(
                    f"{provider} : le secret de l'application est accepté ; aucun consentement "
                    f"n'est nécessaire pour {account} (OAUTH2_GRANT=client_credentials)."
                )
                return
            request = ConsentRequest.new(config, port=options["port"], user=account)
            if options["paste"]:
                self._show(request.url, provider, account)
                self.stdout.write(
                    "Le navigateur finit sur une page « inaccessible » à une adresse "
                    f"{request.redirect_uri}… : copiez cette adresse entière et collez-la ici :"
                )
                self.stdout.flush()
                stdin = options.get("stdin") or sys.stdin
                code = request.code_from(stdin.readline())
            else:
                with request.listening() as listener:
                    self._show(request.url, provider, account)
                    self.stdout.write(
                        f"En attente du retour du navigateur sur {request.redirect_uri} "
                        "(si le navigateur est sur une autre machine : --paste)…"
                    )
                    self.stdout.flush()
                    code = listener.wait(timeout=options["timeout"])
            token = mail_tokens.store_consent(
                account, code=code, redirect_uri=request.redirect_uri, pkce=request.pkce
            )
        except OAuth2Error as error:
            raise CommandError(str(error)) from error
        expires = timezone.localtime(token.expires_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(
            f"Autorisation enregistrée pour {account} (jeton d'accès valable jusqu'au {expires}, "
            "renouvelé automatiquement). Vérifiez avec « reclamations fetch-mail »."
        )

    def _show(self, url: str, provider: str, account: str) -> None:
        self.stdout.write(
            f"{provider} : ouvrez cette adresse dans un navigateur, connectez-vous avec le "
            f"compte {account} et acceptez :\n\n{url}\n"
        )
