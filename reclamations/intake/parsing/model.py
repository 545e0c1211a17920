"""What parsing returns: InboundMessage and its Attachments, or UnparseableMessage. Pure.

Frozen dataclasses: a parsed message is a value, shared by routing and the intake services.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Attachment:
    """One attached file, its payload decoded and its name usable as a file name."""

    filename: str  # decoded (RFC 2231 / RFC 2047), never empty
    content_type: str  # as declared, lowercased
    payload: bytes  # decoded bytes
    sha256: str


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


class UnparseableMessage(Exception):
    """Nothing usable in these bytes; str(exc) says why, in French."""
