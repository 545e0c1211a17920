from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.privacy.request_reading import open_requests, request_title


class Command(BaseCommand):
    help = (
        "Liste les demandes sur les données personnelles en cours (RGPD) avec leur échéance ; "
        "sort en erreur (code 1) si l'une a dépassé son délai, pour la supervision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="nom de l'organisme (sinon : tous)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["organisation"]:
            try:
                organisations = [organisation_for_command(options["organisation"])]
            except UnknownOrganisation as error:
                raise CommandError(str(error)) from None
        else:
            organisations = list(Organisation.objects.order_by("id"))
        overdue = 0
        for organisation in organisations:
            today = local_today(organisation)
            requests = list(open_requests(organisation))
            self.stdout.write(f"{organisation.name} : {len(requests)} demande(s) en cours")
            # The number and the right, not the person: this output goes to logs and monitors.
            for request in requests:
                left = (request.deadline - today).days
                if left < 0:
                    overdue += 1
                    when = f"EN RETARD de {-left} jour(s)"
                elif left == 0:
                    when = "due aujourd'hui"
                else:
                    when = f"dans {left} jour(s)"
                extended = " (prolongée)" if request.extended_to else ""
                self.stdout.write(
                    f"  {request_title(request)} reçue le {request.received_on:%d/%m/%Y}, "
                    f"échéance {request.deadline:%d/%m/%Y}{extended} : {when}"
                )
        if overdue:
            raise CommandError(f"{overdue} demande(s) en retard : voir ci-dessus.")
