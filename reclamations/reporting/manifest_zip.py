"""A ZIP written as it goes, with the SHA-256 of every file in a manifest: the audit pack
(audit_pack.py) and the subject-access export (privacy.subject_export) are made with it.
Each file is copied a chunk at a time, so a pack never holds a whole document in memory."""

import hashlib
import io
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import IO

from reclamations.reporting.pack_check import CHUNK, MANIFEST

_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_name(name: str, fallback: str) -> str:
    """A file name any system unzips: no folders, no control characters, 100 characters."""
    name = unicodedata.normalize("NFC", name).replace("/", "_").replace("\\", "_")
    name = _UNSAFE.sub("_", name).strip(" ._")
    return (name or fallback)[:100]


class ManifestZip:
    """The archive being written into `target` (a path or a binary file object, which need not
    be seekable); every entry dated `made_at`. close() writes the manifest, the list of files
    with their SHA-256 and size added to what the caller gives."""

    def __init__(self, target: str | IO[bytes], made_at: datetime) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[dict[str, object]] = []
        self.stamp = made_at.timetuple()[:6]

    def _entry(self, path: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(path, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        return entry

    def add_stream(self, path: str, source: IO[bytes]) -> None:
        """Copy `source` into the archive, hashing it on the way (a chunk at a time)."""
        digest = hashlib.sha256()
        size = 0
        with self.zip.open(self._entry(path), "w", force_zip64=True) as out:
            while block := source.read(CHUNK):
                digest.update(block)
                out.write(block)
                size += len(block)
        self.files.append({"path": path, "sha256": digest.hexdigest(), "size": size})

    def add_bytes(self, path: str, content: bytes) -> None:
        self.add_stream(path, io.BytesIO(content))

    def add_written(self, path: str, write: Callable[[IO[bytes]], object]) -> None:
        with tempfile.TemporaryFile() as spool:
            write(spool)
            spool.seek(0)
            self.add_stream(path, spool)

    def close(self, manifest: dict[str, object]) -> None:
        manifest["files"] = self.files
        self.zip.writestr(self._entry(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=1))
        self.zip.close()
