"""The register as a file, in each of its formats: one way to make it, for the command, the
register page and the API alike."""

from collections.abc import Iterator
from typing import IO

from django.utils import timezone

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters, register_queryset
from reclamations.core.french import counted
from reclamations.core.localtime import local_today, local_zone
from reclamations.core.models import Organisation
from reclamations.reporting.integrity import ChainState, chain_state
from reclamations.reporting.register_export import ExportRow, export_rows
from reclamations.reporting.register_pdf import MAX_COMPLAINTS, PrintedRegister, write_register_pdf
from reclamations.reporting.spreadsheets import write_csv_to, write_xlsx

EXPORT_FORMATS = ("csv", "xlsx", "pdf")
FORMAT_NAMES = {"csv": "CSV", "xlsx": "classeur Excel (XLSX)", "pdf": "PDF à imprimer"}


class TooLargeToPrint(Exception):
    """More complaints than one printed register holds; the message says what to do."""


def register_rows(organisation: Organisation, filters: RegisterFilters) -> Iterator[ExportRow]:
    """The complaints the register shows under `filters`, as of today, for a file."""
    return export_rows(
        organisation,
        filters,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
    )


def check_printable(organisation: Organisation, filters: RegisterFilters) -> None:
    """Raises TooLargeToPrint, in French, when the PDF would hold more than it may."""
    count = register_queryset(
        organisation,
        filters,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    ).count()
    if count > MAX_COMPLAINTS:
        raise TooLargeToPrint(
            f"Le registre à imprimer compterait {counted(count, 'réclamation', 'réclamations')}, "
            f"plus que les {counted(MAX_COMPLAINTS, 'réclamation', 'réclamations')} qu'un PDF "
            "peut contenir : choisissez une période plus courte, ou exportez en XLSX ou en CSV "
            "(sans limite)."
        )


def printed_register(
    organisation: Organisation, filters: RegisterFilters, state: ChainState | None = None
) -> PrintedRegister:
    """What a printed register states around its lines: the chain is verified now, whole
    (or `state`, when the caller has just verified it)."""
    state = state or chain_state(organisation)
    identity = " · ".join(
        f"{label} {value}"
        for label, value in (("SIRET", organisation.siret), ("NDA", organisation.nda))
        if value
    )
    signatory = ", ".join(
        part for part in (organisation.referent_name, organisation.referent_title) if part
    )
    return PrintedRegister(
        organisation=organisation.legal_name or organisation.name,
        identity=identity,
        signatory=signatory,
        filters=filters,
        printed_at=timezone.now().astimezone(local_zone(organisation)),
        procedure_version=organisation.procedure_version,
        chain_report=state.report,
        last_hash=state.last_hash,
    )


def write_register_file(
    extension: str,
    organisation: Organisation,
    filters: RegisterFilters,
    target: str | IO[bytes],
    *,
    state: ChainState | None = None,
) -> int:
    """Writes the register as `extension` into `target`; returns how many complaints it holds.

    A PDF is checked first (check_printable): TooLargeToPrint before anything is written.
    """
    if extension == "pdf":
        check_printable(organisation, filters)
        facts = printed_register(organisation, filters, state)
        return write_register_pdf(register_rows(organisation, filters), facts, target)
    counter = _Counted(register_rows(organisation, filters))
    if extension == "xlsx":
        write_xlsx(counter, target)
    else:
        write_csv_to(counter, target)
    return counter.count


class _Counted:
    """The rows, counted as they go by (a file is written before its total is known)."""

    def __init__(self, rows: Iterator[ExportRow]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[ExportRow]:
        for row in self.rows:
            self.count += 1
            yield row
