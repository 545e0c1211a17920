"""Importing an existing register, for managers: the file, the mapping of its columns with a
preview of its first lines, the dry run's report, then the import (docs/import.md). Each step
is a form posted to the server: no JavaScript needed."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from reclamations.core.languages import grouped
from reclamations.register_import.header import Header, cell_text, find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.models import ImportedLine, RegisterImport
from reclamations.register_import.purge import PURGED_FILE
from reclamations.register_import.reading import Table, Unreadable, read_table
from reclamations.register_import.services import (
    COMMAND_LINE,
    WEB_ADVISED_LINES,
    WEB_MAX_LINES,
    ImportConflict,
    Report,
    register_import_preview,
    register_import_run,
    register_upload_store,
)
from reclamations.web.forms.register_import import (
    MappingForm,
    RegisterUploadForm,
    initial_for,
    signature,
)
from reclamations.web.permissions import archive_reader_required, manager_required

PREVIEW_LINES = 5
ERRORS_SHOWN = 200
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSM_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.12"
MISSING_FILE = gettext_noop(
    "Le fichier de ce registre importé est introuvable dans le stockage : prévenez "
    "l'administrateur (reclamations verify le signale aussi)."
)


@manager_required
@require_http_methods(["GET", "POST"])
def register_import_upload(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    status = 200
    if request.method == "POST":
        form = RegisterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = register_upload_store(
                organisation=organisation,
                actor=request.user,
                content=form.content,
                file_name=form.cleaned_data["file"].name,
            )
            return redirect("register_import_mapping", pk=upload.pk)
        status = 400
    else:
        form = RegisterUploadForm()
    imported = RegisterImport.objects.filter(
        organisation=organisation, imported_at__isnull=False
    ).order_by("-imported_at")[:20]
    return render(
        request,
        "web/register_import.html",
        {
            "form": form,
            "imported": imported,
            "advised_lines": WEB_ADVISED_LINES,
            "max_lines": grouped(WEB_MAX_LINES),
            "command_line": COMMAND_LINE,
            "nav": "register",
        },
        status=status,
    )


def _preview(table: Table, header: Header) -> list[tuple[int, list[str]]]:
    """The first lines after the header, as the spreadsheet shows them."""
    first = header.last_line
    rows = table.rows[first : first + PREVIEW_LINES]
    return [
        (first + 1 + index, [cell_text(value) for value in row]) for index, row in enumerate(rows)
    ]


def _imported_page(request: HttpRequest, upload: RegisterImport) -> HttpResponse:
    lines = (
        ImportedLine.objects.filter(source=upload)
        .select_related("complaint")
        .order_by("complaint__reference")
    )
    return render(
        request,
        "web/register_import_done.html",
        {"upload": upload, "lines": lines, "nav": "register"},
    )


def _read(upload: RegisterImport, sheet: str, line: int) -> tuple[bytes, Table, Header]:
    with upload.file.open("rb") as stream:
        content = stream.read()
    table = read_table(content, sheet=sheet)
    return content, table, find_header(table, line)


@manager_required
@require_http_methods(["GET", "POST"])
def register_import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(RegisterImport, pk=pk, organisation=request.user.organisation)
    if upload.imported_at is not None:
        if request.method == "POST":
            messages.info(request, _("Ce fichier est déjà importé : rien n'a été refait."))
            return redirect("register_import_mapping", pk=upload.pk)
        return _imported_page(request, upload)
    posted = request.POST if request.method == "POST" else None
    sheet = (posted or {}).get("sheet", "")
    line_given = (posted or {}).get("header_line", "")
    line = int(line_given) if line_given.isdigit() else 0
    try:
        content, table, header = _read(upload, sheet, line)
    except Unreadable as error:
        messages.error(request, error.text(_))
        content, table, header = _read(upload, "", 0)
        posted = None
    report: Report | None = None
    status = 200
    reread = posted is not None and (
        posted.get("step") == "reread" or posted.get("columns_read") != signature(header.names)
    )
    if posted is None or reread:
        proposal = ColumnMapping(fields=propose(header), sheet=table.sheet)
        if posted is not None:
            proposal = ColumnMapping(
                fields=proposal.fields,
                sheet=table.sheet,
                default_channel=posted.get("default_channel") or proposal.default_channel,
                default_outcome=posted.get("default_outcome") or "",
            )
        form = MappingForm(
            initial=initial_for(proposal, header, table.sheet), header=header, sheets=table.sheets
        )
        if reread:
            messages.info(
                request,
                _(
                    "Colonnes relues : vérifiez le champ proposé pour chacune, puis lancez la "
                    "simulation."
                ),
            )
    else:
        form = MappingForm(posted, header=header, sheets=table.sheets)
        if not form.is_valid():
            status = 400
        else:
            mapping = form.mapping()
            simulated = signature(header.names, mapping)
            arguments = {
                "organisation": request.user.organisation,
                "content": content,
                "file_name": upload.original_name,
                "mapping": mapping,
            }
            if posted.get("step") == "import" and posted.get("simulated") == simulated:
                try:
                    done = register_import_run(actor=request.user, upload=upload, **arguments)
                except ImportConflict as error:
                    # French (CONFLICT), or the registration's refusal in the page's language.
                    messages.error(request, _(str(error)))
                else:
                    if done.created:
                        messages.success(request, done.summary(_))
                        return redirect("register_import_mapping", pk=upload.pk)
                    messages.info(request, done.summary(_))
            elif posted.get("step") == "import":
                messages.warning(
                    request,
                    _(
                        "La correspondance a changé depuis la simulation : vérifiez la nouvelle "
                        "simulation ci-dessous avant d'importer."
                    ),
                )
            report = register_import_preview(**arguments)
            form = MappingForm(
                {**posted.dict(), "simulated": simulated}, header=header, sheets=table.sheets
            )
            form.is_valid()
    labels = header.labels(_)
    return render(
        request,
        "web/register_import_mapping.html",
        {
            "column_labels": labels,
            "upload": upload,
            "form": form,
            "table": table,
            "header": header,
            "preview": _preview(table, header),
            "report": report,
            "read_as": table.read_as(_),
            "summary": report.summary(_) if report else "",
            "errors_shown": [
                error.text(_, dict(zip(header.names, labels, strict=True)))
                for error in report.errors[:ERRORS_SHOWN]
            ]
            if report
            else [],
            "errors_hidden": max(0, len(report.errors) - ERRORS_SHOWN) if report else 0,
            "nav": "register",
        },
        status=status,
    )


def _content_type(head: bytes, name: str) -> str:
    # Typed by its content, as the import read it; a workbook's name only tells a macro one.
    if head.startswith(b"PK\x03\x04"):
        return XLSM_TYPE if name.lower().endswith(".xlsm") else XLSX_TYPE
    return "text/csv"


@archive_reader_required
@require_GET
def register_import_file(request: HttpRequest, pk: int) -> FileResponse:
    """An imported register's file as it was imported, under its name: it names the clients
    of all its lines (some perhaps archived), so managers and the auditor only."""
    upload = get_object_or_404(
        RegisterImport, pk=pk, organisation=request.user.organisation, imported_at__isnull=False
    )
    if upload.purged_on is not None:
        raise Http404(_(PURGED_FILE) % {"day": date_format(upload.purged_on, "SHORT_DATE_FORMAT")})
    try:
        stream = upload.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_(MISSING_FILE)) from None
    head = stream.read(4)
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=upload.original_name,
        content_type=_content_type(head, upload.original_name),
    )
