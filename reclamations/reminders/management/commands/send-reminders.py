from django.core.management.base import BaseCommand

from reclamations.reminders.services import send_reminders


class Command(BaseCommand):
    help = (
        "Envoie une fois les rappels d'échéance, les alertes de retard et le récapitulatif "
        "quotidien dus maintenant (pour cron ; « reclamations worker » le fait tout seul)."
    )

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(send_reminders())
