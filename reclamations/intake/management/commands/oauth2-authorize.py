"""`reclamations oauth2-authorize`: the mailbox owner's one-time OAuth 2.0 consent (Microsoft
365, Gmail), for the OAUTH2_* settings' mailbox or, with --organisation, for an organisation's
own mailbox (its application, its tokens: intake.mailbox_consent, decision 0037)."""

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from reclamations.core import mail_tokens
from reclamations.core.mail_consent import DEFAULT_PORT, ConsentRequest
from reclamations.core.models import MailboxToken, Organisation
from reclamations.core.oauth2 import PROVIDERS, OAuth2Config, OAuth2Error
from reclamations.intake.imap import MailboxError
from reclamations.intake.mailbox_consent import consent_mailbox, mailbox_consent_store
from reclamations.intake.models import Mailbox, MailboxAuth
from reclamations.intake.polling import mailbox_settings


def organisation_named(name_or_id: str) -> Organisation:
    """The organisation by its name, or by its number."""
    found = Organisation.objects.filter(name=name_or_id).first()
    if found is None and name_or_id.isdigit():
        found = Organisation.objects.filter(pk=int(name_or_id)).first()
    if found is None:
        raise CommandError(f"Organisme « {name_or_id} » introuvable (son nom ou son numéro).")
    return found


class Command(BaseCommand):
    help = (
        "Autorise l'application à lire et envoyer le courrier de la boîte des réclamations par "
        "OAuth 2.0 (Microsoft 365, Gmail) : le titulaire de la boîte se connecte et consent une "
        "fois ; le jeton obtenu est gardé et renouvelé seul (docs/oauth2.md). Avec "
        "--organisation : la boîte propre à cet organisme, avec son application."
    )
    # The tests hand the pasted address in without a terminal.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation",
            default="",
            help="la boîte propre à cet organisme (son nom ou son numéro), réglée sur la page "
            "Réglages, Boîte des réclamations ou par « reclamations mailbox set »",
        )
        parser.add_argument(
            "--account",
            default="",
            help="la boîte (par défaut IMAP_USER, sinon EMAIL_HOST_USER) ; sans --organisation",
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
        try:
            if options["organisation"]:
                if options["account"]:
                    raise CommandError(
                        "--account ne s'emploie pas avec --organisation : la boîte est celle "
                        "de l'organisme (son identifiant enregistré)."
                    )
                self._organisation_mailbox(organisation_named(options["organisation"]), options)
            else:
                self._settings_mailbox(options)
        except OAuth2Error as error:
            raise CommandError(str(error)) from error

    def _settings_mailbox(self, options: dict[str, Any]) -> None:
        config = mail_tokens.oauth2_config()
        problems = config.problems()
        if problems:
            raise CommandError(" ".join(problems))
        account = options["account"] or settings.IMAP_USER or settings.EMAIL_HOST_USER
        if not account:
            raise CommandError("Indiquez la boîte : --account ADRESSE (ou IMAP_USER).")
        if config.grant == "client_credentials":
            # No consent: the application's own secret; check that it is accepted.
            mail_tokens.access_token(account, renew=True)
            self._no_consent_needed(config, account, "OAUTH2_GRANT=client_credentials")
            return
        request = ConsentRequest.new(config, port=options["port"], user=account)
        code = self._code(request, config, account, options)
        token = mail_tokens.store_consent(
            account, code=code, redirect_uri=request.redirect_uri, pkce=request.pkce
        )
        self._done(token, account)

    def _organisation_mailbox(self, organisation: Organisation, options: dict[str, Any]) -> None:
        mailbox = Mailbox.objects.filter(organisation=organisation).first()
        if (
            mailbox is not None
            and mailbox.auth == MailboxAuth.OAUTH2
            and mailbox.oauth_grant == "client_credentials"
        ):
            try:
                config = mailbox_settings(mailbox).oauth2
            except MailboxError as error:
                raise CommandError(str(error)) from error
            mail_tokens.access_token(
                mailbox.user, renew=True, config=config, organisation_id=organisation.pk
            )
            self._no_consent_needed(config, mailbox.user, "autorisation client_credentials")
            return
        mailbox, config = consent_mailbox(organisation)
        request = ConsentRequest.new(config, port=options["port"], user=mailbox.user)
        code = self._code(request, config, mailbox.user, options)
        token = mailbox_consent_store(
            organisation=organisation,
            actor=None,
            code=code,
            redirect_uri=request.redirect_uri,
            pkce=request.pkce,
        )
        self._done(token, f"{mailbox.user} (boîte de « {organisation.name} »)")

    def _code(
        self,
        request: ConsentRequest,
        config: OAuth2Config,
        account: str,
        options: dict[str, Any],
    ) -> str:
        """The code the consent gives: the browser comes back here, or its address is pasted."""
        provider = PROVIDERS[config.provider].label
        if options["paste"]:
            self._show(request.url, provider, account)
            self.stdout.write(
                "Le navigateur finit sur une page « inaccessible » à une adresse "
                f"{request.redirect_uri}… : copiez cette adresse entière et collez-la ici :"
            )
            self.stdout.flush()
            stdin = options.get("stdin") or sys.stdin
            return request.code_from(stdin.readline())
        with request.listening() as listener:
            self._show(request.url, provider, account)
            self.stdout.write(
                f"En attente du retour du navigateur sur {request.redirect_uri} "
                "(si le navigateur est sur une autre machine : --paste)…"
            )
            self.stdout.flush()
            return listener.wait(timeout=options["timeout"])

    def _no_consent_needed(self, config: OAuth2Config | None, account: str, why: str) -> None:
        provider = PROVIDERS[config.provider].label if config is not None else "OAuth 2.0"
        self.stdout.write(
            f"{provider} : le secret de l'application est accepté ; aucun consentement "
            f"n'est nécessaire pour {account} ({why})."
        )

    def _done(self, token: MailboxToken, account: str) -> None:
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
