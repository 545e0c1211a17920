"""The worker's backups: one every RECLAMATIONS_BACKUP_EVERY_HOURS into
RECLAMATIONS_BACKUP_DIR, the last RECLAMATIONS_BACKUP_KEEP kept."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from reclamations.backups.backup import (
    FILE_PREFIX,
    SUFFIX,
    SlotTaken,
    backup_create,
    default_name,
)
from reclamations.backups.models import BackupRun

logger = logging.getLogger(__name__)

# A failed backup is tried again an hour later, not at every turn of the worker.
RETRY_AFTER = timedelta(hours=1)
# Staff pages warn managers when no backup succeeded for this long.
ALERT_AFTER = timedelta(days=2)


def last_success() -> datetime | None:
    run = BackupRun.objects.filter(succeeded=True).order_by("-finished_at").first()
    return run.finished_at if run else None


def _due(now: datetime) -> bool:
    every = timedelta(hours=settings.RECLAMATIONS_BACKUP_EVERY_HOURS)
    succeeded = last_success()
    if succeeded is not None and succeeded > now - every:
        return False
    return not BackupRun.objects.filter(started_at__gt=now - RETRY_AFTER).exists()


def scheduled_backup() -> str:
    """The worker's job: a backup when one is due, then the old ones beyond the count
    removed. A failure is logged, recorded and raised: the worker logs it as a failed job, and
    the staff pages warn managers after two days without a backup."""
    folder: Path | None = settings.RECLAMATIONS_BACKUP_DIR
    if folder is None:
        return "sauvegardes programmées désactivées (RECLAMATIONS_BACKUP_DIR=off)"
    now = timezone.now()
    if not _due(now):
        return "aucune sauvegarde due"
    try:
        # The slot (this hour) is unique: two workers never take the same scheduled backup.
        result = backup_create(output=folder / default_name(now), slot=f"{now:%Y-%m-%dT%H}")
    except SlotTaken:
        return "sauvegarde prise par un autre worker"
    removed = prune(folder, keep=settings.RECLAMATIONS_BACKUP_KEEP)
    return f"{result.summary()} ; anciennes sauvegardes supprimées : {len(removed)}"


def prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete the backups in `folder` beyond the `keep` newest (by their dated names); any
    other file there is left alone."""
    backups = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.name.startswith(FILE_PREFIX) and path.name.endswith(SUFFIX)
    )
    old = backups[:-keep] if keep else backups
    for path in old:
        path.unlink()
        logger.info("Ancienne sauvegarde supprimée : %s", path)
    return old
