"""The keys that seal the chronology's chain, kept outside the database (decision 0021).

The current key is `RECLAMATIONS_CHAIN_KEY` with the old ones in `RECLAMATIONS_CHAIN_KEYS_OLD`,
or else a key file (`RECLAMATIONS_CHAIN_KEY_FILE`, by default `chain_key` in the data
directory, created once with mode 600): one key per line, the last one current, the others
kept to verify the events they sealed. A key's id is derived from it (chain.key_id_of).

The keys are read once per process; `reclamations chain-key rotate` appends a new one.
"""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reclamations.complaints.chain import SealingKey

MIN_SECRET_LENGTH = 32
KEY_FILE_NAME = "chain_key"
_HEADER = (
    "# Clés de la chaîne d'empreintes de la chronologie (une par ligne, la dernière est la clé\n"
    "# en cours). À sauvegarder À PART de la base de données ; sans elles, la chronologie ne\n"
    "# peut plus être vérifiée. Ne jamais modifier ni supprimer une ligne.\n"
)


class ChainKeyError(ImproperlyConfigured):
    """The chain's key cannot be read: nothing is sealed without it."""


@dataclass(frozen=True)
class Keyring:
    current: SealingKey
    by_id: Mapping[str, SealingKey]
    source: str  # where the keys come from, in French


def key_file() -> Path:
    given = getattr(settings, "RECLAMATIONS_CHAIN_KEY_FILE", "")
    return Path(given) if given else Path(settings.DATA_DIR) / KEY_FILE_NAME


def _checked(secret: str, where: str) -> bytes:
    if len(secret) < MIN_SECRET_LENGTH:
        raise ChainKeyError(
            f"{where} : une clé de la chaîne compte au moins {MIN_SECRET_LENGTH} caractères "
            f"(reçu {len(secret)})."
        )
    return secret.encode()


def _keyring(secrets_in_order: list[bytes], source: str) -> Keyring:
    keys = [SealingKey(secret) for secret in secrets_in_order]
    return Keyring(keys[-1], {key.id: key for key in keys}, source)


def _from_environment(current: str, old: list[str]) -> Keyring:
    ordered = [_checked(s, "RECLAMATIONS_CHAIN_KEYS_OLD") for s in old]
    ordered.append(_checked(current.strip(), "RECLAMATIONS_CHAIN_KEY"))
    return _keyring(ordered, "RECLAMATIONS_CHAIN_KEY")


def _read_file(path: Path) -> list[bytes]:
    try:
        text = path.read_text()
    except OSError as error:
        raise ChainKeyError(f"Clé de la chaîne illisible : {path} ({error.strerror}).") from None
    lines = [line.strip() for line in text.splitlines()]
    found = [_checked(line, str(path)) for line in lines if line and not line.startswith("#")]
    if not found:
        raise ChainKeyError(
            f"Clé de la chaîne introuvable : le fichier {path} n'en contient aucune."
        )
    return found


def _write_new_file(path: Path) -> None:
    """Create the key file with one new key, readable by its owner only. Written aside, then
    linked into place: another process creating it at the same moment keeps its own, and
    both then read the one that won."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spare = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as stream:
        stream.write(_HEADER + secrets.token_hex(32) + "\n")
    try:
        os.link(spare, path)
    except FileExistsError:
        pass
    finally:
        spare.unlink()


def _sealed_events_exist() -> bool:
    from reclamations.complaints.models import ComplaintEvent

    return ComplaintEvent.objects.exclude(key_id="").exists()


def _from_file() -> Keyring:
    path = key_file()
    if not path.exists():
        if getattr(settings, "RECLAMATIONS_CHAIN_KEY_FILE", ""):
            raise ChainKeyError(
                f"Clé de la chaîne introuvable : le fichier {path} (RECLAMATIONS_CHAIN_KEY_FILE) "
                "n'existe pas. Restaurez-le depuis sa sauvegarde ; sans sa clé, la chronologie "
                "ne peut être ni scellée ni vérifiée."
            )
        if _sealed_events_exist():
            # A data directory restored without its key: a new key would seal new events
            # while the register's own could no longer be verified.
            raise ChainKeyError(
                f"Clé de la chaîne introuvable : le fichier {path} n'existe pas alors que la "
                "chronologie contient des événements scellés par une clé. Restaurez ce fichier "
                "depuis sa sauvegarde (ou donnez la clé par RECLAMATIONS_CHAIN_KEY)."
            )
        _write_new_file(path)
    return _keyring(_read_file(path), str(path))


_loaded: dict[tuple[str, tuple[str, ...], str], Keyring] = {}


def keyring() -> Keyring:
    """The chain's keys, read once per process (and again when the settings change)."""
    current = getattr(settings, "RECLAMATIONS_CHAIN_KEY", "")
    old = tuple(getattr(settings, "RECLAMATIONS_CHAIN_KEYS_OLD", ()))
    where = (current, old, str(key_file()))
    found = _loaded.get(where)
    if found is None:
        found = _from_environment(current, list(old)) if current else _from_file()
        _loaded.clear()
        _loaded[where] = found
    return found


def forget() -> None:
    """Read the keys again at the next use (after a rotation)."""
    _loaded.clear()


def rotate() -> SealingKey:
    """Append a new current key to the key file; the previous ones stay, to verify the events
    they sealed. Refused when the key is given by the environment: the new one is set there."""
    if getattr(settings, "RECLAMATIONS_CHAIN_KEY", ""):
        raise ChainKeyError(
            "La clé de la chaîne est donnée par RECLAMATIONS_CHAIN_KEY : pour en changer, "
            "ajoutez la clé actuelle à RECLAMATIONS_CHAIN_KEYS_OLD (séparées par des virgules) "
            "et donnez la nouvelle dans RECLAMATIONS_CHAIN_KEY, puis redémarrez l'application."
        )
    keyring()  # the file exists and is readable, or a clear error
    secret = secrets.token_hex(32)
    with key_file().open("a") as stream:
        stream.write(secret + "\n")
    forget()
    return keyring().current


def new_secret() -> str:
    return secrets.token_hex(32)
