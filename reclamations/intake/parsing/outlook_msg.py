"""Outlook .msg attachments (MS-OXMSG): who sent the message, when, its subject and text. Pure.

A .msg is an OLE compound file; `olefile` (BSD) reads its streams (docs/decisions/0017). Each
property the summary needs is a stream named after its tag ("__substg1.0_0037001F" is the
subject in UTF-16), or, for fixed-size values such as dates, an entry of the
"__properties_version1.0" stream.
"""

import struct
from datetime import UTC, datetime, timedelta
from io import BytesIO

import olefile

from reclamations.intake.parsing.bodies import html_to_text
from reclamations.intake.parsing.model import OutlookMessage
from reclamations.intake.parsing.rtf import compressed_rtf_text
from reclamations.intake.parsing.text import _clean, _collapse

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MSG_TYPES = ("application/vnd.ms-outlook", "application/x-msg")
_UNICODE, _STRING8, _BINARY, _LONG, _TIME = 0x001F, 0x001E, 0x0102, 0x0003, 0x0040
_SUBJECT = 0x0037
_SENDER_NAMES = (0x0C1A, 0x0042)  # sender, then "sent representing" (a delegate's mailbox)
# The SMTP address first: PR_SENDER_EMAIL_ADDRESS is an Exchange DN inside an organisation.
_SENDER_ADDRESSES = (0x5D01, 0x0C1F, 0x5D02, 0x0065)
_BODY, _RTF_COMPRESSED, _HTML = 0x1000, 0x1009, 0x1013
_SENT, _DELIVERED = 0x0039, 0x0E06  # PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME
_CODEPAGES = (0x3FFD, 0x3FDE)  # PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID
_TOP_LEVEL_HEADER = 32  # the properties stream of a top-level message starts with 32 bytes
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def is_outlook_message(filename: str | None, content_type: str) -> bool:
    """Whether an attachment claims to be an Outlook message."""
    return content_type in MSG_TYPES or (filename or "").strip().lower().endswith(".msg")


def read_outlook_message(payload: bytes) -> OutlookMessage | None:
    """The sender, date, subject and text of a .msg file; None when it cannot be read."""
    if not payload.startswith(OLE_SIGNATURE):
        return None
    try:
        with olefile.OleFileIO(BytesIO(payload)) as ole:
            return _Reader(ole).message()
    except Exception:  # a damaged compound file: the attachment is kept as it is
        return None


class _Reader:
    def __init__(self, ole: olefile.OleFileIO) -> None:
        self.ole = ole
        self.fixed = self._fixed_properties()
        codepage = next((self.fixed[tag] for tag in _CODEPAGES if tag in self.fixed), 1252)
        self.codepage = f"cp{codepage}" if _known_codec(f"cp{codepage}") else "cp1252"
        if codepage == 65001:
            self.codepage = "utf-8"

    def message(self) -> OutlookMessage | None:
        subject = self._string(_SUBJECT)
        sender_name = next(filter(None, map(self._string, _SENDER_NAMES)), "")
        addresses = (self._string(tag) for tag in _SENDER_ADDRESSES)
        sender_address = next((a for a in addresses if "@" in a), "")
        text = self._text()
        if not self.ole.exists("__properties_version1.0") and not (subject or text):
            return None  # some other OLE file (a Word 97 document) named .msg
        sent_at = next((self._time(tag) for tag in (_SENT, _DELIVERED) if tag in self.fixed), None)
        return OutlookMessage(
            sender_name=_clean(_collapse(sender_name)),
            sender_address=_clean(sender_address.strip()),
            sent_at=sent_at,
            subject=_clean(_collapse(subject)),
            text=text,
        )

    def _text(self) -> str:
        body = self._string(_BODY)
        if not body.strip():
            html = self._stream(_HTML, _BINARY)
            if html:
                body = html_to_text(html.decode(self.codepage, "replace"))
        if not body.strip():
            rtf = self._stream(_RTF_COMPRESSED, _BINARY)
            body = compressed_rtf_text(rtf) if rtf else ""
        lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return _clean("\n".join(line.rstrip() for line in lines)).strip()

    def _stream(self, tag: int, kind: int) -> bytes:
        name = f"__substg1.0_{tag:04X}{kind:04X}"
        if not self.ole.exists(name):
            return b""
        data: bytes = self.ole.openstream(name).read()
        return data

    def _string(self, tag: int) -> str:
        unicode = self._stream(tag, _UNICODE)
        if unicode:
            return unicode.decode("utf-16-le", "replace").split("\x00", 1)[0]
        return self._stream(tag, _STRING8).decode(self.codepage, "replace").split("\x00", 1)[0]

    def _fixed_properties(self) -> dict[int, int]:
        """The dates and numbers of the properties stream, by property id."""
        if not self.ole.exists("__properties_version1.0"):
            return {}
        data = self.ole.openstream("__properties_version1.0").read()
        values: dict[int, int] = {}
        for offset in range(_TOP_LEVEL_HEADER, len(data) - 15, 16):
            kind, tag, value = struct.unpack_from("<HH4xQ", data, offset)
            if kind == _TIME:
                values[tag] = value
            elif kind == _LONG:
                values[tag] = value & 0xFFFFFFFF
        return values

    def _time(self, tag: int) -> datetime | None:
        ticks = self.fixed[tag]  # 100 ns since 1 January 1601, UTC
        if not ticks:
            return None
        try:
            return _FILETIME_EPOCH + timedelta(microseconds=ticks // 10)
        except OverflowError:
            return None


def _known_codec(name: str) -> bool:
    try:
        "".encode(name)
    except LookupError:
        return False
    return True
