import logging

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from reclamations.complaints.models import Document
from reclamations.web.permissions import reader_required

logger = logging.getLogger(__name__)


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
        raise Http404(f"Aucun document n° {document_id} pour la réclamation « {reference} ».")
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error("Fichier absent du stockage : document %s (%s)", document.pk, document.file)
        raise Http404(
            "Le fichier de ce document est introuvable dans le stockage : prévenez "
            "l'administrateur."
        ) from None
    return FileResponse(
        stream,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
