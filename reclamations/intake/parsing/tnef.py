"""winmail.dat (TNEF, MS-OXTNEF): the files and the body Outlook wrapped in it. Pure.

Outlook and Exchange sometimes send a message's attachments, and its "rich text" body, inside
one `winmail.dat` (application/ms-tnef) that other clients cannot open. `tnefparse` reads it
(docs/decisions/0017). Its structure is checked here first: every attribute's length and
checksum, and the property counts, so that a damaged file is reported, never half-read (and
never sends the library round a four-billion-step loop on a corrupt count).
"""

import struct
from dataclasses import dataclass

from tnefparse.tnef import TNEF

from reclamations.intake.parsing.bodies import html_to_text
from reclamations.intake.parsing.rtf import rtf_text

SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian
TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
_HEADER = 6  # signature and legacy key
_ATTRIBUTE_FRAME = 11  # level (1), id and type (4), length (4) ... checksum (2)
_PROPERTY_LISTS = (0x9003, 0x9005)  # attMsgProps, attAttachment: a MAPI property count first
_MIN_PROPERTY = 8  # a MAPI property takes at least its tag and four bytes of value
_MAX_FILES = 500


@dataclass(frozen=True)
class UnpackedFile:
    name: str  # as Outlook recorded it (long name first); may be "" or a path
    content_type: str  # the MIME type Outlook recorded, "" when none
    payload: bytes


@dataclass(frozen=True)
class Unpacked:
    """What a winmail.dat holds; `error` (French) says why nothing was taken out of it."""

    files: tuple[UnpackedFile, ...] = ()
    text: str = ""
    html: str = ""
    body_format: str = ""  # "texte", "HTML" or "RTF": which body `text` was read from
    error: str = ""


def is_tnef(filename: str | None, content_type: str, payload: bytes) -> bool:
    """Whether an attachment claims or looks to be a winmail.dat."""
    named = (filename or "").strip().lower().rsplit("/", 1)[-1] == "winmail.dat"
    return named or content_type in TNEF_TYPES or payload.startswith(SIGNATURE)


def unpack_tnef(payload: bytes) -> Unpacked:
    """The files and body inside a winmail.dat; never raises."""
    problem = _structure_problem(payload)
    if problem:
        return Unpacked(error=problem)
    try:
        # Checked twice, but do_checksum=False logs a line at INFO level for every file.
        tnef = TNEF(payload, do_checksum=True)
        files = tuple(_file(attachment, tnef.codepage) for attachment in tnef.attachments)
        text, html, body_format = _body(tnef)
    except Exception as exc:  # the library's own failure modes on odd content
        return Unpacked(error=f"contenu illisible ({type(exc).__name__})")
    files = tuple(file for file in files if file.payload)
    if len(files) > _MAX_FILES:
        return Unpacked(error=f"{len(files)} fichiers annoncés, plus que les {_MAX_FILES} admis")
    return Unpacked(files=files, text=text, html=html, body_format=body_format)


def _structure_problem(data: bytes) -> str:
    """Why `data` is no sound TNEF stream, in French; "" when every attribute checks out."""
    if not data.startswith(SIGNATURE):
        return "signature TNEF absente"
    if len(data) < _HEADER:
        return "fichier tronqué"
    offset = _HEADER
    while offset < len(data):
        if len(data) - offset < _ATTRIBUTE_FRAME:
            return "fichier tronqué"
        attribute_id, length = struct.unpack_from("<HxxI", data, offset + 1)
        end = offset + 9 + length
        if end + 2 > len(data):
            return "fichier tronqué"
        value = data[offset + 9 : end]
        (checksum,) = struct.unpack_from("<H", data, end)
        if sum(value) & 0xFFFF != checksum:
            return "somme de contrôle incorrecte : contenu altéré"
        if attribute_id in _PROPERTY_LISTS and (
            length < 4 or struct.unpack_from("<I", value)[0] * _MIN_PROPERTY > length - 4
        ):
            return "liste de propriétés incohérente"
        offset = end + 2
    return ""


def _file(attachment: object, codepage: str | None) -> UnpackedFile:
    properties = {p.name: p for p in getattr(attachment, "mapi_attrs", [])}
    name = ""
    for tag in (0x3707, 0x3704, 0x3001):  # long file name, 8.3 file name, display name
        if tag in properties and isinstance(properties[tag].data, str):
            name = properties[tag].data
            break
    if not name:
        # attAttachTitle, in the sender's code page (tnefparse would read it as UTF-8).
        title = getattr(attachment, "_name", b"")
        name = title.decode(codepage or "cp1252", "replace") if isinstance(title, bytes) else title
    mime = properties[0x370E].data if 0x370E in properties else ""
    data = getattr(attachment, "data", b"")
    return UnpackedFile(
        name=name.strip("\x00"),
        content_type=mime.strip().lower() if isinstance(mime, str) else "",
        payload=data if isinstance(data, bytes) else b"",
    )


def _body(tnef: TNEF) -> tuple[str, str, str]:
    """The body Outlook wrapped: plain text first, then HTML, then RTF."""
    codepage = tnef.codepage or "cp1252"
    if tnef.body:
        body = tnef.body
        text = body.decode(codepage, "replace") if isinstance(body, bytes) else str(body)
        if text.strip("\x00 \r\n"):
            return text.replace("\x00", ""), "", "texte"
    if tnef.htmlbody:
        body = tnef.htmlbody
        html = body.decode(codepage, "replace") if isinstance(body, bytes) else str(body)
        return html_to_text(html), html, "HTML"
    if tnef.has_body():
        try:
            rtf = tnef.rtfbody  # decompressed by compressed_rtf
        except Exception:  # a damaged RTF body: the files are still worth taking out
            return "", "", ""
        if isinstance(rtf, bytes):
            return rtf_text(rtf), "", "RTF"
    return "", "", ""
