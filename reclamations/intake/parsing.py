"""Bytes of an email -> InboundMessage. Pure (no Django), tolerant and fast.

Real mailboxes hold messages that break the standards in every possible way; a complaint must
never be lost because of its encoding. So everything is parsed as well as possible, and what had
to be repaired is written down in French in `defects`. `UnparseableMessage` is kept for bytes
that are not an email at all.

The stdlib parser (policy.default, compat32 as a fallback) splits the MIME tree; the headers we
show are decoded here, because the stdlib header classes are slow and raise on some malformed
input that this module must accept.
"""

import binascii
import codecs
import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email import policy as email_policy
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.policy import Compat32, EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

import nh3

__all__ = [
    "Attachment",
    "InboundMessage",
    "UnparseableMessage",
    "decode_header_text",
    "html_to_text",
    "normalise_message_id",
    "parse_message",
    "sanitise_html",
]


@dataclass(frozen=True)
class Attachment:
    filename: str  # decoded (RFC 2231 / RFC 2047), never empty
    content_type: str  # as declared, lowercased
    payload: bytes  # decoded bytes
    sha256: str


@dataclass(frozen=True)
class InboundMessage:
    raw: bytes  # exactly the bytes given
    sha256: str  # of raw
    message_id: str | None  # "<id>" lowercased without spaces; None if absent
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    from_name: str
    from_address: str
    reply_to_address: str
    sender_name: str
    sender_address: str  # Reply-To wins over From
    date: datetime | None
    arrived_at: datetime | None
    text: str
    html: str
    attachments: tuple[Attachment, ...]
    auto_submitted: bool
    auto_reason: str
    defects: tuple[str, ...]


class UnparseableMessage(Exception):
    """Nothing usable in these bytes; str(exc) says why, in French."""


# --- Policies ----------------------------------------------------------------------------

_LINESEP = re.compile(r"\r\n|\r|\n")


@functools.lru_cache(maxsize=4096)
def _cached_header(name: str, value: str) -> object:
    return email_policy.default.header_factory(name, "".join(_LINESEP.split(value)))


class _CachingPolicy(EmailPolicy):
    """policy.default, with parsed MIME headers cached.

    The stdlib re-parses Content-Type on every get_content_type()/get_param() call, which made
    parsing four times slower than compat32; the values repeat a lot ("text/plain;
    charset=utf-8"), and header objects are immutable, so a shared cache is safe.
    """

    def header_fetch_parse(self, name: str, value: object) -> Any:
        if hasattr(value, "name"):
            return value
        text = str(value)
        if len(text) > 2000:
            return email_policy.default.header_fetch_parse(name, text)
        return _cached_header(name, text)


_DEFAULT_POLICY = _CachingPolicy()
_COMPAT_POLICY = email_policy.compat32
_GENERATOR_POLICY = Compat32(linesep="\r\n", max_line_length=None)

# --- Small text helpers ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNFOLD = re.compile(r"\r?\n(?=[ \t])")
_NEWLINES = re.compile(r"\r\n?")

# Declared ISO-8859-1 is written by software that really emits Windows-1252 (curly quotes,
# euro sign in 0x80-0x9F): decode as the superset, as browsers do.
_CHARSET_ALIASES = {
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "iso-8859-8-i": "iso8859-8",
    "iso8859-8-i": "iso8859-8",
}
_ASCII_INCOMPATIBLE = ("utf-16", "utf16", "utf-32", "utf32", "utf-7", "utf7")
_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1250", "iso8859-2", "mac-roman"}
# A two- or three-byte UTF-8 sequence: natural Windows-1252 text practically never contains one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _clean(value: str) -> str:
    """No NUL (PostgreSQL refuses it), no other control character, no lone surrogate."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def _clean_text(value: str) -> str:
    """Body text: normalised newlines, tabs kept, other control characters removed."""
    value = _NEWLINES.sub("\n", value)
    if value.startswith("\ufeff"):
        value = value[1:]
    return _clean(value)


@functools.lru_cache(maxsize=256)
def _codec_for(charset: str) -> str | None:
    """Python codec name for a MIME charset, None if unknown or not a text encoding."""
    name = charset.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _CHARSET_ALIASES.get(info.name, info.name)


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, then UTF-8, then Windows-1252; say what was repaired."""
    declared = (charset or "").strip().strip("\"'").lower()
    if data.isascii() and not declared.startswith(_ASCII_INCOMPATIBLE):
        return data.decode("ascii"), None
    codec = _codec_for(declared) if declared else None
    if codec is not None:
        if codec in _SINGLE_BYTE and _UTF8_SEQUENCE.search(data):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return text, f"déclaré en « {declared} » mais écrit en UTF-8, lu en UTF-8"
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            if codec == "cp1252":
                # Bytes undefined in Windows-1252 (0x81, 0x8D...): plain ISO-8859-1 then.
                return data.decode("latin-1"), None
    if codec != "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not declared:
                return text, None
            if codec is None:
                return text, f"jeu de caractères inconnu « {declared} », lu en UTF-8"
            return text, f"non conforme à son jeu de caractères « {declared} », lu en UTF-8"
    if _UTF8_SEQUENCE.search(data):
        # Mostly UTF-8 with a few stray bytes: Windows-1252 would garble every accent.
        return (
            data.decode("utf-8", "replace"),
            f"octets invalides en « {declared or 'utf-8'} », remplacés par « \ufffd »",
        )
    text = data.decode("cp1252", "replace")
    if not declared:
        return text, "jeu de caractères non déclaré, lu en Windows-1252"
    if codec is None:
        return text, f"jeu de caractères inconnu « {declared} », lu en Windows-1252"
    return text, f"non conforme à son jeu de caractères « {declared} », lu en Windows-1252"


def _from_surrogates(value: str) -> tuple[str, str | None]:
    """Header text from BytesParser: undeclared 8-bit bytes arrive as surrogate escapes."""
    if value.isascii():
        return value, None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        data = value.encode("utf-8", "surrogateescape")
        return _decode_bytes(data, None)
    return value, None


# --- RFC 2047 -----------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+?)(?:\*[^?\s]*)?\?([QqBb])\?([^?]*?)\?=")
_BASE64_ALPHABET = re.compile(rb"[^A-Za-z0-9+/]")


def _decode_base64(data: bytes) -> bytes:
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        pass
    clean = _BASE64_ALPHABET.sub(b"", data)
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    clean += b"=" * (-len(clean) % 4)
    try:
        return binascii.a2b_base64(clean)
    except binascii.Error:
        return b""


def decode_header_text(value: str, name: str = "") -> tuple[str, list[str]]:
    """Unfolded, RFC 2047-decoded header text, and French notes on what was repaired.

    Tolerates what real clients send: encoded words inside words or quotes, a multi-byte
    character split across two encoded words, unknown charsets, bad base64 padding.
    """
    where = f"en-tête {name}" if name else "en-tête"
    notes: list[str] = []
    value, note = _from_surrogates(value)
    if note:
        notes.append(f"{where} : {note}")
    if "\n" in value or "\r" in value:
        value = _UNFOLD.sub("", value).replace("\r", " ").replace("\n", " ")
    if "=?" not in value:
        return value, notes
    # Pieces: str for literal text, (charset, [bytes...]) for a run of encoded words; the bytes
    # of a run are decoded together, as one character may be split across two words.
    pieces: list[str | tuple[str, list[bytes]]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[position : match.start()]
        position = match.end()
        previous_encoded = bool(pieces) and isinstance(pieces[-1], tuple)
        if gap and not (previous_encoded and gap.isspace()):
            pieces.append(gap)
        charset, encoding, text = match.groups()
        encoded = text.encode("ascii", "replace")
        if encoding in "Bb":
            data = _decode_base64(encoded)
        else:
            data = binascii.a2b_qp(encoded, header=True)
        charset = charset.lower()
        last = pieces[-1] if pieces else None
        if isinstance(last, tuple) and last[0] == charset:
            last[1].append(data)
        else:
            pieces.append((charset, [data]))
    if position < len(value):
        pieces.append(value[position:])
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        text, note = _decode_bytes(b"".join(piece[1]), piece[0])
        if note:
            notes.append(f"{where} : {note}")
        out.append(text)
    return "".join(out), notes


# --- Message-IDs, addresses, dates --------------------------------------------------------

_BRACKETED = re.compile(r"<([^<>]*)>")


def normalise_message_id(value: str) -> str | None:
    """The id in angle brackets, lowercased, without spaces (folding can insert some)."""
    if not value:
        return None
    value = _clean(_from_surrogates(value)[0])
    match = _BRACKETED.search(value)
    if match:
        inner = "".join(match.group(1).split())
    else:
        tokens = value.split()
        inner = tokens[0].strip("<>") if tokens else ""
    if not inner:
        return None
    return f"<{inner.lower()}>"


def _message_ids(value: str) -> tuple[str, ...]:
    value = _clean(_from_surrogates(value)[0])
    found = _BRACKETED.findall(value)
    if found:
        candidates = [f"<{item}>" for item in found]
    else:
        candidates = [token for token in re.split(r"[\s,]+", value) if "@" in token]
    ids: dict[str, None] = {}
    for candidate in candidates:
        normalised = normalise_message_id(candidate)
        if normalised:
            ids[normalised] = None
    return tuple(ids)


_ADDRESS_FALLBACK = re.compile(r"[^\s<>()\[\]@,;:\"]+@[^\s<>()\[\]@,;:\"]+")


def _parse_address(value: str, header: str) -> tuple[str, str, list[str]]:
    """(display name, lowercased address, notes) of the first mailbox in a header."""
    value, note = _from_surrogates(value)
    notes = [f"en-tête {header} : {note}"] if note else []
    value = _UNFOLD.sub("", value).replace("\r", " ").replace("\n", " ")
    name, address = "", ""
    try:
        pairs = getaddresses([value])
    except (ValueError, IndexError, TypeError):
        pairs = []
    for pair_name, pair_address in pairs:
        if "@" in pair_address:
            name, address = pair_name, pair_address
            break
    if not address:
        match = _ADDRESS_FALLBACK.search(value)
        if match:
            address = match.group(0)
            name = value[: match.start()].strip(" <\"'")
    name, name_notes = decode_header_text(name, header)
    notes.extend(name_notes)
    name = _clean(_collapse(name)).strip("\"' ")
    address = _clean("".join(address.split())).strip("<>").lower()
    return name, address, notes


def _parse_date(value: str) -> datetime | None:
    value = _collapse(_from_surrogates(value)[0])
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- HTML ---------------------------------------------------------------------------------

_HTML_TAGS = {
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote",
    "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
_HTML_DROPPED_WITH_CONTENT = {"script", "style", "title", "template", "textarea", "select"}


def sanitise_html(html: str) -> str:
    """Safe to show: no script, style, image (so nothing remote loads) or event handler."""
    return nh3.clean(
        html,
        tags=_HTML_TAGS,
        clean_content_tags=_HTML_DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_BLOCK_TAGS = {
    "p", "div", "br", "tr", "table", "ul", "ol", "blockquote", "pre", "hr", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "address",
    "form", "fieldset", "center",
}  # fmt: skip
# Only what needs collapsing: single spaces between words are the common case, left alone.
_HTML_SPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.preformatted += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.preformatted:
            self.parts.append(data)
            return
        text = _HTML_SPACE.sub(" ", data)
        if not self.parts or self.parts[-1][-1:] in ("\n", " "):
            text = text.lstrip(" ")
        if text:
            self.parts.append(text)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: paragraphs, line breaks and list items kept."""
    return _text_of_sanitised(sanitise_html(html))


def _text_of_sanitised(html: str) -> str:
    # Only ever given nh3's output: the stdlib HTMLParser is quadratic on some broken markup
    # (3,000 unclosed "<a " took a second), and nh3's well-formed output never is.
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except (AssertionError, ValueError):  # the stdlib parser's own failure modes
        pass
    text = "".join(extractor.parts).replace("\xa0", " ")
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


# --- MIME walk ----------------------------------------------------------------------------

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
_MAX_DEPTH = 40
_FILENAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_BOUNDARY_LINE = re.compile(r"^--([^\s]{1,70}?)[ \t]*\r?$", re.MULTILINE)
_HEADER_LINE = re.compile(r"[A-Za-z][A-Za-z0-9-]*:")


class _Collector:
    def __init__(self, policy: email_policy.Policy) -> None:
        self.policy = policy
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[Attachment] = []
        self.notes: dict[str, None] = {}

    def note(self, text: str) -> None:
        self.notes[text] = None

    def note_defects(self, part: Message) -> None:
        for defect in part.defects:
            name = type(defect).__name__
            text = _DEFECT_NOTES.get(name, f"défaut MIME ({name})")
            if text:
                self.note(text)

    def walk(self, part: Message, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            self.note("imbrication MIME trop profonde : parties internes non lues")
            return
        content_type = part.get_content_type()
        if part.is_multipart():
            if part.get_content_maintype() == "message":
                self.add_embedded_message(part, content_type)
            else:
                for child in part.get_payload():
                    if isinstance(child, Message):
                        self.walk(child, depth + 1)
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
            (self.texts if content_type == "text/plain" else self.htmls).append(text)
            return
        self.add_attachment(filename, content_type, payload)

    def payload_of(self, part: Message) -> bytes:
        # Decoded per Content-Transfer-Encoding; raw bytes when there is none or it is unknown.
        payload = part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) else b""

    def add_attachment(self, filename: str | None, content_type: str, payload: bytes) -> None:
        number = len(self.attachments) + 1
        self.attachments.append(
            Attachment(
                filename=_attachment_name(filename, content_type, number),
                content_type=content_type,
                payload=payload,
                sha256=hashlib.sha256(payload).hexdigest(),
            )
        )

    def add_embedded_message(self, part: Message, content_type: str) -> None:
        payload = _body_bytes(part)
        encoding = str(part.get("content-transfer-encoding", "")).strip().lower()
        if encoding == "base64":
            payload = _decode_base64(payload)
        elif encoding == "quoted-printable":
            payload = binascii.a2b_qp(payload)
        filename = part.get_filename()
        if not filename and content_type == "message/rfc822":
            inner = part.get_payload(0) if part.get_payload() else None
            if isinstance(inner, Message):
                subject, _ = decode_header_text(str(inner.get("subject", "") or ""))
                subject = _collapse(subject).replace("/", "-").replace("\\", "-")
                if subject:
                    filename = f"{subject[:100]}.eml"
        self.add_attachment(filename, content_type, payload)

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


def _filename_of(part: Message) -> str | None:
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


def _find_boundary(body: str) -> str | None:
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


def _attachment_name(filename: str | None, content_type: str, number: int) -> str:
    name = ""
    if filename:
        name, _ = decode_header_text(str(filename))
        name = _FILENAME_FORBIDDEN.sub("", name)
        # A path sent by the client's machine ("C:\\Users\\...\\devis.pdf") is not a name.
        name = name.replace("\\", "/").rsplit("/", 1)[-1]
        name = _clean(_collapse(name)).strip(". ")
        if len(name) > 200:
            stem, dot, extension = name.rpartition(".")
            name = f"{stem[: 190 - len(extension)]}.{extension}" if dot else name[:200]
    if not name:
        name = f"piece-jointe-{number}{_EXTENSIONS.get(content_type, '.bin')}"
    return name


# --- Auto-submitted -----------------------------------------------------------------------

_PRECEDENCE_REASONS = {
    "bulk": "envoi en nombre",
    "junk": "message indésirable",
    "list": "liste de diffusion",
    "auto_reply": "réponse automatique",
}
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


def _short(value: str) -> str:
    value = _collapse(value)
    return value if len(value) <= 80 else value[:79] + "…"


def _auto_submitted(
    headers: dict[str, list[str]], content_type: str, report_type: str, from_address: str
) -> str:
    """The French reason why no one must answer this message, "" for a human's message."""
    value = _first(headers, "auto-submitted")
    if value is not None:
        token = value.split(";")[0].strip().lower()
        if token not in ("", "no"):
            kind = "réponse automatique" if token.endswith("replied") else "message automatique"
            return f"{kind} (Auto-Submitted: {_short(value)})"
    for name, label in (("x-autoreply", "X-Autoreply"), ("x-autorespond", "X-Autorespond")):
        value = _first(headers, name)
        if value is not None and value.strip().lower() not in ("no", "false", "0"):
            return f"réponse automatique ({label}: {_short(value)})"
    if content_type == "multipart/report":
        if report_type == "disposition-notification":
            return "accusé de lecture (multipart/report)"
        if not report_type:
            return "rapport automatique (multipart/report)"
        return f"avis de non-remise (multipart/report; report-type={_short(report_type)})"
    local_part = from_address.partition("@")[0]
    raw_from = (_first(headers, "from") or "").lower()
    if local_part in _BOUNCE_SENDERS or "mailer-daemon" in raw_from:
        return f"avis de non-remise (expéditeur {local_part.upper() or 'MAILER-DAEMON'})"
    value = _first(headers, "return-path")
    if value is not None and value.strip() == "<>":
        return "avis de non-remise ou message automatique (Return-Path: <>)"
    value = _first(headers, "precedence")
    if value is not None:
        token = value.strip().lower()
        if token in _PRECEDENCE_REASONS:
            return f"{_PRECEDENCE_REASONS[token]} (Precedence: {token})"
    value = _first(headers, "list-id")
    if value is not None:
        return f"liste de diffusion (List-Id: {_short(value)})"
    if _first(headers, "list-unsubscribe") is not None:
        return "liste de diffusion (List-Unsubscribe)"
    return ""


# --- Top level ----------------------------------------------------------------------------

_KNOWN_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "received", "content-type",
        "mime-version", "return-path", "reply-to", "sender", "delivered-to", "references",
        "in-reply-to", "content-transfer-encoding", "x-mailer", "user-agent", "auto-submitted",
    }
)  # fmt: skip
_LEADING_JUNK = b"\xef\xbb\xbf\r\n\t "


def _headers_of(message: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(str(name).strip().lower(), []).append(str(value))
    return headers


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _arrived_at(headers: dict[str, list[str]]) -> datetime | None:
    # Received headers are prepended by each relay: the first one is the newest.
    for value in headers.get("received", ()):
        _, separator, stamp = value.rpartition(";")
        if separator:
            parsed = _parse_date(stamp)
            if parsed is not None:
                return parsed
    return None


def _build(
    raw: bytes, message: Message, policy: email_policy.Policy, *, body_as_text: bool = False
) -> InboundMessage:
    headers = _headers_of(message)
    if not headers.keys() & _KNOWN_HEADERS:
        raise UnparseableMessage(
            "aucun en-tête de courriel reconnu (From, Subject, Date...) : "
            "ce fichier n'est pas un message électronique"
        )
    collector = _Collector(policy)

    subject, notes = decode_header_text(_first(headers, "subject") or "", "Subject")
    _note_all(collector, notes)
    from_name, from_address, notes = _parse_address(_first(headers, "from") or "", "From")
    _note_all(collector, notes)
    if not from_address:
        collector.note("adresse d'expéditeur (From) absente ou illisible")
    reply_name, reply_address = "", ""
    reply_to = _first(headers, "reply-to")
    if reply_to is not None:
        reply_name, reply_address, notes = _parse_address(reply_to, "Reply-To")
        _note_all(collector, notes)
        if not reply_address:
            collector.note("adresse Reply-To illisible : l'adresse From est retenue")
    if reply_address:
        sender_address = reply_address
        # A bare Reply-To pointing at the author keeps the author's name.
        sender_name = reply_name or (from_name if reply_address == from_address else "")
    else:
        sender_name, sender_address = from_name, from_address

    message_id_header = _first(headers, "message-id")
    message_id = normalise_message_id(message_id_header or "")
    if message_id is None:
        collector.note("Message-ID absent : les doublons seront reconnus par l'empreinte SHA-256")
    date_header = _first(headers, "date")
    date = _parse_date(date_header) if date_header is not None else None
    if date_header is None:
        collector.note("en-tête Date absent")
    elif date is None:
        collector.note(f"date illisible (« {_clean(_short(date_header))} ») : ignorée")

    if body_as_text:
        collector.add_raw_text(message)
    else:
        collector.walk(message)
    html = sanitise_html("\n".join(collector.htmls)).strip() if collector.htmls else ""
    text = "\n\n".join(t.strip("\r\n") for t in collector.texts)
    if not text.strip() and html:
        # HTML only, or an empty text/plain alternative next to the real HTML body.
        text = _text_of_sanitised(html)

    auto_reason = _auto_submitted(
        headers,
        message.get_content_type(),
        str(message.get_param("report-type", "") or "").lower(),
        from_address,
    )
    return InboundMessage(
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        message_id=message_id,
        in_reply_to=_message_ids(_first(headers, "in-reply-to") or ""),
        references=_message_ids(" ".join(headers.get("references", ()))),
        subject=_clean(_collapse(subject)),
        from_name=from_name,
        from_address=from_address,
        reply_to_address=reply_address,
        sender_name=sender_name,
        sender_address=sender_address,
        date=date,
        arrived_at=_arrived_at(headers),
        text=_clean_text(text).strip(),
        html=_clean(html),
        attachments=tuple(collector.attachments),
        auto_submitted=bool(auto_reason),
        auto_reason=_clean(auto_reason),
        defects=tuple(collector.notes),
    )


def _note_all(collector: _Collector, notes: Iterable[str]) -> None:
    for note in notes:
        collector.note(note)


def parse_message(raw: bytes) -> InboundMessage:
    """Parse an email as well as possible; UnparseableMessage only when nothing is usable."""
    raw = bytes(raw)
    data = raw.lstrip(_LEADING_JUNK)
    if not data:
        raise UnparseableMessage("message vide : le fichier ne contient aucun octet utile")
    try:
        return _parse_data(raw, data)
    except UnparseableMessage:
        # A damaged first line hides every header behind it: start at the first real one.
        match = _HEADER_START.search(data, 1, _HEADER_SEARCH_LIMIT)
        if match is None:
            raise
    parsed = _parse_data(raw, data[match.start() :])
    note = f"début du message illisible : {match.start()} octets ignorés avant les en-têtes"
    return replace(parsed, defects=(note, *parsed.defects))


_HEADER_START = re.compile(
    rb"^(?:received|from|to|subject|date|message-id|return-path|mime-version|content-type"
    rb"|reply-to|delivered-to)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_SEARCH_LIMIT = 16384


def _parse_data(raw: bytes, data: bytes) -> InboundMessage:
    try:
        return _build(raw, BytesParser(policy=_DEFAULT_POLICY).parsebytes(data), _DEFAULT_POLICY)
    except UnparseableMessage:
        raise
    except Exception as exc:  # the stdlib's modern parser has its own bugs: try compat32
        first_error = exc
    try:
        parsed = _build(raw, BytesParser(policy=_COMPAT_POLICY).parsebytes(data), _COMPAT_POLICY)
        note = "structure MIME irrégulière : message lu en mode de compatibilité"
    except UnparseableMessage:
        raise
    except Exception:  # last resort: the headers, and the body as text
        try:
            message = BytesHeaderParser(policy=_COMPAT_POLICY).parsebytes(data)
            parsed = _build(raw, message, _COMPAT_POLICY, body_as_text=True)
        except UnparseableMessage:
            raise
        except Exception as exc:  # quarantined with its raw bytes, never lost
            raise UnparseableMessage(
                f"structure du message illisible ({type(exc).__name__}) : message mis de côté"
            ) from exc
        note = "structure MIME illisible : corps lu comme du texte brut"
    note = f"{note} ({type(first_error).__name__})"
    return replace(parsed, defects=(*parsed.defects, note))
