"""An OAuth 2.0 authorisation server for the tests, as Microsoft 365 and Google behave for mail:
the consent (code with PKCE), the token endpoint (code, refresh token, client credentials) and
token introspection, which the test Dovecot asks about every XOAUTH2 login.

It runs in the test process on a free loopback port (a thread), and the tests steer it: token
lifetimes, rotation of refresh tokens (Microsoft rotates, Google does not), revocations, and
what it was asked.
"""

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.harness.network import free_port

CLIENT_ID = "reclamations-tests"
CLIENT_SECRET = "secret-de-test"


@dataclass
class _Code:
    user: str
    redirect_uri: str
    challenge: str
    used: bool = False


@dataclass
class _Access:
    user: str
    expires: float
    revoked: bool = False


@dataclass
class OAuthAuthority:
    port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    access_lifetime: int = 3600
    rotate_refresh_tokens: bool = True
    # The mailbox an application's own token (client credentials) is good for.
    application_user: str = ""
    codes: dict[str, _Code] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # token -> user
    access_tokens: dict[str, _Access] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    introspections: int = 0
    # The account signed in at the provider's consent page (a browser test's): "" for none.
    signed_in: str = ""
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/authorize"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    # --- steering -----------------------------------------------------------------------

    def consent(self, authorization_url: str, user: str) -> str:
        """The mailbox owner signs in and consents: where the browser is sent back."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization_url).query))
        assert query["client_id"] == CLIENT_ID, query
        assert query["response_type"] == "code", query
        assert query["code_challenge_method"] == "S256", query
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.codes[code] = _Code(user, query["redirect_uri"], query["code_challenge"])
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return (
            query["redirect_uri"]
            + separator
            + urllib.parse.urlencode({"code": code, "state": query["state"]})
        )

    def give_refresh_token(self, user: str) -> str:
        """A refresh token as a consent made elsewhere would give."""
        token = "rt-" + secrets.token_urlsafe(16)
        with self._lock:
            self.refresh_tokens[token] = user
        return token

    def revoke_access_tokens(self) -> None:
        with self._lock:
            for access in self.access_tokens.values():
                access.revoked = True

    def revoke_refresh_tokens(self) -> None:
        with self._lock:
            self.refresh_tokens.clear()

    def grants(self, kind: str) -> list[dict[str, str]]:
        return [request for request in self.token_requests if request["grant_type"] == kind]

    # --- the endpoints ------------------------------------------------------------------

    def _issue(self, user: str) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(16)
        self.access_tokens[access] = _Access(user, time.time() + self.access_lifetime)
        return {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": self.access_lifetime,
            "scope": "https://mail.example/imap https://mail.example/smtp",
        }

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.token_requests.append(form)
            if form.get("client_id") != CLIENT_ID:
                return 401, {"error": "invalid_client", "error_description": "Unknown client."}
            grant = form.get("grant_type")
            if grant == "authorization_code":
                return self._from_code(form)
            if grant == "refresh_token":
                return self._from_refresh(form)
            if grant == "client_credentials":
                if form.get("client_secret") != CLIENT_SECRET or not self.application_user:
                    return 401, {"error": "invalid_client", "error_description": "Bad secret."}
                return 200, self._issue(self.application_user)
            return 400, {"error": "unsupported_grant_type"}

    def _from_code(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        code = self.codes.get(form.get("code", ""))
        if code is None or code.used or code.redirect_uri != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "Bad code."}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code.challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE mismatch."}
        code.used = True
        answer = self._issue(code.user)
        answer["refresh_token"] = "rt-" + secrets.token_urlsafe(16)
        self.refresh_tokens[answer["refresh_token"]] = code.user
        return 200, answer

    def _from_refresh(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        old = form.get("refresh_token", "")
        user = self.refresh_tokens.get(old)
        if user is None:
            return 400, {
                "error": "invalid_grant",
                "error_description": "AADSTS70008: The refresh token has expired.\nTrace: x",
            }
        answer = self._issue(user)
        if self.rotate_refresh_tokens:
            del self.refresh_tokens[old]
            answer["refresh_token"] = "rt-" + secrets.token_urlsafe(16)
            self.refresh_tokens[answer["refresh_token"]] = user
        return 200, answer

    def introspect(self, form: dict[str, str]) -> dict[str, Any]:
        with self._lock:
            self.introspections += 1
            access = self.access_tokens.get(form.get("token", ""))
            if access is None or access.revoked or access.expires <= time.time():
                return {"active": False}
            return {"active": True, "username": access.user}

    # --- serving ------------------------------------------------------------------------

    def start(self) -> None:
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                """The provider's sign-in and consent page, as a browser reaches it: a page
                naming the account signed in, whose button sends the browser back with a
                code (`consent`)."""
                parts = urllib.parse.urlsplit(self.path)
                if parts.path == "/authorize" and authority.signed_in:
                    body = (
                        "<!doctype html><title>Consentement</title>"
                        f"<p>Connecté : {html.escape(authority.signed_in)}</p>"
                        '<form method="post" action="/authorize/accept?'
                        f'{html.escape(parts.query)}">'
                        "<button>Accepter</button></form>"
                    ).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(404)
                self.end_headers()

            def do_POST(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                if parts.path == "/authorize/accept":
                    back = authority.consent(
                        f"{authority.authorize_url}?{parts.query}", authority.signed_in
                    )
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                path = urllib.parse.urlsplit(self.path).path
                if path == "/token":
                    status, payload = authority.token(form)
                elif path == "/introspect":
                    status, payload = 200, authority.introspect(form)
                else:
                    status, payload = 404, {"error": "not_found"}
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
