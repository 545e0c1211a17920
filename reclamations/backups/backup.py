"""`reclamations backup`: the database, every stored file and a manifest, in one archive."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reclamations.backups import archive, database
from reclamations.backups.models import BackupRun
from reclamations.backups.storage import stored_names

KEYS_NOT_INCLUDED = (
    "Les clés ne sont pas dans cette sauvegarde : conservez à part, en lieu sûr, le fichier "
    "secret_key et le fichier chain_key du dossier de données (ou les variables SECRET_KEY "
    "et de clé de chaîne). Sans la clé de chaîne, un registre restauré ne peut pas être "
    "vérifié."
)
KEYS_INCLUDED = (
    "Les clés (secret_key, chain_key) sont dans cette sauvegarde : qui la lit peut réécrire la "
    "chaîne d'empreintes. Conservez-la comme les clés elles-mêmes."
)
FILE_PREFIX = "reclamations-"
SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]

    def summary(self) -> str:
        counts = self.manifest["counts"]
        return (
            f"{self.path} ({self.size} octets) : {counts['complaints']} réclamations, "
            f"{counts['events']} événements, {counts['files']} fichiers"
        )


def default_name(now: datetime) -> str:
    """reclamations-2026-11-02-101500.tar.gz: sorted by name, sorted by date."""
    return f"{FILE_PREFIX}{timezone.localtime(now):%Y-%m-%d-%H%M%S}{SUFFIX}"


def output_path(given: Path, now: datetime) -> Path:
    """`given` itself, or a dated name inside it when it is a folder."""
    if given.is_dir():
        return given / default_name(now)
    return given


def chain_key_file() -> Path:
    """Where the chain's keys are kept when they are not in the environment (decision 0021)."""
    given = getattr(settings, "RECLAMATIONS_CHAIN_KEY_FILE", "")
    return Path(given) if given else Path(settings.DATA_DIR) / "chain_key"


def _key_files() -> list[tuple[str, Path]]:
    """The key files there are, each with its name in the archive (keys/NAME)."""
    found = [
        ("secret_key", Path(settings.DATA_DIR) / "secret_key"),
        ("chain_key", chain_key_file()),
    ]
    return [(name, path) for name, path in found if path.is_file()]


def _chain_key_present() -> bool:
    return bool(getattr(settings, "RECLAMATIONS_CHAIN_KEY", "")) or chain_key_file().is_file()


class SlotTaken(Exception):
    """Another worker took this scheduled backup."""


def backup_create(
    *, output: Path, with_keys: bool = False, slot: str | None = None
) -> BackupResult:
    """Write a backup to `output` (a file, or a folder that receives a dated name), recorded
    as a BackupRun. Written next to it under a temporary name and renamed once complete: a
    file with the final name is always a whole backup. `slot`: the scheduled backup this is
    (SlotTaken when another worker took it)."""
    started = timezone.now()
    target = output_path(output, started)
    try:
        with transaction.atomic():
            run = BackupRun.objects.create(started_at=started, path=str(target), slot=slot)
    except IntegrityError:
        raise SlotTaken(slot) from None
    try:
        result = _write(target, with_keys=with_keys, started=started)
    except BaseException as error:
        BackupRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    BackupRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), succeeded=True, size=result.size
    )
    return result


def _write(target: Path, *, with_keys: bool, started: datetime) -> BackupResult:
    engine = database.engine()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    # The copy of the database is made next to the archive: the same disk has room for both.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        copy = Path(work) / "database"
        # The database first, then the files: a file is written before the row that names it
        # commits, so every file the copy names is already in the storage when it is listed.
        if engine == database.SQLITE:
            facts = database.sqlite_snapshot(connection.settings_dict["NAME"], copy)
        else:
            facts = database.postgres_snapshot(copy)
        try:
            # Readable by its owner only: a backup holds every client's personal data.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                writer = archive.ArchiveWriter(out)
                with open(copy, "rb") as stream:
                    writer.add(archive.DATABASE_MEMBERS[engine], stream, copy.stat().st_size)
                files = 0
                for name in stored_names(default_storage):
                    with default_storage.open(name, "rb") as stream:
                        writer.add(f"files/{name}", stream, default_storage.size(name))
                    files += 1
                keys = _key_files() if with_keys else []
                for name, key in keys:
                    with open(key, "rb") as stream:
                        writer.add(f"keys/{name}", stream, key.stat().st_size)
                manifest = writer.finish(_manifest(engine, facts, started, files=files, keys=keys))
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return BackupResult(target, target.stat().st_size, manifest)


def _manifest(
    engine: str,
    facts: database.RegisterFacts,
    started: datetime,
    *,
    files: int,
    keys: list[tuple[str, Path]],
) -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        application = version("reclamations")
    except PackageNotFoundError:  # run from a checkout that was never installed
        application = ""
    return {
        "format": archive.FORMAT,
        "version": archive.VERSION,
        "created_at": started.isoformat(),
        "application_version": application,
        "database": {"engine": engine, "member": archive.DATABASE_MEMBERS[engine]},
        "migrations": facts.migrations,
        "organisations": facts.organisations,
        "counts": {**facts.counts, "files": files},
        "chain_heads": facts.chain_heads,
        "keys": {
            "included": [name for name, _path in keys],
            "chain_key_present": _chain_key_present(),
            "note": KEYS_INCLUDED if keys else KEYS_NOT_INCLUDED,
        },
    }
