"""The register's files as HTTP downloads, for the staff pages and the API alike; always in
French (core.languages.in_french), whatever the language of the page."""

import tempfile
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import IO

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.text import slugify

from reclamations.complaints.improvement_queries import improvement_actions, plan_lines
from reclamations.complaints.queries import RegisterFilters
from reclamations.core.languages import french_lines, in_french
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.reporting.annual_synthesis import annual_synthesis, write_annual_synthesis
from reclamations.reporting.audit_pack import pack_name, write_audit_pack
from reclamations.reporting.improvement_plan import write_plan_pdf, write_plan_xlsx
from reclamations.reporting.journal import JournalFilters, journal_lines, write_journal_xlsx
from reclamations.reporting.periods import Period
from reclamations.reporting.register_files import register_rows, write_register_file
from reclamations.reporting.spreadsheets import csv_lines
from reclamations.reporting.statistics_pdf import printed_statistics, write_statistics_pdf

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "pdf": "application/pdf", "zip": "application/zip"}


def export_name(
    organisation: Organisation, today: date, extension: str, what: str = "registre"
) -> str:
    """ "registre-reclamations-ccs-2026-11-29.csv": what, whose, of which day."""
    return f"{what}-reclamations-{slugify(organisation.name) or 'organisme'}-{today}.{extension}"


def _attachment(content: Iterator[str], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(french_lines(content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _spooled(write: Callable[[IO[bytes]], object], name: str, extension: str) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the response
    try:
        write(spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=name, content_type=CONTENT_TYPES[extension]
    )


@in_french
def export_response(
    organisation: Organisation, filters: RegisterFilters, extension: str
) -> HttpResponseBase:
    """CSV streamed line by line; XLSX and PDF written to a temporary file as they go, then
    sent in chunks (the file is deleted once the response is closed).

    A PDF too large to print raises TooLargeToPrint before anything is written.
    """
    name = export_name(organisation, local_today(organisation), extension)
    if extension == "csv":
        return _attachment(csv_lines(register_rows(organisation, filters)), name)
    return _spooled(
        lambda spool: write_register_file(extension, organisation, filters, spool),
        name,
        extension,
    )


@in_french
def journal_response(
    organisation: Organisation, filters: JournalFilters, extension: str
) -> HttpResponseBase:
    """The journal under `filters`, oldest first: CSV streamed, XLSX spooled."""
    name = export_name(organisation, local_today(organisation), extension, what="journal")
    if extension == "csv":
        return _attachment(journal_lines(organisation, filters), name)
    return _spooled(lambda spool: write_journal_xlsx(organisation, filters, spool), name, extension)


@in_french
def statistics_response(
    organisation: Organisation, period: Period, scope: Mapping[str, str] | None = None
) -> HttpResponseBase:
    """The statistics of `period` (limited to `scope`) as a PDF, named by the period."""
    today = local_today(organisation)
    facts = printed_statistics(organisation, period, today=today, scope=scope)
    whose = slugify(organisation.name) or "organisme"
    name = f"statistiques-reclamations-{whose}-{period.start}-au-{period.end}.pdf"
    return _spooled(lambda spool: write_statistics_pdf(spool, facts), name, "pdf")


@in_french
def audit_pack_response(organisation: Organisation, period: Period) -> HttpResponseBase:
    """The audit pack of `period`, written to a temporary file, then sent in chunks."""
    today = local_today(organisation)
    return _spooled(
        lambda spool: write_audit_pack(spool, organisation, period, today=today),
        pack_name(organisation, period),
        "zip",
    )


@in_french
def improvement_plan_response(
    organisation: Organisation, extension: str, *, status: str = ""
) -> HttpResponseBase:
    """The improvement plan (its actions under `status`, as the page lists them) as XLSX or
    PDF."""
    today = local_today(organisation)
    lines = plan_lines(improvement_actions(organisation, status=status, today=today), today)
    name = export_name(organisation, today, extension, what="plan-amelioration")
    if extension == "xlsx":
        return _spooled(lambda spool: write_plan_xlsx(lines, spool), name, extension)
    scope = "Plan d'amélioration" if not status else "Actions affichées"
    return _spooled(
        lambda spool: write_plan_pdf(lines, spool, organisation=organisation, scope=scope),
        name,
        extension,
    )


@in_french
def annual_synthesis_response(organisation: Organisation, year: int) -> HttpResponseBase:
    """The annual synthesis of `year` as a PDF; YearNotStarted (French) for a year to come."""
    synthesis = annual_synthesis(organisation, year, today=local_today(organisation))
    whose = slugify(organisation.name) or "organisme"
    name = f"synthese-annuelle-reclamations-{whose}-{year}.pdf"
    return _spooled(lambda spool: write_annual_synthesis(spool, synthesis), name, "pdf")
