from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.backups.backup import backup_create
from reclamations.backups.database import BackupError


class Command(BaseCommand):
    help = (
        "Sauvegarde le registre pendant que l'application tourne : la base (copie cohérente "
        "SQLite, ou pg_dump), tous les fichiers enregistrés et un manifeste de leurs "
        "empreintes, dans une archive .tar.gz."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            help="fichier de la sauvegarde, ou dossier qui la reçoit sous un nom daté",
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="ajoute la clé secrète et la clé de la chaîne (par défaut, elles n'y sont pas)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = backup_create(
                output=Path(str(options["output"])), with_keys=bool(options["with_keys"])
            )
        except (BackupError, OSError) as error:
            raise CommandError(f"Sauvegarde impossible : {error}") from None
        manifest = result.manifest
        counts = manifest["counts"]
        self.stdout.write(f"Sauvegarde écrite : {result.path} ({result.size} octets)")
        self.stdout.write(
            f"{counts['complaints']} réclamations, {counts['events']} événements, "
            f"{counts['documents']} documents, {counts['files']} fichiers"
        )
        for head in manifest["chain_heads"]:
            self.stdout.write(
                f"Tête de chaîne (organisation {head['organisation']}) : "
                f"{head['last_sequence']} {head['last_hash']}"
            )
        self.stdout.write(manifest["keys"]["note"])
