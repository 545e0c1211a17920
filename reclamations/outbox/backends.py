"""An email backend for installs without a mail server: one .eml file per message sent.

Django's own file backend appends every message of a connection to one log file; an .eml per
message opens in any mail client, which is what a demo or an evaluation needs.
"""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def message_bytes(message: EmailMessage) -> bytes:
    """The bytes of `message` exactly as the SMTP backend puts them on the wire (CRLF lines)."""
    # Django 5.2 returns a SafeMIMEText or SafeMIMEMultipart, whose as_bytes takes linesep;
    # django-stubs 6 describe Django 6, where message() is the stdlib's EmailMessage.
    return message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to `<SENT_MAIL_DIR>/<UTC time>-<Message-ID>.eml`."""

    def __init__(self, *, directory: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Path(directory or settings.SENT_MAIL_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        written = 0
        for message in email_messages:
            message_id = str(message.extra_headers.get("Message-ID", "")) or f"message-{written}"
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%fZ")
            name = f"{stamp}-{_UNSAFE.sub('_', message_id.strip('<>'))[:120]}.eml"
            (self.directory / name).write_bytes(message_bytes(message))
            written += 1
        return written
