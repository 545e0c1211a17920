"""Attachments: the file name a part declares, a usable name, an attached message's bytes. Pure.

Every Attachment gets a name that is safe as a file name (no path, no control character, at
most 200 characters, never empty) and the sha256 of its decoded payload.
"""

import binascii
import hashlib
import re
from email.generator import BytesGenerator
from email.message import Message
from io import BytesIO

from reclamations.intake.parsing.bodies import _decode_base64
from reclamations.intake.parsing.headers import _from_surrogates, decode_header_text
from reclamations.intake.parsing.model import Attachment
from reclamations.intake.parsing.policies import _COMPAT_POLICY, _GENERATOR_POLICY
from reclamations.intake.parsing.text import _clean, _collapse

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "message/rfc822": ".eml",
    "message/delivery-status": ".txt",
    "text/rfc822-headers": ".txt",
}
_FILENAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")


def _attachment(filename: str | None, content_type: str, payload: bytes, number: int) -> Attachment:
    """The Attachment record of the `number`-th attachment (1-based) of a message."""
    return Attachment(
        filename=_attachment_name(filename, content_type, number),
        content_type=content_type,
        payload=payload,
        sha256=hashlib.sha256(payload).hexdigest(),
    )


def _filename_of(part: Message) -> str | None:
    """The filename a part declares, None if none; RFC 2047 words may still be encoded."""
    filename = part.get_filename()
    if filename is None or "\ufffd" not in filename:
        return filename
    # An undeclared 8-bit name ("réclamation.pdf" in Latin-1): the stdlib replaced its bytes
    # with "\ufffd"; read the parameters again from the raw header, decoded our way.
    probe = Message(policy=_COMPAT_POLICY)
    for name, value in part.raw_items():
        if name.lower() in ("content-disposition", "content-type"):
            probe[name] = _from_surrogates(str(value))[0]
    return probe.get_filename() or filename


def _attachment_name(filename: str | None, content_type: str, number: int) -> str:
    """A name safe to store and offer for download, "piece-jointe-N.ext" when there is none."""
    name = ""
    if filename:
        name, _ = decode_header_text(str(filename))
        name = _FILENAME_FORBIDDEN.sub("", name)
        # A path sent by the client's machine ("C:\\Users\\...\\devis.pdf") is not a name.
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
        # Spaces inside a name are the client's (a stored name must be the one sent): only
        # line breaks and tabs left by folding become spaces.
        name = _clean(name.replace("\r", " ").replace("\n", " ").replace("\t", " ")).strip(". ")
        if len(name) > 200:
            stem, dot, extension = name.rpartition(".")
            name = f"{stem[: 190 - len(extension)]}.{extension}" if dot else name[:200]
    if not name:
        name = f"piece-jointe-{number}{_EXTENSIONS.get(content_type, '.bin')}"
    return name


# --- Attached messages (message/*) --------------------------------------------------------


def _embedded_payload(part: Message) -> bytes:
    """The body of a message/* part, transfer-decoded if it declares base64 or QP."""
    payload = _body_bytes(part)
    encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
    if encoding == "base64":
        payload = _decode_base64(payload)
    elif encoding == "quoted-printable":
        payload = binascii.a2b_qp(payload)
    return payload


def _embedded_filename(part: Message, content_type: str) -> str | None:
    """The declared filename; else, for message/rfc822, "<its subject>.eml"; else None."""
    filename = part.get_filename()
    if not filename and content_type == "message/rfc822":
        inner = part.get_payload(0) if part.get_payload() else None
        if isinstance(inner, Message):
            subject, _ = decode_header_text(str(inner.get("subject", "") or ""))
            subject = _collapse(subject).replace("/", "-").replace("\\", "-")
            if subject:
                filename = f"{subject[:100]}.eml"
    return filename


def _body_bytes(part: Message) -> bytes:
    """The bytes of a message/* part's body, as close to what was received as possible."""
    buffer = BytesIO()
    try:
        BytesGenerator(buffer, mangle_from_=False, policy=_GENERATOR_POLICY).flatten(part)
    except Exception:  # a strange header must not lose the attached message
        return b""
    data = buffer.getvalue()
    _, separator, body = data.partition(b"\r\n\r\n")
    return body if separator else b""
