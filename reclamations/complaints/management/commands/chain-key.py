"""`reclamations chain-key show|rotate`: the keys that seal the chronology's chain."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.complaints import chain_keys


class Command(BaseCommand):
    help = (
        "Les clés qui scellent la chaîne d'empreintes de la chronologie : « chain-key show » "
        "dit où elles sont et laquelle scelle les nouveaux événements ; « chain-key rotate » "
        "en crée une nouvelle (les précédentes restent pour vérifier ce qu'elles ont scellé)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("show", help="les clés et leur emplacement (jamais leur valeur)")
        sub.add_parser("rotate", help="une nouvelle clé en cours, dans le fichier de clés")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verb"] == "rotate":
                key = chain_keys.rotate()
                self.stdout.write(
                    f"Nouvelle clé de la chaîne : {key.id} (les précédentes restent dans "
                    f"{chain_keys.key_file()} pour vérifier les événements qu'elles ont "
                    "scellés). Sauvegardez ce fichier à part de la base de données, et "
                    "redémarrez l'application et le worker."
                )
                return
            keyring = chain_keys.keyring()
        except chain_keys.ChainKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Clés de la chaîne : {keyring.source}")
        for key_id in keyring.by_id:
            current = " (en cours)" if key_id == keyring.current.id else ""
            self.stdout.write(f"- {key_id}{current}")
