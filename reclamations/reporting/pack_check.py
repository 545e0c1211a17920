"""Checking an audit pack offline (pure: the ZIP alone, no database): every file the manifest
lists is there with its SHA-256, nothing else is, and the chronology was intact when the pack
was made. `reclamations verify-pack` prints what this finds."""

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

MANIFEST = "manifeste.json"
CHUNK = 1 << 20


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while block := stream.read(CHUNK):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


@dataclass
class PackCheck:
    files: int = 0
    problems: list[str] = field(default_factory=list)
    chronology: str = ""
    chronology_intact: bool = False
    # The chain's head the pack witnessed ("CCS:000653:9f2c4e0b7a1d3c58"), "" in an older pack.
    head: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and self.chronology_intact


def check_pack(source: str | IO[bytes]) -> PackCheck:
    """What is wrong with the pack, in French; nothing when it is as it was made."""
    result = PackCheck()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        result.problems.append(f"Ce fichier n'est pas une archive ZIP lisible ({error}).")
        return result
    with archive:
        try:
            manifest: dict[str, Any] = json.loads(archive.read(MANIFEST))
            listed = {entry["path"]: entry for entry in manifest["files"]}
            chronology = manifest["chronology"]
        except (KeyError, ValueError, TypeError) as error:
            result.problems.append(f"Manifeste absent ou illisible ({MANIFEST} : {error}).")
            return result
        present = {name for name in archive.namelist() if not name.endswith("/")} - {MANIFEST}
        for missing in sorted(set(listed) - present):
            result.problems.append(f"Fichier absent de l'archive : {missing}.")
        for extra in sorted(present - set(listed)):
            result.problems.append(f"Fichier ajouté, absent du manifeste : {extra}.")
        for path in sorted(set(listed) & present):
            with archive.open(path) as stream:
                digest, size = sha256_of(stream)
            expected = listed[path]
            if digest != expected.get("sha256") or size != expected.get("size"):
                result.problems.append(
                    f"Fichier modifié depuis la constitution du dossier : {path}."
                )
            result.files += 1
    result.chronology_intact = bool(chronology.get("intact"))
    result.chronology = str(chronology.get("text", ""))
    result.head = str(chronology.get("head", ""))
    return result
