"""What parsing returns: InboundMessage and its Attachments, or UnparseableMessage. Pure.

Frozen dataclasses: a parsed message is a value, shared by routing and the intake services.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OutlookMessage:
    """What an attached Outlook message (.msg) says, as far as its properties could be read."""

    sender_name: str
    sender_address: str
    sent_at: datetime | None  # aware, UTC
    subject: str
    text: str  # its body as plain text (from its text, HTML or RTF body)


@dataclass(frozen=True)
class Attachment:
    """One attached file, its payload decoded and its name usable as a file name."""

    filename: str  # decoded (RFC 2231 / RFC 2047), never empty
    content_type: str  # as declared, lowercased
    payload: bytes  # decoded bytes
    sha256: str
    # The name of the winmail.dat (TNEF) this file was unpacked from; "" when sent as it is.
    unpacked_from: str = ""
    # An Outlook .msg attachment's content, when it could be read.
    outlook: OutlookMessage | None = None


@dataclass(frozen=True)
class InboundMessage:
    """An email as the register needs it; every str is free of NUL and lone surrogates."""

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
    # The HTML body was too large or too deeply nested to show: `html` is "", `text` has
    # every word of it, the original is in `raw`.
    html_withheld: bool = False
    # The Content-Language header as sent ("en-GB", "fr"...), "" when absent: the only hint of
    # the client's language the intake takes (no detection from the text).
    content_language: str = ""


class UnparseableMessage(Exception):
    """Nothing usable in these bytes; str(exc) says why, in French."""
