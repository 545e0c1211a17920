import os
from dataclasses import replace
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from reclamations.backups import database
from reclamations.backups.database import BackupError, PostgresTarget
from reclamations.backups.restore import Target, backup_restore, sqlite_target


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde dans un dossier de données et une base vides, après avoir "
        "vérifié chaque empreinte de son manifeste, puis vérifie le registre restauré."
    )
    # The destination's database may have no table yet: no check may query it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="le fichier .tar.gz écrit par reclamations backup")
        parser.add_argument(
            "--data-dir",
            help="dossier de données de destination (par défaut RECLAMATIONS_DATA_DIR)",
        )

    def handle(self, *args: object, **options: object) -> None:
        target = _target(options.get("data_dir"))
        try:
            result = backup_restore(
                archive_path=Path(str(options["archive"])), target=target, say=self.stdout.write
            )
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        heads = result.manifest["chain_heads"]
        for head in heads:
            self.stdout.write(
                f"Tête de chaîne sauvegardée (organisation {head['organisation']}) : "
                f"{head['last_sequence']} {head['last_hash']}"
            )
        self.stdout.write(result.verify_output)
        if not result.verify_ok:
            raise CommandError(
                "Le registre restauré ne se vérifie pas (ci-dessus). Si la clé de la chaîne "
                "n'est pas celle de l'installation sauvegardée, remplacez-la et relancez "
                "reclamations verify."
            )
        self.stdout.write("Restauration terminée : le registre restauré se vérifie.")


def _target(data_dir_option: object) -> Target:
    """The destination: --data-dir's folder (its own SQLite database, or DATABASE_URL's), or
    the installation this command runs in."""
    environment = dict(os.environ)
    if data_dir_option:
        data_dir = Path(str(data_dir_option)).resolve()
        environment["RECLAMATIONS_DATA_DIR"] = str(data_dir)
    else:
        data_dir = Path(settings.DATA_DIR)
    # A key file named by RECLAMATIONS_CHAIN_KEY_FILE stays where it is named; the default one
    # is in the destination's data directory.
    named = getattr(settings, "RECLAMATIONS_CHAIN_KEY_FILE", "")
    key_file = Path(named) if named else data_dir / "chain_key"
    key_in_environment = bool(getattr(settings, "RECLAMATIONS_CHAIN_KEY", ""))
    if database.engine() == database.SQLITE and data_dir_option:
        return replace(
            sqlite_target(data_dir, environment),
            chain_key_file=key_file,
            chain_key_in_environment=key_in_environment,
        )
    storage = FileSystemStorage(location=data_dir / "files") if data_dir_option else default_storage
    if database.engine() == database.SQLITE:
        connection.close()  # the file is replaced: this process must not hold it open
        return Target(
            data_dir=data_dir,
            storage=storage,
            engine=database.SQLITE,
            sqlite_path=Path(connection.settings_dict["NAME"]),
            environment=environment,
            chain_key_file=key_file,
            chain_key_in_environment=key_in_environment,
        )
    return Target(
        data_dir=data_dir,
        storage=storage,
        engine=database.POSTGRESQL,
        postgres=PostgresTarget.from_settings(connection.settings_dict),
        environment=environment,
        chain_key_file=key_file,
        chain_key_in_environment=key_in_environment,
    )
