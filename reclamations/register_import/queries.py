"""Reads of the registers imported, for the pages."""

from reclamations.complaints.models import Complaint
from reclamations.register_import.models import RegisterImport


def imported_source(complaint: Complaint) -> RegisterImport | None:
    """The imported register a complaint was created from, if it was."""
    return (
        RegisterImport.objects.filter(lines__complaint=complaint)
        .only("pk", "original_name", "purged_on")
        .first()
    )
