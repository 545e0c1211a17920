from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reclamations.complaints.documents import MISSING_FILE, PURGED_FILE, open_stored
from reclamations.complaints.models import Document
from reclamations.reporting.complaint_file import complaint_file_pdf
from reclamations.web.permissions import reader_required
from reclamations.web.views.common import complaint_or_404


@reader_required
@require_GET
def document_download(request: HttpRequest, reference: str, document_id: int) -> FileResponse:
    """The stored file, unchanged, under its original name; only within the user's register."""
    document = (
        Document.objects.filter(
            pk=document_id,
            organisation=request.user.organisation_id,
            complaint__organisation=request.user.organisation_id,
            complaint__reference=reference,
        )
        .only("file", "original_name", "content_type")
        .first()
    )
    if document is None:
        raise Http404(
            gettext("Aucun document n° %(number)s pour la réclamation « %(reference)s ».")
            % {"number": document_id, "reference": reference}
        )
    stream = open_stored(document)
    if stream is None:
        raise Http404(gettext(MISSING_FILE if document.file else PURGED_FILE))
    return FileResponse(
        stream,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@reader_required
@require_GET
def complaint_file(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything about one complaint, in order, as one PDF with its documents embedded."""
    complaint = complaint_or_404(request, reference)
    pdf = complaint_file_pdf(complaint, printed_at=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{complaint.reference}.pdf"'
    return response
