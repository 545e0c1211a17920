"""The kept file of an imported register, deleted once every complaint it created is anonymised
(docs/privacy.md; decision 0024 for the complaints themselves).

The file names the clients of all its lines. While one of its complaints keeps its client's
identity (active, archived, or held by a mediation or a lawsuit), the file is that complaint's
evidence and stays. When the last is anonymised, the register no longer names anyone the file
names but the lines in error, never imported: the file goes, after the commit that records it,
with an event of the organisation that `reclamations verify` reads to accept its absence.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import EventType
from reclamations.core.models import Organisation
from reclamations.register_import.models import ImportedLine, RegisterImport

PURGE_REASON = "toutes les réclamations créées par ce fichier sont anonymisées"
PURGED_FILE = gettext_noop(
    "Le fichier de ce registre a été supprimé le %(day)s : toutes les réclamations qu'il a "
    "créées sont anonymisées. Son empreinte SHA-256 reste au registre."
)


def register_files_due(organisation: Organisation) -> QuerySet[RegisterImport]:
    """The imported files still kept whose complaints are all anonymised."""
    return (
        RegisterImport.objects.filter(
            organisation=organisation,
            imported_at__isnull=False,
            purged_on__isnull=True,
            created_count__gt=0,
        )
        .exclude(lines__complaint__anonymised_on__isnull=True)
        .order_by("imported_at", "id")
    )


def register_file_purge(upload: RegisterImport, *, today: date) -> bool:
    """Delete the file of `upload` if its complaints are all anonymised, with the organisation's
    event; the stored file goes once the transaction commits (a rollback finds it). False when
    it is not due (any more)."""
    with transaction.atomic():
        current = RegisterImport.objects.select_for_update().get(pk=upload.pk)
        kept = ImportedLine.objects.filter(source=current, complaint__anonymised_on__isnull=True)
        if current.purged_on is not None or current.imported_at is None or kept.exists():
            return False
        name, storage = current.file.name, current.file.storage
        current.file = ""
        current.purged_on = today
        current.save(update_fields=["file", "purged_on"])
        append_event(
            organisation=current.organisation,
            event_type=EventType.REGISTER_FILE_PURGED,
            actor=None,
            occurred_on=today,
            status_before="",
            data={
                "file": current.original_name,
                "sha256": current.sha256,
                "complaints": current.created_count,
                "reason": PURGE_REASON,
            },
        )
        if name:
            transaction.on_commit(lambda: storage.delete(name))
    upload.refresh_from_db()
    return True
