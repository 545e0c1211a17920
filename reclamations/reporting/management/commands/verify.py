from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints import chain, chain_keys
from reclamations.complaints.chronology import chain_head
from reclamations.core.models import Organisation
from reclamations.reporting.integrity import (
    RegisterCount,
    organisation_findings,
    register_findings,
    verify_against,
    verify_organisation,
)


class Command(BaseCommand):
    help = (
        "Vérifie le registre : la chaîne d'empreintes de toute la chronologie (scellée par la "
        "clé de la chaîne), les champs de chaque réclamation rejoués depuis ses événements, "
        "l'empreinte de chaque document, les réglages et les décisions du tri, les comptes des "
        "statistiques ; imprime la tête "
        "de chaque chaîne, à conserver hors de la base. --against TÊTE vérifie qu'une tête "
        "conservée (récapitulatif quotidien, dossier d'audit) est toujours dans la chaîne."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            action="append",
            default=[],
            metavar="TÊTE",
            help="une tête de chaîne conservée, ex. CCS:000653:9f2c4e0b7a1d3c58 (répétable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            witnessed = [chain.parse_head(text) for text in options["against"]]
        except chain.BadHead as error:
            raise CommandError(str(error)) from None
        try:
            chain_keys.keyring()
        except chain_keys.ChainKeyError as error:
            raise CommandError(str(error)) from None
        events = 0
        count = RegisterCount()
        failed = False
        organisations = list(Organisation.objects.order_by("id"))
        for organisation in organisations:
            report = verify_organisation(organisation)
            if not report.ok:
                failed = True
                self.stdout.write(f"ERREUR {organisation.name} : {report.where} : {report.problem}")
            events += report.checked
            # Each finding as it is found: a large register's are never all held at once.
            for finding in register_findings(organisation, count):
                failed = True
                self.stdout.write(f"ERREUR {organisation.name} : {finding}")
            for finding in organisation_findings(organisation):
                failed = True
                self.stdout.write(f"ERREUR {organisation.name} : {finding}")
        for problem in verify_against(witnessed):
            failed = True
            self.stdout.write(f"ERREUR {problem}")
        if failed:
            raise SystemExit(1)
        self.stdout.write(
            f"OK {events} events, {count.complaints} complaints, {count.documents} documents"
        )
        for head in witnessed:
            self.stdout.write(f"TÉMOIN {head} : retrouvé dans la chaîne")
        # What to keep outside the database: a later `verify --against` proves the chain up to
        # here was neither cut short nor rewritten.
        for organisation in organisations:
            self.stdout.write(f"TÊTE {chain_head(organisation)}")
