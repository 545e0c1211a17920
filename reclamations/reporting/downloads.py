"""The register's files as HTTP downloads, for the staff pages and the API alike."""

import tempfile
from collections.abc import Iterable
from datetime import date

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.text import slugify

from reclamations.core.models import Organisation
from reclamations.reporting.register_export import ExportRow
from reclamations.reporting.spreadsheets import csv_lines, write_xlsx

EXPORT_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_name(organisation: Organisation, today: date, extension: str) -> str:
    """ "registre-reclamations-ccs-2026-11-29.csv": whose register, of which day."""
    return f"registre-reclamations-{slugify(organisation.name) or 'organisme'}-{today}.{extension}"


def export_response(rows: Iterable[ExportRow], extension: str, name: str) -> HttpResponseBase:
    """CSV streamed line by line; XLSX written to a temporary file as it goes, then sent in
    chunks (the file is deleted once the response is closed). Memory stays flat either way."""
    if extension == "csv":
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the response
    write_xlsx(rows, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX_TYPE)
