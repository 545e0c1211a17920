"""The MIME tree walk: which parts are the message's text, its HTML, its attachments. Pure.

A malformed tree is read as far as possible: too deep a nesting stops the walk, a multipart
whose boundary is missing or wrong is repaired from its body or read as text, and every stdlib
defect becomes a French note. What the stdlib itself raises is left to parse_message's
fallbacks.
"""

import re
from email import policy as email_policy
from email.message import Message
from email.parser import BytesParser

from reclamations.intake.parsing.attachments import (
    _attachment,
    _embedded_filename,
    _embedded_payload,
    _filename_of,
)
from reclamations.intake.parsing.bodies import _decode_bytes, html_to_text
from reclamations.intake.parsing.model import Attachment
from reclamations.intake.parsing.outlook import WrappedBody, expand_outlook
from reclamations.intake.parsing.text import _clean

_DEFECT_NOTES = {
    "NoBoundaryInMultipartDefect": "structure MIME sans délimiteur (boundary)",
    "StartBoundaryNotFoundDefect": "délimiteur MIME déclaré mais absent du corps",
    "CloseBoundaryNotFoundDefect": "message tronqué : fin de la structure MIME absente",
    "FirstHeaderLineIsContinuationDefect": "première ligne d'en-tête mal formée",
    "MisplacedEnvelopeHeaderDefect": "ligne d'enveloppe « From » mal placée",
    "MissingHeaderBodySeparatorDefect": "ligne vide entre en-têtes et corps absente",
    # Always followed by repair_multipart(), whose note says more.
    "MultipartInvariantViolationDefect": "",
    "InvalidMultipartContentTransferEncodingDefect": (
        "encodage de transfert interdit sur une partie multipart : ignoré"
    ),
    "UndecodableBytesDefect": "octets indécodables",
    "InvalidBase64PaddingDefect": "base64 mal complété (padding) : corrigé",
    "InvalidBase64CharactersDefect": "caractères invalides dans du base64 : ignorés",
    "InvalidBase64LengthDefect": "base64 de longueur invalide : dernier caractère ignoré",
}
_MAX_DEPTH = 40
_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,70}?)[ \t]*\r?$", re.MULTILINE)
_HEADER_LINE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:")


class _Collector:
    """Gathers texts, HTML bodies, attachments and French notes (once each, in order)."""

    def __init__(self, policy: email_policy.Policy) -> None:
        self.policy = policy
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[Attachment] = []
        self.notes: dict[str, None] = {}
        # Bodies Outlook wrapped in a winmail.dat: the description when the message has no other.
        self.wrapped_bodies: list[WrappedBody] = []

    def note(self, text: str) -> None:
        self.notes[text] = None

    def note_defects(self, part: Message) -> None:
        for defect in part.defects:
            name = type(defect).__name__
            text = _DEFECT_NOTES.get(name, f"défaut MIME ({name})")
            if text:
                self.note(text)

    def walk(self, part: Message, depth: int = 0, in_alternative: bool = False) -> None:
        """Sort a part and its children (at most _MAX_DEPTH levels) into text, HTML, files.

        An HTML part that is no alternative of a text part (an inline part of multipart/mixed,
        beside text/plain ones) is part of what the client wrote: its text joins the others."""
        if depth > _MAX_DEPTH:
            self.note("imbrication MIME trop profonde : parties internes non lues")
            return
        content_type = part.get_content_type()
        if part.is_multipart():
            if part.get_content_maintype() == "message":
                self.add_embedded_message(part, content_type)
            else:
                alternative = part.get_content_subtype() == "alternative"
                for child in part.get_payload():
                    if isinstance(child, Message):
                        self.walk(child, depth + 1, in_alternative or alternative)
            self.note_defects(part)
            return
        if part.get_content_maintype() == "multipart":
            self.note_defects(part)
            self.repair_multipart(part, depth)
            return
        filename = _filename_of(part)
        disposition = part.get_content_disposition()
        payload = self.payload_of(part)
        self.note_defects(part)
        if (
            content_type in ("text/plain", "text/html")
            and disposition != "attachment"
            and not filename
        ):
            text, note = _decode_bytes(payload, part.get_content_charset())
            if note:
                self.note(f"texte du message : {note}")
            if content_type == "text/plain":
                self.texts.append(text)
            else:
                self.htmls.append(text)
                if not in_alternative and depth > 0:
                    self.texts.append(html_to_text(text))
            return
        self.add_attachment(filename, content_type, payload)

    def payload_of(self, part: Message) -> bytes:
        # Decoded per Content-Transfer-Encoding; raw bytes when there is none or it is unknown.
        payload = part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) else b""

    def add_attachment(self, filename: str | None, content_type: str, payload: bytes) -> None:
        number = len(self.attachments) + 1
        attachment = _attachment(filename, content_type, payload, number)
        expanded = expand_outlook(attachment, number)
        self.attachments.extend(expanded.attachments)
        for note in expanded.notes:
            self.note(note)
        if expanded.body is not None:
            self.wrapped_bodies.append(expanded.body)

    def add_embedded_message(self, part: Message, content_type: str) -> None:
        payload = _embedded_payload(part)
        self.add_attachment(_embedded_filename(part, content_type), content_type, payload)

    def repair_multipart(self, part: Message, depth: int) -> None:
        """A multipart whose boundary is missing or wrong: find the real one in the body."""
        body_bytes = self.payload_of(part)
        body = body_bytes.decode("ascii", "surrogateescape")
        boundary = _find_boundary(body)
        if boundary is not None:
            rebuilt = (
                b'Content-Type: multipart/mixed; boundary="'
                + boundary.encode("ascii", "surrogateescape")
                + b'"\r\n\r\n'
                + body_bytes
            )
            inner = BytesParser(policy=self.policy).parsebytes(rebuilt)
            if inner.is_multipart():
                self.note(f"délimiteur MIME « {_clean(boundary)} » retrouvé dans le corps")
                for child in inner.get_payload():
                    if isinstance(child, Message):
                        self.walk(child, depth + 1)
                return
        self.note("structure MIME illisible : corps lu comme du texte")
        self.add_raw_text(part)

    def add_raw_text(self, part: Message) -> None:
        text, note = _decode_bytes(self.payload_of(part), None)
        if note:
            self.note(f"texte du message : {note}")
        self.texts.append(text)


def _find_boundary(body: str) -> str | None:
    """The first "--boundary" line followed by a header line, None if there is none."""
    seen: set[str] = set()
    for match in _BOUNDARY_LINE.finditer(body):
        candidate = match.group(1)
        if candidate.endswith("--") or candidate in seen:
            continue
        seen.add(candidate)
        following = body[match.end() : match.end() + 200].lstrip("\r\n")
        if _HEADER_LINE.match(following):
            return candidate
    return None
