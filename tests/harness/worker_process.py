"""The real `reclamations` command run as separate processes on a register of their own.

For the tests that kill a worker with SIGKILL or run two at once: each register is a data folder
and a database that the test owns (SQLite inside the folder, or a PostgreSQL database created
here and dropped at the end), prepared as a first installation is (migrate, then the seed
organisation), and configured by environment variables only, as in production.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_INSTALLED = Path(sys.executable).parent / "reclamations"
COMMAND = [str(_INSTALLED)] if _INSTALLED.exists() else [sys.executable, "-m", "reclamations.cli"]
RUN_TIMEOUT = 120.0

SEED = (
    "from reclamations.core.seed import ensure_seed_organisation\n"
    "organisation = ensure_seed_organisation()\n"
    # As the tests' own organisation: its mediator checked on the CECMC's list by a manager.
    "organisation.mediator_cecmc_listed = True\n"
    "organisation.save(update_fields=['mediator_cecmc_listed'])\n"
)


@dataclass
class Register:
    data_dir: Path
    database_url: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            # The test process's own register and servers are not this one's.
            if not key.startswith(("DATABASE_URL", "IMAP_", "EMAIL_", "RECLAMATIONS_"))
        }
        env.update(
            RECLAMATIONS_DATA_DIR=str(self.data_dir),
            RECLAMATIONS_BACKUP_DIR="off",
            PYTHONPATH=str(PROJECT_ROOT),
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    @classmethod
    def create(cls, data_dir: Path, *, database_url: str = "", **extra_env: str) -> "Register":
        data_dir.mkdir(parents=True, exist_ok=True)
        register = cls(data_dir, database_url, dict(extra_env))
        if database_url:
            _postgres_admin(database_url, "CREATE DATABASE {name}")
        register.run("migrate", "--verbosity", "0")
        register.python(SEED)
        return register

    def drop(self) -> None:
        if self.database_url:
            _postgres_admin(self.database_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def run(self, *args: str, timeout: float = RUN_TIMEOUT) -> str:
        """Run a command to its end; its output, or an AssertionError saying why it failed."""
        done = subprocess.run(  # noqa: S603 (our own command)
            [*COMMAND, *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, (args, done.returncode, done.stdout, done.stderr[-3000:])
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen:
        """Start a command; its errors go to data_dir/stderr.log (`errors()`)."""
        with (self.data_dir / "stderr.log").open("ab") as errors:
            return subprocess.Popen(  # noqa: S603 (our own command)
                [*COMMAND, *args],
                env=self.env,
                cwd=PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )

    def errors(self) -> str:
        path = self.data_dir / "stderr.log"
        return path.read_text(errors="replace")[-5000:] if path.exists() else ""

    def python(self, code: str) -> str:
        """Run `code` inside the application (`reclamations shell -c`); what it printed."""
        return self.run("shell", "--no-imports", "-c", code)

    def query(self, code: str) -> object:
        """The JSON value that `code` prints last (it ends with a print(json.dumps(...)))."""
        lines = self.python("import json\n" + code).strip().splitlines()
        return json.loads(lines[-1])


@dataclass
class Victim:
    """A run to kill once `done()` has grown by `after` since its start, then `extra` seconds
    later: a random point inside the work, not during the process's start-up."""

    command: str
    done: Callable[[], int]
    after: int
    extra: float
    process: subprocess.Popen | None = None
    baseline: int = 0
    kill_at: float | None = None


def kill_in_the_work(register: Register, victims: list[Victim]) -> list[str]:
    """Start every victim at once, kill each at its point; the commands really killed (those
    that ended first, with nothing left to do, are not)."""
    for victim in victims:
        victim.baseline = victim.done()
        victim.process = register.start(victim.command)
    killed = []
    deadline = time.monotonic() + 60
    while any(victim.process.poll() is None for victim in victims):
        assert time.monotonic() < deadline, "a run neither progressed nor ended in 60 s"
        now = time.monotonic()
        for victim in victims:
            if victim.process.poll() is not None:
                continue
            if victim.kill_at is None and victim.done() - victim.baseline >= victim.after:
                victim.kill_at = now + victim.extra
            if victim.kill_at is not None and now >= victim.kill_at:
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait(timeout=10)
                killed.append(victim.command)
        time.sleep(0.002)
    return killed


def postgres_database_url(server_url: str) -> str:
    """A new database's URL on the server of `server_url` (postgres://...), for one test."""
    config = dj_database_url.parse(server_url)
    name = f"reclamations_workers_{secrets.token_hex(4)}"
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{credentials}@{config['HOST']}:{config['PORT'] or 5432}/{name}"


def _postgres_admin(database_url: str, statement: str) -> None:
    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(statement.format(name=f'"{config["NAME"]}"'))
