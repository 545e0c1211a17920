from django.core.management.base import BaseCommand

from reclamations.core.models import Organisation
from reclamations.reporting.integrity import RegisterCount, register_findings, verify_organisation


class Command(BaseCommand):
    help = (
        "Vérifie le registre : la chaîne d'empreintes de toute la chronologie, les champs de "
        "chaque réclamation rejoués depuis ses événements, l'empreinte de chaque document."
    )

    def handle(self, *args: object, **options: object) -> None:
        events = 0
        count = RegisterCount()
        failed = False
        for organisation in Organisation.objects.order_by("id"):
            report = verify_organisation(organisation)
            if not report.ok:
                failed = True
                self.stdout.write(f"ERREUR {organisation.name} : {report.where} : {report.problem}")
            events += report.checked
            # Each finding as it is found: a large register's are never all held at once.
            for finding in register_findings(organisation, count):
                failed = True
                self.stdout.write(f"ERREUR {organisation.name} : {finding}")
        if failed:
            raise SystemExit(1)
        self.stdout.write(
            f"OK {events} events, {count.complaints} complaints, {count.documents} documents"
        )
