"""A real Dovecot IMAP server for the tests: its own configuration, folders and port.

Started once per test session (tests/intake/conftest.py) on a free loopback port, with
everything (sockets, state, logs, mail) in a temporary folder; each test gets its own account,
so mailboxes never leak from one test to the next. Needs the Debian package `dovecot-imapd`
(`/usr/sbin/dovecot`) and root, to create the non-root system user the mail belongs to.
"""

import imaplib
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.harness.network import free_port

DOVECOT = Path("/usr/sbin/dovecot")
MAIL_USER = "reclamations-mail"
START_TIMEOUT = 15.0
# Mailboxes prepared for one test session (one per test that needs one).
ACCOUNTS = 200

CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login{oauth2_mechanisms}
auth_failure_delay = 0
mail_location = maildir:~/Maildir
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
last_valid_gid = {gid}
{oauth2_passdb}passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = {base}/users
}}
userdb {{
  driver = passwd-file
  args = {base}/users
}}
# Refused logins are part of the tests (a revoked token): no growing delay after them.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


# With an OAuth 2.0 authority: XOAUTH2 logins, each token checked by the authority's
# introspection endpoint (RFC 7662), as Dovecot does for a real provider.
OAUTH2_PASSDB = """\
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {base}/oauth2.conf
}}
"""
OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {introspection_url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


def unavailable_reason() -> str | None:
    """Why the real IMAP server cannot run here, or None when it can."""
    if not DOVECOT.exists():
        return (
            "Dovecot absent (/usr/sbin/dovecot) : installez le paquet Debian dovecot-imapd "
            "pour lancer les tests IMAP."
        )
    try:
        pwd.getpwnam(MAIL_USER)
    except KeyError:
        if os.geteuid() != 0:
            return f"l'utilisateur système {MAIL_USER} manque et seul root peut le créer."
    return None


def _mail_user() -> tuple[int, int]:
    """The non-root system user owning the test mail (imap refuses to serve mail as root)."""
    try:
        entry = pwd.getpwnam(MAIL_USER)
    except KeyError:
        # check=False: another test process (pytest-xdist) may be creating it at the same time.
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                "/usr/sbin/useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                MAIL_USER,
            ],
            check=False,
            capture_output=True,
        )
        entry = pwd.getpwnam(MAIL_USER)
    return entry.pw_uid, entry.pw_gid


@dataclass(frozen=True)
class Account:
    user: str
    password: str


@dataclass
class DovecotServer:
    base: Path
    port: int
    uid: int
    gid: int
    process: subprocess.Popen | None = None
    accounts: list[Account] = field(default_factory=list)
    _next_account: int = 0
    host: str = "127.0.0.1"

    @classmethod
    def start(cls, *, introspection_url: str = "") -> "DovecotServer":
        """Start it; with `introspection_url`, XOAUTH2 logins are accepted too."""
        uid, gid = _mail_user()
        # Not under pytest's temporary folders (mode 700): Dovecot's own unprivileged processes
        # (auth as "dovecot", mail as the mail user) must reach their files.
        base = Path(tempfile.mkdtemp(prefix="reclamations-dovecot-"))
        base.chmod(0o755)
        (base / "homes").mkdir(exist_ok=True)
        (base / "homes").chmod(0o755)
        server = cls(base=base, port=free_port(), uid=uid, gid=gid)
        server._create_accounts(ACCOUNTS)
        config = base / "dovecot.conf"
        oauth2_passdb = ""
        if introspection_url:
            (base / "oauth2.conf").write_text(
                OAUTH2_CONF.format(introspection_url=introspection_url)
            )
            oauth2_passdb = OAUTH2_PASSDB.format(base=base)
        config.write_text(
            CONFIG.format(
                base=base,
                port=server.port,
                uid=uid,
                gid=gid,
                oauth2_mechanisms=" xoauth2 oauthbearer" if introspection_url else "",
                oauth2_passdb=oauth2_passdb,
            )
        )
        server.process = subprocess.Popen(  # noqa: S603 (our own configuration file)
            [str(DOVECOT), "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        server._wait_until_listening()
        return server

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Dovecot stopped at start: {self.log()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as conn:
                    if conn.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Dovecot did not listen on port {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.base / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self.process.stderr is not None:
            self.process.stderr.close()
        self.process = None
        shutil.rmtree(self.base, ignore_errors=True)

    def _create_accounts(self, count: int) -> None:
        # All written before the server starts: Dovecot notices a changed passwd-file by its
        # modification time, in whole seconds, so accounts added one by one could go unseen.
        lines = []
        for number in range(1, count + 1):
            account = Account(f"test{number}", secrets.token_urlsafe(12))
            home = self.base / "homes" / account.user
            home.mkdir()
            shutil.chown(home, self.uid, self.gid)
            lines.append(
                f"{account.user}:{{PLAIN}}{account.password}:{self.uid}:{self.gid}::{home}\n"
            )
            self.accounts.append(account)
        (self.base / "users").write_text("".join(lines))

    def new_account(self) -> Account:
        """A fresh, empty mailbox: one per test."""
        if self._next_account >= len(self.accounts):
            raise RuntimeError(f"All {ACCOUNTS} test mailboxes used: raise ACCOUNTS.")
        self._next_account += 1
        return self.accounts[self._next_account - 1]

    def client(self, account: Account) -> imaplib.IMAP4:
        connection = imaplib.IMAP4(self.host, self.port, timeout=10)
        connection.login(account.user, account.password)
        return connection

    def append(
        self,
        account: Account,
        raw: bytes,
        *,
        folder: str = "INBOX",
        when: datetime | None = None,
    ) -> None:
        """Deliver a message the way a mail client files one: IMAP APPEND, with its date."""
        connection = self.client(account)
        try:
            moment = imaplib.Time2Internaldate(when or time.time())
            status, data = connection.append(folder, None, moment, raw)
            if status != "OK":
                raise RuntimeError(f"APPEND refused: {data}")
        finally:
            connection.logout()

    def folder_state(self, account: Account, folder: str) -> list[tuple[bytes, set[str]]]:
        """(subject header line, flags) of each message of `folder`, in UID order."""
        connection = self.client(account)
        try:
            status, _ = connection.select(folder, readonly=True)
            if status != "OK":
                return []
            _, data = connection.uid("SEARCH", "ALL")
            uids = data[0].split()
            state = []
            for uid in uids:
                _, parts = connection.uid(
                    "FETCH", uid, "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"
                )
                head = parts[0][0] if isinstance(parts[0], tuple) else parts[0]
                flags_text = head.split(b"FLAGS (", 1)[1].split(b")", 1)[0].decode()
                subject = parts[0][1].strip() if isinstance(parts[0], tuple) else b""
                state.append((subject, set(flags_text.split())))
            return state
        finally:
            connection.logout()
