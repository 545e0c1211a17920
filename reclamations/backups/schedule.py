"""The worker's backups: one every RECLAMATIONS_BACKUP_EVERY_HOURS into
RECLAMATIONS_BACKUP_DIR, the last RECLAMATIONS_BACKUP_KEEP kept."""

from __future__ import annotations

import logging
from dataclasses import dataclass
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
from reclamations.core.models import Organisation

logger = logging.getLogger(__name__)

# A failed backup is tried again an hour later, not at every turn of the worker.
RETRY_AFTER = timedelta(hours=1)
# Staff pages warn managers when no backup succeeded for this long.
ALERT_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class BackupAlert:
    """No backup succeeded for too long: since when (None: never), and the last failure's
    error, if one failed."""

    last_success: datetime | None
    error: str = ""


def backup_alert(now: datetime) -> BackupAlert | None:
    """What the staff pages tell managers when the scheduled backup has not succeeded for two
    days (or two of its periods, if longer); None when all is well, or when the scheduled
    backup is off (the operator backs up otherwise). A new installation is given the same two
    days for its first backup."""
    if settings.RECLAMATIONS_BACKUP_DIR is None:
        return None
    every = timedelta(hours=settings.RECLAMATIONS_BACKUP_EVERY_HOURS)
    threshold = now - max(ALERT_AFTER, 2 * every)
    succeeded = last_success()
    if succeeded is not None and succeeded > threshold:
        return None
    if succeeded is None:
        installed = Organisation.objects.order_by("created_at").values_list("created_at", flat=True)
        first = installed.first()
        if first is None or first > threshold:
            return None
    failed = BackupRun.objects.filter(succeeded=False).order_by("-started_at").first()
    return BackupAlert(succeeded, failed.error if failed else "")


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
