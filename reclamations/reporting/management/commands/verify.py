from django.core.management.base import BaseCommand

from reclamations.reporting.integrity import verify_all


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes de toute la chronologie."

    def handle(self, *args: object, **options: object) -> None:
        total = 0
        for result in verify_all():
            report = result.report
            if not report.ok:
                self.stdout.write(
                    f"ERREUR {result.organisation.name} : événement n°{report.broken_sequence} : "
                    f"{report.problem}"
                )
                raise SystemExit(1)
            total += report.checked
        self.stdout.write(f"OK {total} events")
