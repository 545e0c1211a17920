"""Files kept as evidence: checked by content, size-limited, stored unchanged with SHA-256."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext, gettext_noop

from reclamations.complaints import file_content
from reclamations.complaints.file_content import active_content
from reclamations.complaints.models import Complaint, Document
from reclamations.core.languages import ENGLISH, active_language
from reclamations.core.models import User
from reclamations.core.rows import insert_new

# What staff may upload (scans of letters, written confirmations, copies of replies).
ACCEPTED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}


# A received or sent email (.eml), kept as evidence by the mail channel, never uploaded by staff.
MESSAGE_CONTENT_TYPE = "message/rfc822"


if TYPE_CHECKING:
    _BytesContentFile = ContentFile[bytes]
else:  # Django's File classes are not generic at run time, only in django-stubs
    _BytesContentFile = ContentFile


class EmailMessageFile(_BytesContentFile):
    """The exact bytes of an email. Its type is declared, not sniffed (nothing in an .eml says
    what it is), and no size limit applies: refusing it would lose the written complaint."""

    content_type = MESSAGE_CONTENT_TYPE

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content, name=name)


_NAME_MAX = Document._meta.get_field("original_name").max_length
MISSING_FILE = gettext_noop(
    "Le fichier de ce document est introuvable dans le stockage : prévenez l'administrateur."
)
PURGED_FILE = gettext_noop(
    "Le fichier de ce document a été supprimé lors de l'anonymisation de la réclamation ; son "
    "empreinte SHA-256 reste au registre."
)
logger = logging.getLogger(__name__)


def open_stored(document: Document) -> File[bytes] | None:
    """The stored file of `document`, open for reading; None, logged, when the storage has
    lost it (the row and its SHA-256 remain: MISSING_FILE says so to the reader) or the
    anonymisation deleted it (no file name left: PURGED_FILE)."""
    if not document.file:
        return None
    try:
        return document.file.open("rb")
    except FileNotFoundError:
        logger.error("Fichier absent du stockage : document %s (%s)", document.pk, document.file)
        return None


def human_size(size: int) -> str:
    # Rounded up: a file just over the limit must not read as "10 Mo : la limite est de 10 Mo".
    """ "2,4 Mo", "12 Ko": a file size as staff read it, rounded up; "2.4 MB", "12 KB" for an
    English reader (the active language)."""
    english = active_language() == ENGLISH
    if size >= 1024 * 1024:
        whole, tenth = divmod(math.ceil(size * 10 / (1024 * 1024)), 10)
        number = f"{whole}{'.' if english else ','}{tenth}" if tenth else f"{whole}"
        return f"{number} {'MB' if english else 'Mo'}"
    return f"{max(1, math.ceil(size / 1024))} {'KB' if english else 'Ko'}"


def sniff_content_type(head: bytes) -> str | None:
    """The file's real type from its first bytes, whatever its name says."""
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _chunks(content: bytes | IO[bytes]) -> Iterator[bytes]:
    if isinstance(content, bytes):
        yield content
        return
    content.seek(0)
    yield from iter(lambda: content.read(1024 * 1024), b"")
    content.seek(0)


def _head(content: bytes | IO[bytes]) -> bytes:
    if isinstance(content, bytes):
        return content[:8192]
    content.seek(0)
    head = content.read(8192)
    content.seek(0)
    return head


def check_upload(
    *, name: str, content: bytes | IO[bytes], size: int, max_bytes: int | None = None
) -> str:
    """Return the content type of an acceptable file, or raise a French ValidationError.

    The type is read from the first bytes; the whole content is then read for what a PDF or
    an image must not carry (file_content.active_content: a polyglot, a PDF's JavaScript)."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if size == 0:
        raise ValidationError(
            gettext("Le fichier « %(name)s » est vide.") % {"name": name}, code="empty"
        )
    if size > limit:
        raise ValidationError(
            gettext(
                "Le fichier « %(name)s » pèse %(size)s : la limite est de %(limit)s. Réduisez la "
                "résolution du scan ou découpez le document."
            )
            % {"name": name, "size": human_size(size), "limit": human_size(limit)},
            code="too_large",
        )
    content_type = sniff_content_type(_head(content))
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            gettext(
                "Le fichier « %(name)s » n'est pas un PDF, JPEG ou PNG valide (son contenu ne "
                "correspond pas). Enregistrez-le en PDF, JPEG ou PNG puis réessayez."
            )
            % {"name": name},
            code="bad_type",
        )
    found = active_content(content_type, _chunks(content))
    if found:
        raise ValidationError(
            gettext(
                "Le fichier « %(name)s » %(what)s : il n'est pas conservé, par sécurité. "
                "Imprimez-le en PDF (ou faites-en une capture) et joignez cette copie."
            )
            % {"name": name, "what": _active_content_words(found)},
            code="active_content",
        )
    return content_type


def _active_content_words(found: str) -> str:
    words = {
        file_content.FOREIGN: gettext("contient du code (HTML, script ou PHP)"),
        file_content.JAVASCRIPT: gettext("est un PDF qui contient du JavaScript"),
        file_content.LAUNCH: gettext("est un PDF qui lance un programme à son ouverture"),
        file_content.RICH_MEDIA: gettext("est un PDF qui contient un contenu multimédia actif"),
    }
    return words[found]


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def store_document(
    *,
    complaint: Complaint,
    upload: File[bytes],
    role: str,
    created_by: User | None,
    created_at: datetime,
    to_post: bool = False,
) -> Document:
    """Check and store `upload` as a document of `complaint` (`to_post`: a letter the
    application printed, for staff to post). Call inside the transaction."""
    document = unsaved_document(
        complaint=complaint,
        upload=upload,
        role=role,
        created_by=created_by,
        created_at=created_at,
        to_post=to_post,
    )
    insert_new(document)
    return document


def unsaved_document(
    *,
    complaint: Complaint,
    upload: File[bytes],
    role: str,
    created_by: User | None,
    created_at: datetime,
    to_post: bool = False,
) -> Document:
    """The document store_document saves: `upload` checked and its file written to the storage,
    the row not saved yet (the benchmark's generator inserts a whole register's rows at once)."""
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:_NAME_MAX]
    if isinstance(upload, EmailMessageFile):
        content_type = MESSAGE_CONTENT_TYPE
    else:
        content_type = check_upload(name=name, content=upload, size=upload.size)
    document = Document(
        organisation_id=complaint.organisation_id,
        complaint=complaint,
        role=role,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=_sha256(upload),
        created_at=created_at,
        created_by=created_by,
        to_post=to_post,
    )
    document.file.save(name, upload, save=False)
    return document
