"""Header values -> text, addresses, Message-IDs, dates, and the auto-reply verdict. Pure.

The stdlib header classes are slow and raise on some malformed input, so the headers we show
are decoded here from their raw values: RFC 2047 encoded words, undeclared 8-bit bytes (which
BytesParser hands over as surrogate escapes), folding. Malformed values are repaired rather
than refused, and what had to be repaired comes back as French notes.
"""

import binascii
import re
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from typing import TypeAlias

from reclamations.core import message_ids
from reclamations.core.reception import impossible_date
from reclamations.intake.parsing.bodies import _decode_base64, _decode_bytes
from reclamations.intake.parsing.text import _clean, _collapse, _short

_UNFOLD = re.compile(r"\r?\n(?=[ \t])")


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
# str for literal text, (charset, [bytes...]) for a run of encoded words in one charset.
_Piece: TypeAlias = str | tuple[str, list[bytes]]


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
    out: list[str] = []
    for piece in _encoded_word_runs(value):
        if isinstance(piece, str):
            out.append(piece)
            continue
        text, note = _decode_bytes(b"".join(piece[1]), piece[0])
        if note:
            notes.append(f"{where} : {note}")
        out.append(text)
    return "".join(out), notes


def _encoded_word_runs(value: str) -> list[_Piece]:
    # The bytes of a run are decoded together, as one character may be split across two words;
    # whitespace between two encoded words is not text (RFC 2047, 6.2).
    pieces: list[_Piece] = []
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
    return pieces


# --- Message-IDs, addresses, dates --------------------------------------------------------

_BRACKETED = re.compile(r"<([^<>]*)>")


def normalise_message_id(value: str) -> str | None:
    """A raw Message-ID header value in the register's form (core.message_ids), or None.

    Control characters and undeclared 8-bit bytes are dealt with first, as for every header.
    """
    if not value:
        return None
    return message_ids.normalise_message_id(_clean(_from_surrogates(value)[0]))


def _message_ids(value: str) -> tuple[str, ...]:
    """The distinct normalised ids of an In-Reply-To or References value, in order."""
    value = _clean(_from_surrogates(value)[0])
    found = _BRACKETED.findall(value)
    if found:
        candidates = [f"<{item}>" for item in found]
    else:
        candidates = [token for token in re.split(r"[\s,]+", value) if "@" in token]
    ids: dict[str, None] = {}
    for candidate in candidates:
        # Already cleaned above: straight to the one normalisation of the code base.
        normalised = message_ids.normalise_message_id(candidate)
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
    # Encoded words are decoded before the address is parsed, as quoted names: a comma inside
    # one ("Dupont, Jeanne") must not split the mailbox. A whole "Name <address>" inside one
    # encoded word is parsed once decoded.
    quoted, decoded, name_notes = _decoded_for_parsing(value, header)
    notes.extend(name_notes)
    for candidate in dict.fromkeys((quoted, decoded, value)):
        name, address = _first_mailbox(candidate)
        if address:
            break
    if not address:
        match = _ADDRESS_FALLBACK.search(decoded)
        if match:
            address = match.group(0)
            name = decoded[: match.start()].strip(" <\"'")
    name, more_notes = decode_header_text(name, header)
    notes.extend(more_notes)
    name, address = _split_run_together(name, address, notes, header)
    name = _clean(_collapse(name)).strip("\"' ")
    address = _clean(address).strip("<>").lower()
    return name, address, notes


def _first_mailbox(value: str) -> tuple[str, str]:
    try:
        pairs = getaddresses([value])
    except (ValueError, IndexError, TypeError):
        return "", ""
    for pair_name, pair_address in pairs:
        if "@" in pair_address:
            return pair_name, pair_address
    return "", ""


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _decoded_for_parsing(value: str, header: str) -> tuple[str, str, list[str]]:
    """The header with each run of encoded words decoded as a quoted string, the same with
    them decoded as they are, and the notes of decoding."""
    if "=?" not in value:
        return value, value, []
    quoted: list[str] = []
    plain: list[str] = []
    notes: list[str] = []
    for piece in _encoded_word_runs(value):
        if isinstance(piece, str):
            quoted.append(piece)
            plain.append(piece)
            continue
        text, note = _decode_bytes(b"".join(piece[1]), piece[0])
        if note:
            notes.append(f"en-tête {header} : {note}")
        quoted.append(_quoted(text))
        plain.append(text)
    return "".join(quoted), "".join(plain), notes


def _split_run_together(name: str, address: str, notes: list[str], header: str) -> tuple[str, str]:
    """An address with spaces inside is a name and an address run together without angle
    brackets: keep the last word with an "@" as the address, the rest as the name; never
    glue the words into another, valid-looking address (a reply would go to a stranger)."""
    words = address.split()
    if len(words) <= 1:
        return name, address.strip()
    with_at = [word for word in words if "@" in word]
    if not with_at:
        return name, ""
    chosen = with_at[-1]
    rest = " ".join(word for word in words if word is not chosen)
    notes.append(
        f"en-tête {header} : nom et adresse accolés sans chevrons ; adresse retenue {chosen}"
    )
    return (name or rest), chosen


def _parse_date(value: str) -> datetime | None:
    """An RFC 5322 (or ISO 8601) date, always timezone-aware (UTC if none); None if illegible."""
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


# --- The header table ---------------------------------------------------------------------


def _headers_of(message: Message) -> dict[str, list[str]]:
    """Raw header values by lowercased name, in message order."""
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(str(name).strip().lower(), []).append(str(value))
    return headers


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


def _arrived_at(headers: dict[str, list[str]]) -> datetime | None:
    """The date the newest relay stamped on its Received header, None if none is legible."""
    # Received headers are prepended by each relay: the first one is the newest.
    for value in headers.get("received", ()):
        _, separator, stamp = value.rpartition(";")
        if separator:
            parsed = _parse_date(stamp)
            if parsed is not None and not impossible_date(parsed):
                return parsed
    return None


# --- Auto-submitted -----------------------------------------------------------------------

_PRECEDENCE_REASONS = {
    "bulk": "envoi en nombre",
    "junk": "message indésirable",
    "list": "liste de diffusion",
    "auto_reply": "réponse automatique",
}
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


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
