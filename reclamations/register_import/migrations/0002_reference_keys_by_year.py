"""The lines imported before keys carried the year of reception ("reference:2024-001") take
the year of the complaint each became ("reference:2024:2024-001"), as the import now keys
them: a register restarting its numbering each year is no longer "already imported".

A reference too long for the key was stored as its SHA-256 ("reference-sha256:..."), which
cannot be read back: such a line (a reference of about 190 characters, which nobody types)
keeps its key, and would be created again if imported again."""

import hashlib
from typing import Any

from django.db import migrations

PREFIX = "reference:"


def forwards(apps: Any, schema_editor: Any) -> None:
    ImportedLine = apps.get_model("register_import", "ImportedLine")
    lines = ImportedLine.objects.filter(key__startswith=PREFIX).select_related("complaint")
    for line in lines.iterator(chunk_size=500):
        reference = line.key[len(PREFIX) :]
        key = f"{PREFIX}{line.complaint.received_on.year}:{reference}"
        if len(key) > 200:  # as services.key_of does
            key = "reference-sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        line.key = key
        line.save(update_fields=["key"])


def backwards(apps: Any, schema_editor: Any) -> None:
    ImportedLine = apps.get_model("register_import", "ImportedLine")
    for line in ImportedLine.objects.filter(key__startswith=PREFIX).iterator(chunk_size=500):
        year, _, reference = line.key[len(PREFIX) :].partition(":")
        if year.isdigit():
            line.key = PREFIX + reference
            line.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("register_import", "0001_imported_registers")]

    operations = [migrations.RunPython(forwards, backwards)]
