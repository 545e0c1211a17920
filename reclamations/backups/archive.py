"""The backup archive: a gzip-compressed tar written and read as a stream, member by member,
each member's SHA-256 computed as it passes; the manifest last, naming every member.

    database/reclamations.sqlite3 | database/reclamations.pgdump
    files/<storage name>            every stored file
    keys/secret_key, keys/chain_key only with --with-keys
    manifest.json                   written last: the hashes are known only then
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

MANIFEST = "manifest.json"
FORMAT = "reclamations-backup"
VERSION = 1
CHUNK = 1024 * 1024
DATABASE_MEMBERS = {
    "sqlite": "database/reclamations.sqlite3",
    "postgresql": "database/reclamations.pgdump",
}
# Most stored files (PDF, JPEG, PNG) are compressed already; the database and the e-mails
# gain most at the first levels.
COMPRESS_LEVEL = 3


class HashingReader:
    """Reads from `stream` while hashing what passes; tarfile copies members through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


class ArchiveWriter:
    """Adds members to a tar.gz stream, remembering each one's size and SHA-256."""

    def __init__(self, out: IO[bytes]) -> None:
        self._gzip = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=COMPRESS_LEVEL)
        self._tar = tarfile.open(  # noqa: SIM115 (closed by finish())
            fileobj=self._gzip, mode="w|", format=tarfile.PAX_FORMAT
        )
        self.entries: list[Entry] = []

    def add(self, name: str, stream: IO[bytes], size: int) -> Entry:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        reader = HashingReader(stream)
        self._tar.addfile(info, reader)  # read() is all tarfile needs
        if reader.size != size:
            raise OSError(
                f"{name} a changé pendant la sauvegarde ({size} puis {reader.size} octets)."
            )
        entry = Entry(name, size, reader.digest.hexdigest())
        self.entries.append(entry)
        return entry

    def finish(self, manifest: dict[str, Any]) -> dict[str, Any]:
        """Write `manifest` with every member's size and SHA-256, last; return it."""
        manifest = {
            **manifest,
            "files": [{"name": e.name, "size": e.size, "sha256": e.sha256} for e in self.entries],
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(time.time())
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(data))
        self._tar.close()
        self._gzip.close()
        return manifest


class DamagedArchive(Exception):
    """The archive is not a backup, or does not match its manifest."""


def safe_member_name(name: str) -> bool:
    """A relative path without '..' (a member never lands outside the place it is meant for)."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def members(stream: IO[bytes]) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """Each regular file of the archive with its content, in order, read as a stream."""
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tar:
            for info in tar:
                if not info.isfile():
                    raise DamagedArchive(f"élément inattendu dans l'archive : {info.name}")
                content = tar.extractfile(info)
                assert content is not None  # a regular file always has content
                yield info, content
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, OSError) as error:
        raise DamagedArchive(f"archive illisible ({error})") from error


def hash_stream(content: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: content.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def checked_manifest(stream: IO[bytes]) -> dict[str, Any]:
    """Read the whole archive, hash every member and compare with the manifest: the manifest
    when everything matches, DamagedArchive naming the first difference otherwise."""
    seen: dict[str, tuple[int, str]] = {}
    manifest: dict[str, Any] | None = None
    for info, content in members(stream):
        if info.name == MANIFEST:
            try:
                manifest = json.loads(content.read())
            except ValueError as error:
                raise DamagedArchive(f"manifeste illisible ({error})") from error
            continue
        if manifest is not None:
            raise DamagedArchive(f"{info.name} se trouve après le manifeste")
        if not safe_member_name(info.name) or info.name in seen:
            raise DamagedArchive(f"nom d'élément refusé : {info.name}")
        seen[info.name] = hash_stream(content)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DamagedArchive("ce n'est pas une sauvegarde de Réclamations (manifeste absent)")
    if manifest.get("version") != VERSION:
        raise DamagedArchive(f"version de sauvegarde inconnue : {manifest.get('version')}")
    listed = {item["name"]: (int(item["size"]), item["sha256"]) for item in manifest["files"]}
    for name, (size, sha256) in listed.items():
        if name not in seen:
            raise DamagedArchive(f"{name} manque")
        if seen[name] != (size, sha256):
            raise DamagedArchive(
                f"{name} ne correspond pas au manifeste (taille {seen[name][0]} au lieu de "
                f"{size}, SHA-256 {seen[name][1]} au lieu de {sha256})"
            )
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise DamagedArchive(f"{extra[0]} n'est pas dans le manifeste")
    return manifest
