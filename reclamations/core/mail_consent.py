"""The mailbox owner's one-time consent (OAuth 2.0 authorisation code with PKCE): where to send
the browser, and how the code comes back, either to a listener on this machine's loopback
(the browser runs here, or the port is forwarded over SSH) or pasted by hand (the browser runs
elsewhere and stops on an unreachable http://localhost address, whose address bar holds it).
"""

from __future__ import annotations

import html
import secrets
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from reclamations.core.oauth2 import OAuth2Config, OAuth2Error, Pkce, authorization_url

DEFAULT_PORT = 8765

_DONE_PAGE = """<!doctype html><html lang="fr"><meta charset="utf-8">
<title>Autorisation reçue</title><body style="font-family:sans-serif;margin:3em">
<h1>{title}</h1><p>{detail}</p></body></html>"""


@dataclass(frozen=True)
class ConsentRequest:
    redirect_uri: str
    state: str
    pkce: Pkce = field(repr=False)
    url: str

    @classmethod
    def new(
        cls, config: OAuth2Config, *, host: str = "localhost", port: int = DEFAULT_PORT, user: str
    ) -> ConsentRequest:
        """A consent whose browser comes back to this machine's loopback (the command)."""
        return cls.returning_to(
            config,
            redirect_uri=f"http://{host}:{port}/",
            state=secrets.token_urlsafe(24),
            user=user,
        )

    @classmethod
    def returning_to(
        cls, config: OAuth2Config, *, redirect_uri: str, state: str, user: str
    ) -> ConsentRequest:
        """A consent whose browser comes back to `redirect_uri` (a page of the application)
        with `state`, which the caller binds to whoever started it."""
        pkce = Pkce.new()
        url = authorization_url(
            config, redirect_uri=redirect_uri, state=state, pkce=pkce, login_hint=user
        )
        return cls(redirect_uri=redirect_uri, state=state, pkce=pkce, url=url)

    def code_from(self, address: str) -> str:
        """The code in the address the browser was sent back to (or the bare code, pasted)."""
        text = address.strip()
        if not text:
            raise OAuth2Error("Adresse vide : collez l'adresse complète de la page de retour.")
        if "=" not in text and "/" not in text:
            return text  # the code alone
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(text).query))
        if "error" in query:
            detail = query.get("error_description", "").strip()
            raise OAuth2Error(
                f"Consentement refusé par le fournisseur ({query['error']})"
                + (f" : {detail[:300]}" if detail else "")
                + ". Recommencez, connecté avec le compte de la boîte des réclamations.",
                code=query["error"],
            )
        if query.get("state") != self.state:
            raise OAuth2Error(
                "Cette adresse ne vient pas de cette demande d'autorisation (state différent) : "
                "recommencez et collez l'adresse obtenue avec le dernier lien affiché.",
                code="state_mismatch",
            )
        code = query.get("code", "")
        if not code:
            raise OAuth2Error("Pas de code dans cette adresse : collez-la en entier.")
        return code

    def listening(self) -> Listener:
        """The loopback listener the browser comes back to: bound before the address is shown,
        so that a quick browser finds it there."""
        return Listener(self)


class Listener:
    """Receives the browser's return on the redirect address's port (a context manager)."""

    def __init__(self, request: ConsentRequest) -> None:
        self.request = request
        self.outcome: dict[str, Any] = {}
        self.arrived = threading.Event()
        self.server: HTTPServer | None = None

    def __enter__(self) -> Listener:
        listener = self
        request = self.request

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not urllib.parse.urlsplit(self.path).query:  # a favicon, a stray request
                    self.send_response(404)
                    self.end_headers()
                    return
                try:
                    listener.outcome["code"] = request.code_from(self.path)
                    title, detail = "Autorisation reçue", "Vous pouvez fermer cette fenêtre."
                except OAuth2Error as error:
                    listener.outcome["error"] = error
                    title, detail = "Autorisation non reçue", str(error)
                body = _DONE_PAGE.format(title=title, detail=html.escape(detail)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                listener.arrived.set()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        port = urllib.parse.urlsplit(request.redirect_uri).port or 80
        try:
            # The loopback only: the code must not be offered to the network.
            self.server = HTTPServer(("127.0.0.1", port), Handler)
        except OSError as error:
            raise OAuth2Error(
                f"Le port {port} est occupé ({error}) : choisissez-en un autre avec --port."
            ) from error
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def wait(self, *, timeout: float) -> str:
        """The code, once the browser came back (or OAuth2Error after `timeout` seconds)."""
        if not self.arrived.wait(timeout):
            raise OAuth2Error(
                f"Pas de retour du navigateur en {int(timeout)} secondes : recommencez, ou "
                "utilisez --paste si le navigateur tourne sur une autre machine.",
                code="timeout",
            )
        if "error" in self.outcome:
            raise self.outcome["error"]
        return str(self.outcome["code"])

    def __exit__(self, *exc_info: object) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
