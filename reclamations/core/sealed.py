"""Secrets the database keeps for the application to use later (a mailbox's password, an OAuth
client secret or refresh token), sealed with Fernet (AES-128-CBC and HMAC-SHA256, decision
0032) under a key derived from the installation's SECRET_KEY.

Whoever reads the database alone (a dump, a backup, a read-only role) reads no password: the
key lives where SECRET_KEY does (the environment, or `secret_key` in the data directory), apart
from the database. SECRET_KEY_FALLBACKS keep opening what an older key sealed, so a key can be
rotated: `reclamations mailbox reseal` then seals everything again under the current one.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext_noop

# The stored text starts with this, so that a sealed value is never mistaken for a clear one.
PREFIX = "fernet:"
# HKDF's "info": the key for this purpose only, unrelated to Django's own uses of SECRET_KEY
# (sessions, password reset links).
PURPOSE = b"reclamations: secrets kept in the database"


class SealedSecretError(Exception):
    """A stored secret that the installation's keys cannot open; the message says what to do."""


def _fernet_for(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(str(key)) for key in keys if key])


def seal(plain: str) -> str:
    """The text to store for `plain`; "" stays "" (no secret)."""
    if not plain:
        return ""
    return PREFIX + _keys().encrypt(plain.encode()).decode("ascii")


def unseal(stored: str) -> str:
    """The secret `seal` stored; "" for none."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise SealedSecretError(
            gettext_noop("Secret enregistré dans un format inconnu : saisissez-le à nouveau.")
        )
    try:
        return _keys().decrypt(stored[len(PREFIX) :].encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SealedSecretError(
            gettext_noop(
                "Secret illisible avec la clé de l'installation (SECRET_KEY changée sans garder "
                "l'ancienne dans SECRET_KEY_FALLBACKS ?) : saisissez-le à nouveau."
            )
        ) from error


def reseal(stored: str) -> str:
    """`stored` sealed again under the current key (after a rotation of SECRET_KEY)."""
    if not stored:
        return ""
    unseal(stored)  # the same French error for what cannot be opened
    return PREFIX + _keys().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")
