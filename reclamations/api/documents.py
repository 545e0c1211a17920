"""/api/v1/complaints/{reference}/documents: a complaint's documents and their exact bytes
(the original, the copies sent, the letters printed...), and its whole file as one PDF, for
integrations, auditors and mediators."""

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from reclamations.api import presenters
from reclamations.api.auth import readable_complaint, readers
from reclamations.api.errors import NotFound
from reclamations.api.schemas import ERRORS, DocumentOut, ErrorOut
from reclamations.complaints import queries
from reclamations.complaints.documents import MISSING_FILE, PURGED_FILE, open_stored
from reclamations.complaints.models import Document
from reclamations.reporting.complaint_file import complaint_file_pdf

router = Router(tags=["complaints"])


@router.get(
    "/{reference}/documents",
    auth=readers,
    response={200: list[DocumentOut], 404: ErrorOut, **ERRORS},
    summary="A complaint's documents",
    description="In the order they were stored, each with its role, its version among the "
    "documents of that role, its SHA-256 and the URL of its bytes.",
    operation_id="complaint_documents",
)
def complaint_documents(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    _user, complaint = readable_complaint(request, reference)
    return presenters.document_items(
        queries.complaint_documents(complaint), complaint.organisation, complaint.reference
    )


@router.get(
    "/{reference}/documents/{document_id}",
    auth=readers,
    response={404: ErrorOut, **ERRORS},
    summary="One document's stored bytes, unchanged",
    operation_id="complaint_document_download",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file as stored (its SHA-256 is the one listed), with the "
                "content type it was stored with (`content_type` in the list).",
                # A PDF, an image, an e-mail as received...: declared as any type, which it is.
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def complaint_document_download(
    request: HttpRequest, reference: str, document_id: int
) -> FileResponse:
    _user, complaint = readable_complaint(request, reference)
    document = Document.objects.filter(pk=document_id, complaint=complaint).first()
    if document is None:
        raise NotFound(f"Aucun document n° {document_id} pour la réclamation « {reference} ».")
    stream = open_stored(document)
    if stream is None:
        raise NotFound(MISSING_FILE if document.file else PURGED_FILE)
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get(
    "/{reference}/file",
    auth=readers,
    response={404: ErrorOut, **ERRORS},
    summary="The complaint's file as one PDF",
    description="The complaint as registered and treated, its chronology with each event's "
    "fingerprint, its documents listed with their SHA-256 and embedded as PDF attachments, and "
    "the check of its own events: for an auditor or a mediator.",
    operation_id="complaint_file",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file (PDF).",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def complaint_file(request: HttpRequest, reference: str) -> HttpResponse:
    _user, complaint = readable_complaint(request, reference)
    response = HttpResponse(
        complaint_file_pdf(complaint, printed_at=timezone.now()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="dossier-{complaint.reference}.pdf"'
    return response
