"""The outbox's email backends: one .eml file per message for installs without a mail server,
and SMTP with an OAuth 2.0 token (XOAUTH2) for Microsoft 365 and Gmail.

Django's own file backend appends every message of a connection to one log file; an .eml per
message opens in any mail client, which is what a demo or an evaluation needs.
"""

import logging
import re
import smtplib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

from reclamations.core import mail_tokens
from reclamations.core.oauth2 import xoauth2_string

logger = logging.getLogger(__name__)

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


class _XOAuth2Response:
    """smtplib's authobject: the XOAUTH2 string first; an empty line to a refusal sent as a
    challenge (Gmail's way), after which the server answers 535."""

    def __init__(self, user: str, token: str) -> None:
        self.user = user
        self.token = token

    def __call__(self, challenge: bytes | None = None) -> str:
        return xoauth2_string(self.user, self.token) if challenge is None else ""


class OAuth2SmtpBackend(SmtpBackend):
    """SMTP authenticated by XOAUTH2 with the mailbox's token (EMAIL_AUTH=oauth2): no password.

    A token the server refuses is renewed once and tried again; an OAuth2Error (provider
    unreachable, consent withdrawn) reaches the outbox, which keeps the message for later.
    """

    def open(self) -> bool | None:
        if self.connection:
            return False
        # The parent logs in with a password when it has one; here it only connects (and
        # STARTTLS), the token does the rest.
        self.password = ""
        opened = super().open()
        if not self.connection:
            return opened
        refusal: smtplib.SMTPAuthenticationError | None = None
        try:
            # auth(), unlike login(), does not greet first; a greeting after AUTH would reset
            # the session (RFC 5321) and the server would ask for authentication again.
            self.connection.ehlo_or_helo_if_needed()
            for renew in (False, True):
                token = mail_tokens.access_token(self.username, renew=renew)
                try:
                    self.connection.auth(
                        "XOAUTH2", _XOAuth2Response(self.username, token), initial_response_ok=True
                    )
                    return True
                except smtplib.SMTPAuthenticationError as error:
                    refusal = error
                    logger.info(
                        "Jeton OAuth 2.0 refusé par le serveur SMTP pour %s : %s",
                        self.username,
                        error,
                    )
        except BaseException:
            self.close()
            raise
        self.close()
        assert refusal is not None  # the loop ran and failed twice
        raise refusal
