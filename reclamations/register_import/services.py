"""Importing a register: read the file, check every line as the registration would, say what
an import would do (the dry run writes nothing), then import in one transaction through the
complaints' own door (complaints.importing), keeping the file with its SHA-256.

Importing again creates nothing twice: a line whose old reference and year of reception (else
whose cells) an earlier import took is "already imported", named with the complaint it became.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import EventType, Kind
from reclamations.complaints.importing import import_problems, reception_moment
from reclamations.complaints.services import (
    ImportSource,
    NewComplaint,
    PastComplaint,
    complaint_import,
)
from reclamations.core.catalogue import as_is, gettext_noop
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.register_import.candidates import Candidate, LineError, read_lines
from reclamations.register_import.choices import causes_choices
from reclamations.register_import.header import Header, find_header
from reclamations.register_import.mapping import ColumnMapping
from reclamations.register_import.models import ImportedLine, RegisterImport
from reclamations.register_import.reading import Table, read_table
from reclamations.register_import.vocabulary import CLOSED, NOT_ADMISSIBLE, REPLIED

# The web imports in the request, at some 20 to 40 ms a complaint (bench/register_import.py,
# docs/import.md): over WEB_ADVISED_LINES the import takes more than five seconds, and a file of
# more than WEB_MAX_LINES would near the server's 60-second timeout: the command imports those.
WEB_ADVISED_LINES = 200
WEB_MAX_LINES = 1_000
COMMAND_LINE = "reclamations import-register registre.xlsx --dry-run"
# An upload nobody imported is deleted after this (it names clients: kept no longer than needed).
PENDING_KEPT = timedelta(days=1)
KEY_LENGTH = ImportedLine._meta.get_field("key").max_length or 200
# Which column a registration's field is read from (the registration names its own fields).
_FIELD_COLUMNS = {"received_at": "received_on", "not_admissible_reason": "status"}


class ImportConflict(Exception):
    """Another import took some of these lines while this one ran: nothing was written. The
    message is French (a page translates it) or the registration's, already worded."""


CONFLICT = gettext_noop(
    "Un autre import a pris certaines de ces lignes pendant celui-ci : rien n'a été créé. "
    "Relancez la simulation puis l'import."
)


@dataclass(frozen=True)
class AlreadyImported:
    line: int
    reference: str  # the complaint the line became
    source_line: int  # its line in the file imported first
    source_name: str


@dataclass
class Report:
    """What an import of a file with a mapping does (dry run), or did."""

    file_name: str
    sha256: str
    how_read: str
    header: Header
    mapping: ColumnMapping
    sheets: tuple[str, ...] = ()
    sheet: str = ""
    lines: int = 0
    empty_lines: int = 0
    title_lines: int = 0
    to_create: list[Candidate] = field(default_factory=list)
    already: list[AlreadyImported] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    # When this very file (its SHA-256) was imported before, in the organisation's time.
    same_file_at: datetime | None = None
    created: list[str] = field(default_factory=list)  # the references created, once imported
    dry_run: bool = True

    def summary(self, translate: Callable[[str], str] = as_is) -> str:
        """One paragraph of what the import does (or did): French, or through `translate`
        (gettext, given by a page)."""
        created = len(self.to_create) if self.dry_run else len(self.created)
        counted = [
            (gettext_noop("%(count)s ligne(s) lue(s)"), self.lines),
            (
                gettext_noop("%(count)s réclamation(s) seront créées")
                if self.dry_run
                else gettext_noop("%(count)s réclamation(s) créées"),
                created,
            ),
            (gettext_noop("%(count)s déjà importée(s)"), len(self.already)),
            (
                gettext_noop("%(count)s ligne(s) en erreur, non importée(s)"),
                len({error.line for error in self.errors}),
            ),
        ]
        if self.empty_lines:
            counted.append(
                (gettext_noop("%(count)s ligne(s) vide(s) ignorée(s)"), self.empty_lines)
            )
        if self.title_lines:
            counted.append(
                (gettext_noop("%(count)s ligne(s) de titre ignorée(s)"), self.title_lines)
            )
        parts = ", ".join(translate(message) % {"count": count} for message, count in counted)
        if self.dry_run:
            text = translate(gettext_noop("Simulation : %(parts)s.")) % {"parts": parts}
        else:
            text = translate(gettext_noop("Import terminé : %(parts)s.")) % {"parts": parts}
        if self.same_file_at is not None:
            text += " " + self.same_file_text(translate)
        return text

    @property
    def same_file(self) -> str:
        """The French sentence when this very file was imported before ("" otherwise)."""
        return self.same_file_text() if self.same_file_at is not None else ""

    def same_file_text(self, translate: Callable[[str], str] = as_is) -> str:
        assert self.same_file_at is not None
        return translate(
            gettext_noop(
                "Ce fichier (même SHA-256) a déjà été importé le %(day)s à %(time)s : ses lignes "
                "déjà importées ne sont pas créées à nouveau."
            )
        ) % {"day": f"{self.same_file_at:%d/%m/%Y}", "time": f"{self.same_file_at:%H:%M}"}


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def open_register(content: bytes, mapping: ColumnMapping) -> tuple[Table, Header]:
    """The file's table and header as the mapping names them (Unreadable when it cannot)."""
    table = read_table(content, sheet=mapping.sheet)
    return table, find_header(table, mapping.header_line)


def past_complaint(
    organisation: Organisation, candidate: Candidate, file_name: str, sha256: str
) -> PastComplaint:
    """The complaint a line describes, as the complaints' import door takes it."""
    not_admissible = candidate.state == NOT_ADMISSIBLE
    texts, choices = candidate.texts, candidate.choices
    complaint = NewComplaint(
        channel=candidate.channel,
        received_at=reception_moment(organisation, candidate.received_on, candidate.received_time),
        description=texts["description"],
        kind=Kind.NOT_ADMISSIBLE if not_admissible else choices.get("kind", Kind.COMPLAINT),
        not_admissible_reason=(
            f"Non recevable selon le registre importé ({candidate.not_admissible_by})."
            if not_admissible
            else ""
        ),
        category=choices.get("category", ""),
        funding=choices.get("funding", ""),
        client_type=choices.get("client_type", ""),
        reception_witness=f"registre importé « {file_name} », ligne {candidate.line}",
        client_name=texts["client_name"],
        client_account=texts["client_account"],
        client_email=texts["client_email"],
        client_phone=texts["client_phone"],
        training=texts["training"],
        session=texts["session"],
        trainer=texts["trainer"],
        funder=texts["funder"],
        remedy_sought=texts["remedy_sought"],
    )
    return PastComplaint(
        complaint=complaint,
        source=ImportSource(file_name, sha256, candidate.line, candidate.source_reference),
        time_known=candidate.received_time is not None,
        status_read=candidate.status_read,
        replied_on=candidate.replied_on if candidate.state in (REPLIED, CLOSED) else None,
        resolution=candidate.resolution,
        announced_outcome=candidate.outcome if candidate.state == REPLIED else "",
        closed_on=candidate.closed_on,
        outcome=candidate.outcome if candidate.state == CLOSED else "",
        actions=candidate.actions,
        notes=candidate.notes,
        cause=choices.get("cause", ""),
    )


def _line_errors(candidate: Candidate, problems: dict[str, list[str]]) -> list[LineError]:
    errors = []
    for name, messages in problems.items():
        source = _FIELD_COLUMNS.get(name, name)
        column = candidate.columns.get(source, "")
        if name == "description" and not column:
            column = candidate.columns.get("subject", "")
        for message in messages:
            text = message[:1].lower() + message[1:]
            errors.append(LineError(candidate.line, column, text.rstrip(".")))
    return errors


def key_of(candidate: Candidate) -> str:
    if len(candidate.key) <= KEY_LENGTH:
        return candidate.key
    return "reference-sha256:" + sha256_of(candidate.key.encode("utf-8"))


def _already(
    organisation: Organisation, candidates: list[Candidate]
) -> tuple[dict[str, AlreadyImported], list[LineError]]:
    """The lines an earlier import took, and an error for each whose reference and year it
    took with another day of reception: another complaint that reuses the number, or the same
    with its date corrected since; the person says which."""
    keys = {key_of(candidate): candidate for candidate in candidates}
    found, errors = {}, []
    rows = ImportedLine.objects.filter(organisation=organisation, key__in=list(keys)).values_list(
        "key", "complaint__reference", "line", "source__original_name", "complaint__received_on"
    )
    for key, reference, line, name, received_on in rows:
        candidate = keys[key]
        if candidate.source_reference and received_on != candidate.received_on:
            errors.append(
                LineError(
                    candidate.line,
                    candidate.columns.get("reference", ""),
                    gettext_noop(
                        "référence « %(source_reference)s » de %(year)s déjà importée (ligne "
                        "%(line)s de « %(name)s », devenue %(reference)s, reçue le %(received)s) "
                        "alors que cette ligne est reçue le %(received_here)s : si c'est une "
                        "autre réclamation, distinguez sa référence (préfixe) ; si c'est la "
                        "même, corrigez %(reference)s dans l'application"
                    ),
                    {
                        "source_reference": candidate.source_reference,
                        "year": received_on.year,
                        "line": line,
                        "name": name,
                        "reference": reference,
                        "received": f"{received_on:%d/%m/%Y}",
                        "received_here": f"{candidate.received_on:%d/%m/%Y}",
                    },
                )
            )
            continue
        found[key] = AlreadyImported(candidate.line, reference, line, name)
    return found, errors


def _same_file(organisation: Organisation, sha256: str) -> datetime | None:
    earlier = (
        RegisterImport.objects.filter(
            organisation=organisation, sha256=sha256, imported_at__isnull=False
        )
        .order_by("imported_at")
        .first()
    )
    if earlier is None or earlier.imported_at is None:
        return None
    return timezone.localtime(earlier.imported_at)


def register_import_preview(
    *, organisation: Organisation, content: bytes, file_name: str, mapping: ColumnMapping
) -> Report:
    """What importing `content` with `mapping` would do: writes nothing (the dry run). Raises
    reading.Unreadable when the file cannot be read."""
    table, header = open_register(content, mapping)
    sha256 = sha256_of(content)
    reading = read_lines(
        table,
        header,
        mapping,
        today=local_today(organisation),
        causes=causes_choices(organisation.causes),
    )
    report = Report(
        file_name=file_name,
        sha256=sha256,
        how_read=table.how_read,
        header=header,
        mapping=mapping,
        sheets=table.sheets,
        sheet=table.sheet,
        lines=reading.lines,
        empty_lines=reading.empty_lines,
        title_lines=reading.title_lines,
        errors=list(reading.errors),
        same_file_at=_same_file(organisation, sha256),
    )
    valid = []
    for candidate in reading.candidates:
        problems = import_problems(
            organisation, past_complaint(organisation, candidate, file_name, sha256)
        )
        if problems:
            report.errors.extend(_line_errors(candidate, problems))
        else:
            valid.append(candidate)
    already, taken = _already(organisation, valid)
    report.errors.extend(taken)
    refused = {error.line for error in taken}
    for candidate in valid:
        earlier = already.get(key_of(candidate))
        if candidate.line in refused:
            continue
        if earlier is None:
            report.to_create.append(candidate)
        else:
            report.already.append(earlier)
    report.errors.sort(key=lambda error: error.line)
    return report


def _kept_file(
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    file_name: str,
    upload: RegisterImport | None,
) -> RegisterImport:
    now = timezone.now()
    if upload is None:
        upload = RegisterImport(
            organisation=organisation,
            original_name=file_name[:255],
            size=len(content),
            sha256=sha256_of(content),
            uploaded_at=now,
            uploaded_by=actor,
        )
        upload.file.save(file_name, ContentFile(content), save=False)
    upload.imported_at, upload.imported_by = now, actor
    return upload


def register_import_run(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    file_name: str,
    mapping: ColumnMapping,
    upload: RegisterImport | None = None,
) -> Report:
    """Import the lines the dry run would create, in one transaction: each complaint through
    complaints.importing, its line recorded, the file kept (`upload`, the file the web step
    stored, or a new one) and the organisation's event naming it. Nothing is written when no
    line is to be created."""
    try:
        with transaction.atomic():
            report = register_import_preview(
                organisation=organisation, content=content, file_name=file_name, mapping=mapping
            )
            report.dry_run = False
            if not report.to_create:
                return report
            kept = _kept_file(organisation, actor, content, file_name, upload)
            kept.save()
            today = local_today(organisation)
            ordered = sorted(report.to_create, key=lambda found: (found.received_on, found.line))
            for candidate in ordered:
                complaint = complaint_import(
                    organisation=organisation,
                    actor=actor,
                    past=past_complaint(organisation, candidate, file_name, report.sha256),
                    today=today,
                )
                ImportedLine.objects.create(
                    organisation=organisation,
                    source=kept,
                    complaint=complaint,
                    line=candidate.line,
                    key=key_of(candidate),
                )
                report.created.append(complaint.reference)
            kept.created_count = len(report.created)
            kept.save()
            append_event(
                organisation=organisation,
                event_type=EventType.REGISTER_IMPORTED,
                actor=actor,
                occurred_on=today,
                status_before="",
                data=_event_data(report, kept),
            )
    except IntegrityError:
        raise ImportConflict(CONFLICT) from None
    except ValidationError as error:  # a line the dry run passed and the door refused
        raise ImportConflict(" ".join(error.messages)) from None
    return report


def _event_data(report: Report, kept: RegisterImport) -> dict[str, object]:
    data: dict[str, object] = {
        "file": kept.original_name,
        "sha256": kept.sha256,
        "size": kept.size,
        "read_as": report.how_read,
        "created": len(report.created),
        "already_imported": len(report.already),
        "errors": len({error.line for error in report.errors}),
    }
    if report.created:
        data["references"] = f"{report.created[0]} à {report.created[-1]}"
    return data


def register_upload_store(
    *, organisation: Organisation, actor: User, content: bytes, file_name: str
) -> RegisterImport:
    """Keep an uploaded register until it is imported (or for PENDING_KEPT); the uploads of the
    organisation nobody imported since are deleted with their files."""
    now = timezone.now()
    with transaction.atomic():
        stale = RegisterImport.objects.filter(
            organisation=organisation, imported_at__isnull=True, uploaded_at__lt=now - PENDING_KEPT
        )
        for old in stale:
            old.file.delete(save=False)
            old.delete()
        upload = RegisterImport(
            organisation=organisation,
            original_name=file_name.rsplit("/", 1)[-1][:255] or "registre",
            size=len(content),
            sha256=sha256_of(content),
            uploaded_at=now,
            uploaded_by=actor,
        )
        upload.file.save(upload.original_name, ContentFile(content), save=False)
        upload.save()
    return upload
