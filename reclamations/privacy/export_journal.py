"""Each subject-access export leaves a line in the security journal: who took a person's data
out of the register, when, from where, and what it held. A data-protection officer asked "who
has seen my data?" answers from there; the export itself is never kept."""

from django.http import HttpRequest

from reclamations.core.models import User
from reclamations.core.security import SecurityEvent, security_record
from reclamations.privacy.subject_export import ExportSummary
from reclamations.privacy.subject_search import Found


def export_detail(found: Found, summary: ExportSummary) -> str:
    """ "CCS-2026-0003, CCS-2026-0007 : 2 réclamations, 1 document, ..." (the references say
    which files; the person's address stays out of a journal kept apart from the register)."""
    references = ", ".join(item.reference for item in found.complaints)
    return f"{references} : {summary.text()}" if references else summary.text()


def record_subject_export(
    found: Found,
    summary: ExportSummary,
    *,
    by: User | None = None,
    request: HttpRequest | None = None,
    command_user: str = "",
) -> None:
    """`by` made it in the interface; a command gives the system account as `command_user`."""
    security_record(
        SecurityEvent.SUBJECT_EXPORTED,
        user=by,
        username=command_user,
        request=request,
        detail=export_detail(found, summary),
        organisation=found.organisation,
    )
