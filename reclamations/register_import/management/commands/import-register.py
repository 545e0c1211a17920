"""`reclamations import-register FILE [--mapping M.json] [--dry-run] [--organisation NAME]`:
an existing register (XLSX or CSV) imported as complaints with their history (docs/import.md).

Without --mapping, the columns' fields are proposed from their headers, and the proposal is
printed as a mapping file to save, correct and give back with --mapping. Exits 1 when a line
is in error (the others are imported all the same, unless --dry-run).
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import (
    ColumnMapping,
    MappingError,
    from_json,
    propose,
    read_options,
    to_json,
)
from reclamations.register_import.reading import Unreadable, read_table
from reclamations.register_import.services import (
    ImportConflict,
    Report,
    register_import_preview,
    register_import_run,
)


def _mapping(content: bytes, mapping_path: str) -> tuple[ColumnMapping, bool]:
    """The mapping given (a file), else the one proposed from the headers (True)."""
    if not mapping_path:
        table = read_table(content)
        header = find_header(table)
        return ColumnMapping(fields=propose(header), sheet=table.sheet), True
    try:
        data = json.loads(Path(mapping_path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{mapping_path} : illisible ({error.strerror or error}).") from None
    except ValueError as error:
        raise CommandError(f"{mapping_path} : JSON invalide ({error}).") from None
    sheet, line = read_options(data)
    table = read_table(content, sheet=sheet)
    return from_json(data, find_header(table, line)), False


class Command(BaseCommand):
    help = (
        "Importe un registre existant (XLSX ou CSV, une ligne par réclamation) : réclamations "
        "créées avec leurs dates et leur issue, marquées comme importées, le fichier conservé "
        "avec son SHA-256. Relancé, il ne crée rien deux fois."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FICHIER", help="le registre, .xlsx ou .csv")
        parser.add_argument(
            "--mapping",
            default="",
            metavar="M.json",
            help="la correspondance des colonnes (sans elle, celle proposée est imprimée)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="simulation : dit ce qui serait fait, n'écrit rien",
        )
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            organisation = organisation_for_command(options["organisation"])
            content = path.read_bytes()
        except UnknownOrganisation as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{path} : illisible ({error.strerror or error}).") from None
        try:
            mapping, proposed = _mapping(content, options["mapping"])
            if options["dry_run"]:
                report = register_import_preview(
                    organisation=organisation, content=content, file_name=path.name, mapping=mapping
                )
            else:
                report = register_import_run(
                    organisation=organisation,
                    actor=None,
                    content=content,
                    file_name=path.name,
                    mapping=mapping,
                )
        except (Unreadable, ImportConflict) as error:
            raise CommandError(f"{path.name} : {error}") from None
        except MappingError as error:
            raise CommandError(
                f"{options['mapping']} : correspondance inutilisable.\n" + "\n".join(error.messages)
            ) from None
        self._write(report, proposed)
        if report.errors:
            raise CommandError(
                f"{len({error.line for error in report.errors})} ligne(s) en erreur, non "
                "importée(s) : corrigez-les dans le fichier et relancez (ce qui est déjà importé "
                "ne le sera pas deux fois)."
            )

    def _write(self, report: Report, proposed: bool) -> None:
        out = self.stdout.write
        out(f"Fichier : {report.file_name} (SHA-256 {report.sha256})")
        out(f"Lu comme : {report.how_read}")
        if report.header.lines:
            out("En-têtes : ligne " + " et ".join(str(line) for line in report.header.lines))
        if proposed:
            out("Correspondance proposée (à enregistrer, corriger et passer avec --mapping) :")
            out(json.dumps(to_json(report.mapping, report.header), ensure_ascii=False, indent=2))
        for error in report.errors:
            out(str(error))
        for already in report.already:
            out(
                f"Ligne {already.line} : déjà importée ({already.reference}, "
                f"« {already.source_name} » ligne {already.source_line})"
            )
        if report.created:
            out("Créées : " + ", ".join(report.created))
        out(report.summary())
