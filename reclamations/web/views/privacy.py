"""Personal data (GDPR), for managers: the subject-access export, everything the register
holds about one person as a ZIP (privacy.subject_export)."""

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from reclamations.core.localtime import local_today
from reclamations.privacy.export_journal import record_subject_export
from reclamations.privacy.subject_export import export_name, write_subject_export
from reclamations.privacy.subject_search import Found, find_subject, nothing_found_message
from reclamations.web.forms.privacy import SubjectExportForm
from reclamations.web.permissions import manager_required


def _export_response(request: HttpRequest, found: Found) -> FileResponse:
    """The ZIP written to a temporary file as it goes, then sent in chunks (the file is deleted
    once the response is closed): a person's documents may be large."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed with the response
    try:
        summary = write_subject_export(spool, found, made_by=request.user.display_name)
    except BaseException:
        spool.close()
        raise
    record_subject_export(found, summary, by=request.user, request=request)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=export_name(found, local_today(found.organisation)),
        content_type="application/zip",
    )


@manager_required
@require_http_methods(["GET", "POST"])
def personal_data(request: HttpRequest) -> HttpResponse:
    """The form; sent, the person's ZIP, or the page saying nothing was found (no file). The
    address travels in the POST's body, never in an address bar, a history or a server log."""
    organisation = request.user.organisation
    nothing_found = ""
    status = 200
    if request.method == "POST":
        form = SubjectExportForm(request.POST)
        if form.is_valid():
            found = find_subject(organisation, form.subject())
            if not found.empty:
                return _export_response(request, found)
            nothing_found = nothing_found_message(found)
        else:
            status = 400
    else:
        form = SubjectExportForm()
    return render(
        request,
        "web/personal_data.html",
        {"form": form, "nothing_found": nothing_found, "nav": "privacy"},
        status=status,
    )
