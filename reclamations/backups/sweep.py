"""Stored files no row refers to: written before a crash (a file is stored inside the
transaction that records it; the process died before the commit). Moved to a quarantine
folder of the storage, never deleted."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from reclamations.backups.storage import QUARANTINE, referenced_names, stored_names

logger = logging.getLogger(__name__)

# A file younger than this may belong to a transaction still running: never swept.
MIN_AGE = timedelta(hours=1)


@dataclass
class SweepReport:
    dry_run: bool
    orphans: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)
    fresh: int = 0  # orphans for now, but too young to tell

    def summary(self) -> str:
        if self.dry_run:
            return (
                f"fichiers orphelins : {len(self.orphans)} (simulation, rien déplacé) ; "
                f"trop récents pour en juger : {self.fresh}"
            )
        return (
            f"fichiers orphelins mis en quarantaine : {len(self.moved)} ; trop récents pour en "
            f"juger : {self.fresh}"
        )


def sweep_orphan_files(
    *, dry_run: bool = False, storage: Storage | None = None, now: datetime | None = None
) -> SweepReport:
    """Move to quarantine/DATE/ every stored file older than MIN_AGE that no row names."""
    storage = storage or default_storage
    now = now or timezone.now()
    report = SweepReport(dry_run=dry_run)
    # The files first, then the references: a row committed in between names a file already
    # listed, and that file is then seen as referenced, never as an orphan.
    candidates = [name for name in stored_names(storage) if not name.startswith(f"{QUARANTINE}/")]
    referenced = referenced_names()
    folder = f"{QUARANTINE}/{timezone.localtime(now):%Y-%m-%d}"
    for name in candidates:
        if name in referenced:
            continue
        if storage.get_modified_time(name) > now - MIN_AGE:
            report.fresh += 1
            continue
        report.orphans.append(name)
        if dry_run:
            continue
        with storage.open(name, "rb") as stream:
            moved_to = storage.save(f"{folder}/{name}", stream)
        storage.delete(name)
        report.moved.append((name, moved_to))
        logger.warning("Fichier orphelin mis en quarantaine : %s -> %s", name, moved_to)
    return report
