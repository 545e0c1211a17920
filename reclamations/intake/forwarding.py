"""A client's e-mail that a member of staff forwarded to the complaints mailbox: who the client
is, when they wrote, what they wrote. Pure.

Two shapes are read: the original attached as message/rfc822 (Outlook's "forward as
attachment", Apple Mail, Thunderbird's default), and the original quoted inline under a header
block (Outlook "De : / Envoyé : / Objet :", Gmail "---------- Forwarded message ---------" or
"Message transféré", Thunderbird "-------- Message transféré --------", Apple Mail "Begin
forwarded message:" or "Début du message réexpédié :"), in French or English; an HTML-only
forward is read in the text the parser made of its HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import getaddresses, parsedate_to_datetime
from zoneinfo import ZoneInfo

from reclamations.core.reception import impossible_date
from reclamations.intake.parsing import InboundMessage, UnparseableMessage, parse_message

FORWARD_PREFIX = re.compile(r"^\s*(?:(?:tr|fwd?|wg|rv|enc)\s*:\s*)+", re.IGNORECASE)
_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:forwarded message|message transf[ée]r[ée]|original message|"
    r"message d'origine)\s*-{2,}|_{5,}|begin forwarded message\s*:|"
    r"d[ée]but du message r[ée]exp[ée]di[ée]\s*:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(
    r"^[ \t>]*\*?(de|from|envoy[ée]|sent|date|objet|sujet|subject|[àa]|pour|to|cc)\*?\s*:\s*(.*)$",
    re.IGNORECASE,
)
_MONTHS = {
    "janv": 1, "jan": 1, "janvier": 1, "january": 1,
    "févr": 2, "fevr": 2, "fév": 2, "feb": 2, "février": 2, "fevrier": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avr": 4, "avril": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juil": 7, "juillet": 7, "jul": 7, "july": 7,
    "août": 8, "aout": 8, "aug": 8, "august": 8,
    "sept": 9, "sep": 9, "septembre": 9, "september": 9,
    "oct": 10, "octobre": 10, "october": 10,
    "nov": 11, "novembre": 11, "november": 11,
    "déc": 12, "dec": 12, "décembre": 12, "decembre": 12, "december": 12,
}  # fmt: skip
_DATE = re.compile(
    r"(\d{1,2})(?:er)?\s+([a-zéû]+)\.?,?\s+(\d{4})(?:[^\d]+(\d{1,2})[:h](\d{2})\s*(am|pm)?)?"
    r"|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:[^\d]+(\d{1,2})[:h](\d{2})\s*(am|pm)?)?",
    re.IGNORECASE,
)
# A forward prints the date without its offset: the organisation's time (France).
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Forwarded:
    """The client's message inside a forward, and who forwarded it."""

    sender_name: str
    sender_address: str
    date: datetime | None
    subject: str
    text: str
    forwarder: str  # "Name <address>" of the member of staff who forwarded it


def is_forward(subject: str) -> bool:
    return bool(FORWARD_PREFIX.match(subject))


def forwarded_original(message: InboundMessage) -> Forwarded | None:
    """The original a forward carries, or None (not a forward, or nothing usable in it)."""
    if not is_forward(message.subject):
        return None  # a client may attach an e-mail to their own complaint: not a forward
    forwarder = _person(message.from_name, message.from_address)
    for attachment in message.attachments:
        if attachment.content_type == "message/rfc822":
            try:
                inner = parse_message(attachment.payload)
            except UnparseableMessage:
                continue
            if inner.from_address:
                return Forwarded(
                    inner.from_name,
                    inner.from_address,
                    inner.date,
                    inner.subject,
                    inner.text.strip(),
                    forwarder,
                )
    return _inline(message.text, forwarder)


def received_when(forwarded: Forwarded, arrived_at: datetime) -> datetime:
    """When the client's complaint reached the organisation: the original's date, unless it is
    missing, later than the forward's arrival (a wrong clock) or impossible (before 2000),
    then the arrival."""
    date = forwarded.date
    if date is not None and not impossible_date(date) and date <= arrived_at:
        return date
    return arrived_at


def _person(name: str, address: str) -> str:
    return f"{name} <{address}>" if name and address else (name or address)


def _inline(text: str, forwarder: str) -> Forwarded | None:
    marker = _MARKER.search(text)
    lines = text[marker.end() :].splitlines() if marker else text.splitlines()
    fields: dict[str, str] = {}
    start = None
    for index, line in enumerate(lines):
        match = _FIELD.match(line)
        if match:
            start = index if start is None else start
            key = match.group(1).lower()
            fields.setdefault(_canonical(key), match.group(2).strip())
            continue
        if start is not None and not line.strip() and not _field_follows(lines, index):
            body = "\n".join(item.lstrip("> ") for item in lines[index + 1 :]).strip()
            return _from_fields(fields, body, forwarder)
    return None


def _field_follows(lines: list[str], index: int) -> bool:
    """True when the next line with text after `index` is a header field: an HTML forward read
    as text (Apple Mail's one block per field, Thunderbird's table) leaves blank lines inside
    the header block, which must not end it."""
    for line in lines[index + 1 :]:
        if line.strip(" \t>"):
            return bool(_FIELD.match(line))
    return False


def _canonical(key: str) -> str:
    if key in ("de", "from"):
        return "from"
    if key in ("envoyé", "envoye", "sent", "date"):
        return "date"
    if key in ("objet", "sujet", "subject"):
        return "subject"
    if key in ("à", "a", "pour", "to"):
        return "to"
    return key


def _from_fields(fields: dict[str, str], body: str, forwarder: str) -> Forwarded | None:
    value = fields.get("from", "").replace("[mailto:", "<").replace("]", ">")
    pairs = getaddresses([value])
    name, address = next(((n, a) for n, a in pairs if "@" in a), ("", ""))
    if not address:
        return None
    return Forwarded(
        name.strip().strip('"'),
        address.strip().lower(),
        forwarded_date(fields.get("date", "")),
        fields.get("subject", ""),
        body,
        forwarder,
    )


def forwarded_date(value: str) -> datetime | None:
    """A date as mail clients print it in a forward (RFC 5322, or "mardi 3 mars 2026 09:15",
    "Tue, Mar 3, 2026 at 9:15 AM"); Paris time when no offset is given."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=PARIS)
    match = _DATE.search(value)
    if match is None:
        return None
    if match.group(1):
        day, month_name, year, hour, minute, half = match.group(1, 2, 3, 4, 5, 6)
    else:
        month_name, day, year, hour, minute, half = match.group(7, 8, 9, 10, 11, 12)
    month = _MONTHS.get(month_name.lower().rstrip("."))
    if month is None:
        return None
    hours = int(hour or 0)
    if half:
        hours = hours % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(int(year), month, int(day), hours, int(minute or 0), tzinfo=PARIS)
    except ValueError:
        return None
