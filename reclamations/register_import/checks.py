"""What `reclamations verify` checks of the registers imported: each file kept is still the one
imported (its SHA-256), and the organisation's chronology records its import; a file deleted
once its complaints were all anonymised (register_import.purge) is accepted when the chronology
records that deletion and its complaints are indeed anonymised."""

import hashlib
from collections.abc import Iterator

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.core.models import Organisation
from reclamations.register_import.models import RegisterImport


def _file_sha256(upload: RegisterImport) -> str | None:
    digest = hashlib.sha256()
    try:
        with upload.file.open("rb") as stream:
            for chunk in iter(lambda: stream.read(1024 * 1024), b""):
                digest.update(chunk)
    except (FileNotFoundError, ValueError):
        return None
    return digest.hexdigest()


def _recorded(organisation: Organisation, event_type: str) -> set[str]:
    """The SHA-256 of the files the organisation's events of `event_type` name."""
    return {
        str(data.get("sha256", ""))
        for data in ComplaintEvent.objects.filter(
            organisation=organisation, event_type=event_type
        ).values_list("data", flat=True)
        if isinstance(data, dict)
    }


def imported_register_findings(organisation: Organisation) -> Iterator[str]:
    recorded = _recorded(organisation, EventType.REGISTER_IMPORTED)
    purged = _recorded(organisation, EventType.REGISTER_FILE_PURGED)
    imported = RegisterImport.objects.filter(
        organisation=organisation, imported_at__isnull=False
    ).order_by("id")
    for upload in imported:
        which = f"registre importé « {upload.original_name} » (n° {upload.pk})"
        if upload.purged_on is not None and not upload.file:
            yield from _purged_findings(upload, which, purged)
        else:
            found = _file_sha256(upload)
            if found is None:
                yield f"{which} : fichier introuvable dans le stockage"
            elif found != upload.sha256:
                yield f"{which} : le fichier a changé depuis son import (SHA-256 différent)"
        if upload.sha256 not in recorded:
            yield f"{which} : aucun événement de la chronologie ne rapporte cet import"
        lines = upload.lines.count()
        if lines != upload.created_count:
            yield (
                f"{which} : {lines} ligne(s) importée(s) enregistrée(s) pour "
                f"{upload.created_count} réclamation(s) créée(s)"
            )


def _purged_findings(upload: RegisterImport, which: str, purged: set[str]) -> Iterator[str]:
    if upload.sha256 not in purged:
        yield f"{which} : fichier supprimé sans qu'aucun événement de la chronologie le rapporte"
    kept = upload.lines.filter(complaint__anonymised_on__isnull=True).values_list(
        "complaint__reference", flat=True
    )
    if kept:
        yield (
            f"{which} : fichier supprimé alors que des réclamations qu'il a créées ne sont pas "
            f"anonymisées ({', '.join(sorted(kept))})"
        )
