import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints.demo import load_demo
from reclamations.core.installation import InstallationRefused
from reclamations.core.management.commands.serve import prepare, serve


class Command(BaseCommand):
    help = "Crée ou rafraîchit les données de démonstration (CCS), puis sert l'application."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-serve", action="store_true", help="prépare sans servir")

    def handle(self, *args: object, **options: object) -> None:
        prepare(self.stdout)
        try:
            organisation, accounts, created = load_demo()
        except InstallationRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(f"Organisation : {organisation.name}")
        if created:
            self.stdout.write(f"{created} réclamations de démonstration créées.")
        self.stdout.write("Comptes de démonstration (mots de passe affichés une seule fois) :")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.role:<10} {account.password}")
        if options["no_serve"]:
            return
        host, port = str(options["host"]), int(options["port"])
        # The demo accounts log in without a second factor only here: `reclamations serve`
        # asks it of them as of any account (core/accounts.demo_exempt).
        os.environ["RECLAMATIONS_DEMO"] = "true"
        self.stdout.write(
            "Démonstration : ces comptes entrent sans double authentification ; servie par "
            "« reclamations serve », elle leur est demandée comme à tout compte."
        )
        self.stdout.write(f"Réclamations : http://{host}:{port}/ (Ctrl+C pour arrêter)")
        self.stdout.flush()
        serve(host=host, port=port, workers=int(options["workers"]))
