from django.core.management.base import BaseCommand, CommandParser

from reclamations.backups.sweep import MIN_AGE, sweep_orphan_files


class Command(BaseCommand):
    help = (
        "Met en quarantaine (dossier quarantine/ du stockage) les fichiers enregistrés "
        "qu'aucune ligne de la base ne cite, écrits avant un arrêt brutal, s'ils ont plus "
        f"d'une heure ({MIN_AGE}). Rien n'est supprimé."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="liste les fichiers sans les déplacer"
        )

    def handle(self, *args: object, **options: object) -> None:
        report = sweep_orphan_files(dry_run=bool(options["dry_run"]))
        if report.dry_run:
            for name in report.orphans:
                self.stdout.write(f"orphelin : {name}")
        for name, moved_to in report.moved:
            self.stdout.write(f"mis en quarantaine : {name} -> {moved_to}")
        self.stdout.write(report.summary())
