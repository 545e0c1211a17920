"""`reclamations restore`: a backup put back into an empty data directory and database, after
every hash of its manifest was checked; then migrated if it is older than the code, and
verified."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db.migrations.loader import MigrationLoader

from reclamations.backups import archive, database
from reclamations.backups.database import BackupError, PostgresTarget
from reclamations.backups.storage import stored_names


@dataclass(frozen=True)
class Target:
    """Where a backup is restored: a data directory, its storage and one database."""

    data_dir: Path
    storage: Storage
    engine: str
    sqlite_path: Path | None = None
    postgres: PostgresTarget | None = None
    chain_key_file: Path | None = None
    chain_key_in_environment: bool = False
    # The environment the restored installation runs in (for migrate and verify).
    environment: dict[str, str] = field(default_factory=dict)

    def key_path(self, name: str) -> Path:
        if name == "chain_key" and self.chain_key_file is not None:
            return self.chain_key_file
        return self.data_dir / name

    def describe_database(self) -> str:
        if self.sqlite_path is not None:
            return f"la base SQLite {self.sqlite_path}"
        assert self.postgres is not None
        return f"la base PostgreSQL {self.postgres.name}"


def sqlite_target(data_dir: Path, environment: dict[str, str]) -> Target:
    """A data directory of its own, as `reclamations` sets one up without DATABASE_URL."""
    return Target(
        data_dir=data_dir,
        storage=FileSystemStorage(location=data_dir / "files"),
        engine=database.SQLITE,
        sqlite_path=data_dir / "reclamations.sqlite3",
        environment=environment,
    )


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    migrated: bool
    verify_ok: bool
    verify_output: str
    steps: list[str] = field(default_factory=list)


Say = Callable[[str], None]


def _is_empty(target: Target) -> list[str]:
    """What makes the target not empty (nothing: it may receive the backup)."""
    problems = []
    if target.sqlite_path is not None and not database.sqlite_is_empty(target.sqlite_path):
        problems.append(f"{target.describe_database()} contient déjà des tables")
    if target.postgres is not None and not database.postgres_is_empty(target.postgres):
        problems.append(f"{target.describe_database()} contient déjà des tables")
    first_file = next(iter(stored_names(target.storage)), None) if _storage_exists(target) else None
    if first_file is not None:
        problems.append(f"le stockage des fichiers contient déjà des fichiers ({first_file}…)")
    return problems


def _storage_exists(target: Target) -> bool:
    if isinstance(target.storage, FileSystemStorage):
        return Path(target.storage.location).is_dir()
    return True


def _pending_migrations(manifest: dict[str, Any]) -> tuple[bool, list[str]]:
    """(the code has migrations the backup lacks, the backup's migrations the code lacks)."""
    saved = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = loader.disk_migrations
    replaced = {old for migration in known.values() for old in migration.replaces}
    # A squashed migration counts as applied when everything it replaces was.
    missing = [
        key
        for key, migration in known.items()
        if key not in saved and not (migration.replaces and set(migration.replaces) <= saved)
    ]
    unknown = sorted(f"{app}.{name}" for app, name in saved - set(known) - replaced)
    return bool(missing), unknown


def backup_restore(*, archive_path: Path, target: Target, say: Say) -> RestoreResult:
    """Restore `archive_path` into `target`; BackupError says why it cannot be done, before
    anything is written whenever the reason is known beforehand."""
    if not archive_path.is_file():
        raise BackupError(f"Sauvegarde introuvable : {archive_path}.")
    problems = _is_empty(target)
    if problems:
        raise BackupError(
            "Restauration refusée : la destination n'est pas vide ("
            + " ; ".join(problems)
            + "). Une restauration ne mélange jamais deux registres : restaurez dans un dossier "
            "de données vide (--data-dir) et une base vide (créez-en une nouvelle, "
            "createdb), ou videz celles-ci si vous êtes sûr·e de vouloir les remplacer."
        )
    say(f"Vérification de l'archive {archive_path}…")
    try:
        with open(archive_path, "rb") as stream:
            manifest = archive.checked_manifest(stream)
    except archive.DamagedArchive as error:
        raise BackupError(
            f"Restauration refusée : l'archive est endommagée ou a été modifiée ({error}). Rien "
            "n'a été écrit. Prenez une autre sauvegarde."
        ) from None
    saved_engine = manifest["database"]["engine"]
    if saved_engine != target.engine:
        raise BackupError(
            f"Restauration refusée : la sauvegarde vient d'une base {saved_engine}, la "
            f"destination est une base {target.engine}. Passer de l'une à l'autre n'est pas "
            "pris en charge : restaurez sur le même moteur de base de données."
        )
    needs_migrate, unknown = _pending_migrations(manifest)
    if unknown:
        raise BackupError(
            "Restauration refusée : la sauvegarde vient d'une version plus récente de "
            f"l'application (migrations inconnues ici : {', '.join(unknown[:5])}). Installez "
            "la version qui l'a faite, ou une plus récente, puis recommencez."
        )
    _check_keys(manifest, target)
    counts = manifest["counts"]
    say(
        f"Archive intacte : {len(manifest['files'])} éléments vérifiés ({counts['complaints']} "
        f"réclamations, {counts['events']} événements, {counts['files']} fichiers)."
    )

    _extract(archive_path, manifest, target)
    say(f"Base et fichiers restaurés dans {target.describe_database()} et {target.data_dir}.")
    result = RestoreResult(manifest, needs_migrate, False, "")
    if needs_migrate:
        say("La sauvegarde précède la version installée : migrate…")
        done = _run(target, "migrate", "--no-input")
        if done.returncode != 0:
            raise BackupError(
                f"migrate a échoué après la restauration :\n{done.stdout}{done.stderr}"
            )
    say("Vérification du registre restauré (reclamations verify)…")
    done = _run(target, "verify")
    result.verify_ok = done.returncode == 0
    result.verify_output = (done.stdout + done.stderr).strip()
    return result


def _check_keys(manifest: dict[str, Any], target: Target) -> None:
    keys = manifest["keys"]
    if not keys.get("chain_key_present") or "chain_key" in keys["included"]:
        return
    if target.chain_key_in_environment or target.key_path("chain_key").is_file():
        return
    raise BackupError(
        "Restauration refusée : la sauvegarde ne contient pas la clé de la chaîne, et la "
        f"destination non plus ({target.key_path('chain_key')} absent). Copiez d'abord le "
        "fichier chain_key de l'installation sauvegardée à cet endroit (ou donnez la clé par "
        "RECLAMATIONS_CHAIN_KEY), puis recommencez : sans elle, le registre restauré ne peut "
        "pas être vérifié."
    )


class _Unseekable:
    """A tar member as Django's storage reads it: chunk by chunk, from the start."""

    def __init__(self, content: IO[bytes]) -> None:
        self.reader = archive.HashingReader(content)

    def read(self, size: int = -1) -> bytes:
        return self.reader.read(size)

    # Asked by object storage (django-storages) before it rewinds what it uploads.
    closed = False

    def seekable(self) -> bool:
        return False


def _extract(archive_path: Path, manifest: dict[str, Any], target: Target) -> None:
    listed = {item["name"]: item["sha256"] for item in manifest["files"]}
    database_member = manifest["database"]["member"]
    target.data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.data_dir, prefix=".restore-") as work:
        copy = Path(work) / "database"
        with open(archive_path, "rb") as stream:
            for info, content in archive.members(stream):
                if info.name == archive.MANIFEST:
                    continue
                wrapped = _Unseekable(content)
                if info.name == database_member:
                    with open(copy, "wb") as out:
                        shutil.copyfileobj(wrapped, out, archive.CHUNK)
                elif info.name.startswith("files/"):
                    name = info.name[len("files/") :]
                    upload = File(cast(IO[bytes], wrapped), name=name)
                    upload.size = info.size
                    saved = target.storage.save(name, upload)
                    if saved != name:
                        raise BackupError(f"Le fichier {name} a été enregistré sous {saved}.")
                elif info.name.startswith("keys/"):
                    _write_key(target.key_path(info.name[len("keys/") :]), wrapped)
                # The archive was read once already; read again, it must still be the same.
                if wrapped.reader.digest.hexdigest() != listed[info.name]:
                    raise BackupError(
                        f"L'archive a changé pendant la restauration ({info.name}) : la "
                        "restauration est incomplète. Videz la destination et recommencez."
                    )
        if target.sqlite_path is not None:
            target.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            database.sqlite_install(copy, target.sqlite_path)
        else:
            assert target.postgres is not None
            database.postgres_install(copy, target.postgres)


def _write_key(path: Path, content: _Unseekable) -> None:
    """A key from the backup, readable by its owner only; a key the destination had (made
    when the application started there) is kept beside it, never overwritten."""
    data = content.read()
    if path.exists():
        if path.read_bytes() == data:
            return
        os.replace(path, path.with_name(f"{path.name}.avant-restauration"))
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)


def _run(target: Target, *command: str) -> subprocess.CompletedProcess[str]:
    """A `reclamations` command on the restored installation, in a process of its own: its
    settings are the destination's, whatever this process was started with."""
    return subprocess.run(  # noqa: S603 (our own program and arguments)
        [sys.executable, "-m", "reclamations.cli", *command],
        env=target.environment,
        capture_output=True,
        text=True,
        check=False,
    )
