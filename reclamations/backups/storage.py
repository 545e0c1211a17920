"""The stored files, walked through Django's storage API (the data directory, or object
storage): every name, and the names the database refers to."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models

from reclamations.outbox.models import OutgoingAttachment

References = Callable[[], Iterable[str]]

# Apps whose rows name stored files otherwise than by a FileField (a JSON list of files) say
# so here from their AppConfig.ready, so that the sweep never takes those files for orphans.
REFERENCES: dict[str, References] = {}


def register_references(name: str, references: References) -> None:
    """`references()` gives storage names that rows of app `name` refer to."""
    REFERENCES[name] = references


# Where the sweep moves the files no row refers to; never swept again, kept by the backups.
QUARANTINE = "quarantine"
# Where the health page writes, reads back and deletes a file (web/health.py): a probe is no
# stored file, and one deleted between listing and reading must not fail a backup.
HEALTH_PROBES = "health-probes"


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in `storage`, by its storage name, folder by folder in name order (the
    health page's probes aside)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet: the data directory's files/ is made later
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        if not folder and sub == HEALTH_PROBES:
            continue
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def referenced_names() -> set[str]:
    """Every storage name a row refers to: each FileField of each installed model (documents,
    kept e-mails...), the attachments the outbox sends from the storage, and what apps
    registered (register_references)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                values = (
                    model._default_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator(chunk_size=5000)
                )
                names.update(value for value in values if value)
    names.update(
        OutgoingAttachment.objects.values_list("stored_as", flat=True).iterator(chunk_size=5000)
    )
    for references in REFERENCES.values():
        names.update(references())
    return names
