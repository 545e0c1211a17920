"""Bytes of an email -> InboundMessage. Pure (no Django), tolerant and fast.

Real mailboxes hold messages that break the standards in every possible way; a complaint must
never be lost because of its encoding. So everything is parsed as well as possible, and what had
to be repaired is written down in French in `defects`. `UnparseableMessage` is kept for bytes
that are not an email at all.

The stdlib parser (policy.default, compat32 as a fallback) splits the MIME tree (structure);
the headers we show are decoded here (headers), because the stdlib header classes are slow and
raise on some malformed input that this package must accept; bodies are decoded and HTML
sanitised in bodies, attachments named in attachments, and the result assembled in build.
"""

import re
from dataclasses import replace
from email import policy as email_policy
from email.feedparser import BytesFeedParser
from email.message import Message
from email.parser import BytesHeaderParser

from reclamations.intake.parsing.bodies import DECLARED_ELSEWHERE, html_to_text, sanitise_html
from reclamations.intake.parsing.build import _build
from reclamations.intake.parsing.headers import decode_header_text, normalise_message_id
from reclamations.intake.parsing.model import Attachment, InboundMessage, UnparseableMessage
from reclamations.intake.parsing.policies import _COMPAT_POLICY, _DEFAULT_POLICY

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

_LEADING_JUNK = b"\xef\xbb\xbf\r\n\t "
_HEADER_START = re.compile(
    rb"^(?:received|from|to|subject|date|message-id|return-path|mime-version|content-type"
    rb"|reply-to|delivered-to)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_SEARCH_LIMIT = 16384
_FIELD_NAME = re.compile(rb"^[!-9;-~]+[ \t]*:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def _repair_header_block(data: bytes) -> tuple[bytes, str]:
    """The bytes with the continuation lines a client forgot to indent indented (a line that
    is no header, inside the header block: a header follows it), and a note when it did; the
    parser would otherwise end the headers there and lose From and Subject."""
    end = _BLANK_LINE.search(data)
    block = data[: end.start()] if end else data
    lines = block.split(b"\n")
    is_field = [bool(_FIELD_NAME.match(line)) for line in lines]
    repaired = 0
    for index in range(1, len(lines)):
        line = lines[index]
        if not line.strip(b"\r") or line[:1] in (b" ", b"\t") or is_field[index]:
            continue
        if any(is_field[index + 1 :]):
            lines[index] = b" " + line
            repaired += 1
    if not repaired:
        return data, ""
    note = f"{repaired} ligne(s) d'en-tête non indentée(s) rattachée(s) à l'en-tête précédent"
    return b"\n".join(lines) + (data[end.start() :] if end else b""), note


_DECLARED_CHARSET = re.compile(rb"(?:charset=\"?|=\?)([A-Za-z0-9_.:-]{2,40})", re.IGNORECASE)
_SINGLE_BYTE_OR_UNIVERSAL = re.compile(
    r"^(?:us-ascii|ascii|utf-?(?:8|7|16|32)(?:le|be)?|iso-?8859-\d+|windows-125\d|cp125\d"
    r"|latin-?\d|koi8-[ru])$"
)


def declared_multibyte_charset(raw: bytes) -> str:
    """The first multi-byte legacy charset the message declares (GB2312, Shift_JIS, Big5...):
    what its undeclared 8-bit text is most likely written in; "" when none."""
    for match in _DECLARED_CHARSET.finditer(raw[:262144]):
        name = match.group(1).decode("ascii", "replace").lower()
        if not _SINGLE_BYTE_OR_UNIVERSAL.match(name):
            return name
    return ""


def parse_message(raw: bytes) -> InboundMessage:
    """Parse an email as well as possible; UnparseableMessage only when nothing is usable."""
    token = DECLARED_ELSEWHERE.set(declared_multibyte_charset(bytes(raw)))
    try:
        return _parse_message(raw)
    finally:
        DECLARED_ELSEWHERE.reset(token)


def _parse_message(raw: bytes) -> InboundMessage:
    raw = bytes(raw)
    data = raw.lstrip(_LEADING_JUNK)
    if not data:
        raise UnparseableMessage("message vide : le fichier ne contient aucun octet utile")
    data, repaired = _repair_header_block(data)
    if repaired:
        parsed = _parse_data(raw, data)
        return replace(parsed, defects=(repaired, *parsed.defects))
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


# What BytesParser.parsebytes feeds its parser at a time.
_FEED_SIZE = 8192


def _parsed(data: bytes, policy: email_policy.Policy) -> Message:
    """What BytesParser(policy=policy).parsebytes(data) returns: the same pieces fed in the
    same order, without decoding the whole message into one string first. parsebytes holds
    that string and its StringIO's copy at four bytes a character: a 25 MB message took
    180 MB more at its peak, 55 MB this way (bench/README.md)."""
    parser = BytesFeedParser(policy=policy)
    for start in range(0, len(data), _FEED_SIZE):
        parser.feed(data[start : start + _FEED_SIZE])
    return parser.close()


def _parse_data(raw: bytes, data: bytes) -> InboundMessage:
    try:
        return _build(raw, _parsed(data, _DEFAULT_POLICY), _DEFAULT_POLICY)
    except UnparseableMessage:
        raise
    except Exception as exc:  # the stdlib's modern parser has its own bugs: try compat32
        first_error = exc
    try:
        parsed = _build(raw, _parsed(data, _COMPAT_POLICY), _COMPAT_POLICY)
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
