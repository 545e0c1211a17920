"""`reclamations fetch-mail`: relève la boîte des réclamations une fois (pour cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from reclamations.intake.mailbox import MailboxError, fetch_mail


class Command(BaseCommand):
    help = (
        "Relève une fois la boîte IMAP des réclamations (IMAP_HOST, IMAP_USER...) : chaque "
        "message est enregistré, puis marqué traité."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = fetch_mail()
        except MailboxError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                f"Serveur IMAP injoignable ({error}) : vérifiez IMAP_HOST, IMAP_PORT et "
                "IMAP_SECURITY."
            ) from error
        self.stdout.write(summary)
