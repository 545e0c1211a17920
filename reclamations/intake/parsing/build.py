"""One parsed email.message.Message -> InboundMessage. Pure: no Django.

Raises UnparseableMessage only when the bytes have no known email header at all; anything
else that is missing or illegible is written down in `defects`, in a fixed order: subject,
addresses, Message-ID, date, then what the MIME walk found.
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email import policy as email_policy
from email.message import Message
from typing import NamedTuple

from reclamations.core.reception import impossible_date
from reclamations.intake.parsing.bodies import (
    _clean_text,
    sanitise_email_html,
)
from reclamations.intake.parsing.headers import (
    _arrived_at,
    _auto_submitted,
    _first,
    _headers_of,
    _message_ids,
    _parse_address,
    _parse_date,
    decode_header_text,
    normalise_message_id,
)
from reclamations.intake.parsing.model import InboundMessage, UnparseableMessage
from reclamations.intake.parsing.structure import _Collector
from reclamations.intake.parsing.text import _clean, _collapse, _short

_KNOWN_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "received", "content-type",
        "mime-version", "return-path", "reply-to", "sender", "delivered-to", "references",
        "in-reply-to", "content-transfer-encoding", "x-mailer", "user-agent", "auto-submitted",
    }
)  # fmt: skip


# A sender's clock may be ahead of the relays' by a little, never by more than this.
_A_DAY = timedelta(days=1)


class _People(NamedTuple):
    from_name: str
    from_address: str
    reply_to_address: str
    sender_name: str
    sender_address: str


def _build(
    raw: bytes, message: Message, policy: email_policy.Policy, *, body_as_text: bool = False
) -> InboundMessage:
    """The InboundMessage of `raw`, parsed as `message` under `policy`.

    `body_as_text`: the MIME tree is not walked, the whole body is read as text.
    """
    headers = _headers_of(message)
    if not headers.keys() & _KNOWN_HEADERS:
        raise UnparseableMessage(
            "aucun en-tête de courriel reconnu (From, Subject, Date...) : "
            "ce fichier n'est pas un message électronique"
        )
    collector = _Collector(policy)
    subject, notes = decode_header_text(_first(headers, "subject") or "", "Subject")
    _note_all(collector, notes)
    people = _people(headers, collector)
    message_id = _message_id(headers, collector)
    arrived_at = _arrived_at(headers)
    date = _date(headers, collector, arrived_at)
    if body_as_text:
        collector.add_raw_text(message)
    else:
        collector.walk(message)
    text, html, html_withheld = _text_and_html(collector)
    auto_reason = _auto_submitted(
        headers,
        message.get_content_type(),
        str(message.get_param("report-type", "") or "").lower(),
        people.from_address,
    )
    return InboundMessage(
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        message_id=message_id,
        in_reply_to=_message_ids(_first(headers, "in-reply-to") or ""),
        references=_message_ids(" ".join(headers.get("references", ()))),
        subject=_clean(_collapse(subject)),
        from_name=people.from_name,
        from_address=people.from_address,
        reply_to_address=people.reply_to_address,
        sender_name=people.sender_name,
        sender_address=people.sender_address,
        date=date,
        arrived_at=arrived_at,
        text=_clean_text(text).strip(),
        html=_clean(html),
        html_withheld=html_withheld,
        attachments=tuple(collector.attachments),
        auto_submitted=bool(auto_reason),
        auto_reason=_clean(auto_reason),
        defects=tuple(collector.notes),
        content_language=_clean(_first(headers, "content-language") or "").strip()[:100],
    )


def _people(headers: dict[str, list[str]], collector: _Collector) -> _People:
    """From, Reply-To, and who to answer: Reply-To wins over From."""
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
    return _People(from_name, from_address, reply_address, sender_name, sender_address)


def _message_id(headers: dict[str, list[str]], collector: _Collector) -> str | None:
    message_id = normalise_message_id(_first(headers, "message-id") or "")
    if message_id is None:
        collector.note("Message-ID absent : les doublons seront reconnus par l'empreinte SHA-256")
    return message_id


def _date(
    headers: dict[str, list[str]], collector: _Collector, arrived_at: datetime | None
) -> datetime | None:
    """The Date: header; None (with a note) when missing, illegible, or a date no reception
    can have (before 2000, or more than a day after the message's arrival): the reception
    is then the arrival (intake.evidence.reception_time)."""
    date_header = _first(headers, "date")
    date = _parse_date(date_header) if date_header is not None else None
    if date_header is None:
        collector.note("en-tête Date absent")
    elif date is None:
        collector.note(f"date illisible (« {_clean(_short(date_header))} ») : ignorée")
    elif impossible_date(date) or (arrived_at is not None and date > arrived_at + _A_DAY):
        collector.note(
            f"date impossible (« {_clean(_short(date_header))} ») : ignorée, la réception "
            "retenue est l'arrivée du message"
        )
        return None
    return date


def _text_and_html(collector: _Collector) -> tuple[str, str, bool]:
    """The text, the HTML to show, and whether HTML too large or too deeply nested to show
    was withheld ("" as the HTML: the text is shown, the original is kept)."""
    sanitised = sanitise_email_html("\n".join(collector.htmls)) if collector.htmls else None
    html = sanitised.html.strip() if sanitised else ""
    text = "\n\n".join(t.strip("\r\n") for t in collector.texts)
    if not text.strip() and sanitised:
        # HTML only, or an empty text/plain alternative next to the real HTML body.
        text = sanitised.text()
    if not text.strip() and not html and collector.wrapped_bodies:
        # Outlook sent the whole body inside its winmail.dat: it is what the client wrote.
        wrapped = collector.wrapped_bodies[0]
        collector.note(
            f"texte du message lu dans la pièce jointe Outlook « {wrapped.source} » "
            f"(corps {wrapped.body_format})"
        )
        sanitised = sanitise_email_html(wrapped.html) if wrapped.html else None
        html = sanitised.html.strip() if sanitised else ""
        text = wrapped.text
    if sanitised is not None and not sanitised.showable:
        return text, "", True
    return text, html, False


def _note_all(collector: _Collector, notes: Iterable[str]) -> None:
    for note in notes:
        collector.note(note)
