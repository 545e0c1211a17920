"""What became of each backup: the worker's schedule, the staff pages' warning and the
retention read it."""

from django.db import models


class BackupRun(models.Model):
    """One backup, by the worker or `reclamations backup`, whether it succeeded or not."""

    started_at = models.DateTimeField("commencée le")
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    succeeded = models.BooleanField("réussie", default=False)
    path = models.CharField("fichier", max_length=500, blank=True)
    size = models.PositiveBigIntegerField("taille", default=0)
    error = models.TextField("erreur", blank=True)
    # The hour a scheduled run was due ("2026-11-02T10"): unique, so that two workers on two
    # machines never take the same scheduled backup. Empty (NULL) for a backup by the command.
    slot = models.CharField(max_length=16, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "sauvegarde"
        indexes = [
            models.Index(
                fields=["-finished_at"],
                condition=models.Q(succeeded=True),
                name="backup_last_success",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'échec'}"
