"""A real SMTP server in the test process (aiosmtpd), recording what it receives."""

import base64
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.harness.network import free_port
from tests.harness.oauth2 import OAuthAuthority


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes  # the DATA exactly as received, dot-unstuffed

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    @property
    def subject(self) -> str:
        # Python's legacy email API folds a long encoded subject right after "Subject:"; the
        # whitespace of that fold is not part of the value (RFC 5322, 2.2.3), mail clients drop it.
        return str(self.message["Subject"]).strip()

    @property
    def body(self) -> str:
        # The wire has CRLF line ends; the text as a mail client shows it has plain lines.
        return self.message.get_content().replace("\r\n", "\n")


@dataclass
class RecordingHandler:
    """Accepts every message, or refuses recipients (`refuse_rcpt`) or the message itself
    (`refuse_data`) with the given reply ("451 ..." / "550 ...")."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: str = ""
    refuse_data: str = ""
    refused_addresses: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse_rcpt or address in self.refused_addresses:
            return self.refused_addresses.get(address, self.refuse_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_data:
            return self.refuse_data
        self.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
        )
        return "250 Message accepted for delivery"


@dataclass
class OAuth2Handler(RecordingHandler):
    """Accepts mail only after AUTH XOAUTH2 with a token the authority says is valid for the
    login, as Microsoft 365 and Gmail do; a refused token is answered the way Gmail does (a
    334 challenge holding the error, then 535 once the client sends its empty line)."""

    authority: OAuthAuthority | None = None
    logins: list[str] = field(default_factory=list)
    refusals: int = 0

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        try:
            fields = base64.b64decode(args[1]).decode().split("\x01")
            user = fields[0].removeprefix("user=")
            token = fields[1].removeprefix("auth=Bearer ")
        except (IndexError, ValueError):
            return AuthResult(success=False, handled=False)
        assert self.authority is not None
        answer = self.authority.introspect({"token": token})
        if answer.get("active") and answer.get("username") == user:
            self.logins.append(user)
            return AuthResult(success=True, auth_data=user)
        self.refusals += 1
        await server.challenge_auth('{"status":"401","schemes":"bearer","scope":"mail"}')
        return AuthResult(success=False, handled=False)


class SmtpServer:
    def __init__(self, *, oauth: OAuthAuthority | None = None) -> None:
        self.port = free_port()
        if oauth is None:
            self.handler: RecordingHandler = RecordingHandler()
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        else:
            self.handler = OAuth2Handler(authority=oauth)
            self.controller = Controller(
                self.handler,
                hostname="127.0.0.1",
                port=self.port,
                auth_required=True,
                auth_require_tls=False,
                auth_exclude_mechanism=["LOGIN", "PLAIN"],
            )

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def refuse_recipients(self, reply: str) -> None:
        self.handler.refuse_rcpt = reply

    def refuse_data(self, reply: str) -> None:
        self.handler.refuse_data = reply

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()
