"""The registers imported: each file kept as received with its SHA-256, and each line that became
a complaint (so that importing it again creates nothing twice)."""

import uuid

from django.conf import settings
from django.db import models

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation


def source_path(instance: "RegisterImport", filename: str) -> str:
    return f"registres-importes/{instance.organisation_id}/{uuid.uuid4().hex}"


class RegisterImport(models.Model):
    """A register's file, uploaded for its mapping and dry run, then imported (or, never
    imported, deleted after a day). Once imported it is the evidence of where its complaints
    come from: `reclamations verify` hashes it again."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=source_path, max_length=255)
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("déposé le")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField("importé le", null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_count = models.PositiveIntegerField("réclamations créées", default=0)
    # The file names the clients of all its lines: deleted (its name emptied) once every
    # complaint it created is anonymised (register_import.purge, docs/privacy.md).
    purged_on = models.DateField("fichier supprimé le", null=True, blank=True)

    class Meta:
        verbose_name = "registre importé"
        indexes = [
            models.Index(fields=["organisation", "sha256"], name="register_import_by_sha256"),
        ]

    def __str__(self) -> str:
        return self.original_name


class ImportedLine(models.Model):
    """A line of an imported register and the complaint it became. Its key (the line's old
    reference, else the fingerprint of its cells) is unique in the organisation: the same line,
    in the same file or another, is never imported twice."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, related_name="lines")
    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="+")
    line = models.PositiveIntegerField("ligne")
    key = models.CharField(max_length=200)

    class Meta:
        verbose_name = "ligne importée"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="imported_line_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.line}"
