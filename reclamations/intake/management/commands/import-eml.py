"""`reclamations import-eml PATH...`: the mailbox's routing, for .eml files (migrations, demo)."""

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.models import Organisation
from reclamations.intake.commit_groups import CommitGroups
from reclamations.intake.mailbox import NO_ORGANISATION, summary_line
from reclamations.intake.models import IntakeOutcome, IntakeSource
from reclamations.intake.services import DUPLICATE, IntakeResult, intake_process


def result_line(result: IntakeResult) -> str:
    """One line per message, in the fixed form scripts can read."""
    if result.outcome == IntakeOutcome.CREATED:
        return f"created {result.reference}"
    if result.outcome == IntakeOutcome.APPENDED:
        return f"appended {result.reference}"
    if result.outcome == DUPLICATE:
        return "duplicate"
    if result.outcome == IntakeOutcome.AUTO_REPLY:
        return "auto-reply ignored"
    if result.outcome == IntakeOutcome.QUARANTINED:
        return f"quarantined: {result.reason}"
    return "not a complaint"


def eml_files(paths: list[str]) -> Iterator[Path]:
    """The files named, and the *.eml files under the folders named, in a stable order."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.eml") if p.is_file())
        else:
            yield path


def organisation_named(name: str) -> Organisation:
    if name:
        found = Organisation.objects.filter(name=name).first()
        if found is None:
            known = ", ".join(Organisation.objects.order_by("id").values_list("name", flat=True))
            raise CommandError(f"Aucun organisme nommé « {name} ». Organismes : {known or '-'}.")
        return found
    first = Organisation.objects.order_by("id").first()
    if first is None:
        raise CommandError(NO_ORGANISATION)
    return first


class Command(BaseCommand):
    help = (
        "Importe des messages .eml (fichiers ou dossiers, récursivement) avec le même aiguillage "
        "que la boîte IMAP. Une ligne par message : created REF, appended REF, duplicate, "
        "not a complaint, auto-reply ignored ou quarantined: motif."
    )
    # Django's system checks (URLs, templates, models: the web application's) took 40 % of the
    # command's start-up, paid again by every script that imports one file per call; they
    # find nothing the import depends on. `reclamations check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="fichier .eml ou dossier")
        parser.add_argument(
            "--organisation",
            default="",
            help="nom de l'organisme destinataire (par défaut : le premier enregistré)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_named(options["organisation"])
        missing = [name for name in options["paths"] if not Path(name).exists()]
        if missing:
            raise CommandError(f"Chemin introuvable : {', '.join(missing)}")
        counts: Counter[str] = Counter()
        unreadable: list[str] = []
        # Lines are printed as their group commits: a line read by a script is a message kept.
        with CommitGroups[str](self.stdout.write) as groups:
            for path in eml_files(options["paths"]):
                try:
                    raw = path.read_bytes()
                except OSError as error:
                    self.stderr.write(f"{path} : illisible ({error.strerror or error})")
                    unreadable.append(str(path))
                    continue
                with groups.message():
                    result = intake_process(
                        organisation=organisation,
                        raw=raw,
                        arrived_at=None,
                        source=IntakeSource.EML,
                    )
                counts[result.outcome] += 1
                groups.done(result_line(result))
        self.stderr.write("import-eml : " + summary_line(counts, 0))
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} fichier(s) illisible(s) : {', '.join(unreadable)}"
            )
