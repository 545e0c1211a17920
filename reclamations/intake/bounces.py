"""A delivery report (DSN) about one of our own messages: which message it reports, and why it
was not delivered, in French. Pure: read from the parsed message."""

import re
from dataclasses import dataclass

from reclamations.intake.parsing import InboundMessage, normalise_message_id

_ORIGINAL_PARTS = ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers")
_MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(rb"^(Final-Recipient|Status|Diagnostic-Code|Action):[ \t]*(.+)$", re.I | re.M)


@dataclass(frozen=True)
class Bounce:
    message_ids: tuple[str, ...]  # the reported messages' ids, normalised
    reason: str  # French, for staff


def _ids(message: InboundMessage) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for attachment in message.attachments:
        if attachment.content_type not in _ORIGINAL_PARTS:
            continue
        match = _MESSAGE_ID.search(attachment.payload[:65536])
        if match:
            normalised = normalise_message_id(match.group(1).decode("ascii", "replace"))
            if normalised:
                found[normalised] = None
    for value in (*message.in_reply_to, *message.references):
        found[value] = None
    return tuple(found)


def _status(message: InboundMessage) -> dict[str, str]:
    fields: dict[str, str] = {}
    for attachment in message.attachments:
        if attachment.content_type != "message/delivery-status":
            continue
        for name, value in _FIELD.findall(attachment.payload[:65536]):
            key = name.decode("ascii").lower()
            fields.setdefault(key, value.decode("utf-8", "replace").strip())
    return fields


def _recipient(value: str) -> str:
    return value.split(";", 1)[-1].strip() if value else ""


def bounce_of(message: InboundMessage) -> Bounce | None:
    """The report of a message that was not delivered, or None (no report, or none of ours)."""
    if not message.auto_reason.startswith("avis de non-remise"):
        return None
    ids = _ids(message)
    if not ids:
        return None
    fields = _status(message)
    if fields.get("action", "failed").lower() not in ("failed", ""):
        return None  # "delayed", "delivered", "relayed": not a failure (yet)
    recipient = _recipient(fields.get("final-recipient", ""))
    detail = fields.get("diagnostic-code") or fields.get("status") or ""
    detail = _recipient(detail) if detail.lower().startswith("smtp;") else detail
    parts = [part for part in (recipient, detail) if part]
    reason = "Avis de non-remise reçu" + (f" ({' : '.join(parts)})" if parts else "")
    return Bounce(ids, f"{reason}.")
