"""Outlook's own attachments: a winmail.dat unpacked into its files, a .msg summarised. Pure.

The winmail.dat itself stays in the list (it is evidence, and the raw message that holds it is
kept whole anyway); the files taken out of it follow it, each marked with where it came from,
and go through the same checks as any attachment. A winmail.dat or .msg that cannot be read is
kept as it is, with a French note in the message's defects; nothing is dropped.
"""

import mimetypes
from dataclasses import dataclass, replace

from reclamations.intake.parsing.attachments import _attachment
from reclamations.intake.parsing.model import Attachment
from reclamations.intake.parsing.outlook_msg import is_outlook_message, read_outlook_message
from reclamations.intake.parsing.tnef import is_tnef, unpack_tnef

# The standard library's own table, not the machine's /etc/mime.types: the same on every host.
_TYPES = mimetypes.MimeTypes(filenames=())


@dataclass(frozen=True)
class WrappedBody:
    """A body Outlook sent inside a winmail.dat instead of as a MIME part."""

    source: str  # the winmail.dat's name
    body_format: str  # "texte", "HTML" or "RTF"
    text: str
    html: str


@dataclass(frozen=True)
class Expanded:
    attachments: tuple[Attachment, ...]
    notes: tuple[str, ...] = ()
    body: WrappedBody | None = None


def expand_outlook(attachment: Attachment, number: int) -> Expanded:
    """`attachment` (the `number`-th of its message), summarised if it is a .msg, followed by
    its files if it is a winmail.dat."""
    name, content_type = attachment.filename, attachment.content_type
    if is_outlook_message(name, content_type):
        return _summarised(attachment)
    if not is_tnef(name, content_type, attachment.payload):
        return Expanded((attachment,))
    unpacked = unpack_tnef(attachment.payload)
    if unpacked.error:
        note = (
            f"pièce jointe Outlook « {name} » (TNEF) illisible : {unpacked.error} ; conservée "
            "telle quelle, les fichiers qu'elle contient n'en ont pas été extraits"
        )
        return Expanded((attachment,), (note,))
    files = [attachment]
    notes: list[str] = []
    for file in unpacked.files:
        file_type = file.content_type or _TYPES.guess_type(file.name, strict=False)[0] or ""
        extracted = _attachment(
            file.name or None, file_type or "application/octet-stream", file.payload, number + 1
        )
        extracted = replace(extracted, unpacked_from=name)
        if is_outlook_message(extracted.filename, extracted.content_type):
            # A .msg inside a winmail.dat is summarised like one sent on its own; a winmail.dat
            # inside one is only kept (no unpacking without end).
            summarised = _summarised(extracted)
            extracted = summarised.attachments[0]
            notes += summarised.notes
        files.append(extracted)
        number += 1
    body = None
    if unpacked.text.strip() or unpacked.html.strip():
        body = WrappedBody(name, unpacked.body_format, unpacked.text, unpacked.html)
    return Expanded(tuple(files), tuple(notes), body)


def _summarised(attachment: Attachment) -> Expanded:
    outlook = read_outlook_message(attachment.payload)
    if outlook is None:
        note = (
            f"message Outlook « {attachment.filename} » illisible : "
            "pièce jointe conservée telle quelle"
        )
        return Expanded((attachment,), (note,))
    return Expanded((replace(attachment, outlook=outlook),))
