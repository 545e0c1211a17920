"""`reclamations invite USERNAME`: e-mail an account a link to choose its password (after
`reclamations user add`, or when a password is forgotten)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.models import User
from reclamations.web.invitations import invitation_send, link_days


class Command(BaseCommand):
    help = (
        "Envoie à un compte une invitation par e-mail : un lien, valable quelques jours et une "
        "seule fois, pour choisir son mot de passe."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username = str(options["username"])
        account = User.objects.filter(username=username).select_related("organisation").first()
        if account is None:
            raise CommandError(f"Aucun compte « {username} ».")
        if not account.is_active or not account.email or account.organisation is None:
            raise CommandError(
                f"Compte « {username} » : une invitation va à un compte actif d'un organisme, "
                "qui a une adresse e-mail (reclamations user add … --email)."
            )
        invitation_send(user=account, organisation=account.organisation, invited_by=None)
        self.stdout.write(
            f"Invitation mise en envoi pour {account.email} (lien valable {link_days()} "
            "jours) ; le worker l'envoie."
        )
