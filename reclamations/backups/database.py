"""The database's part of a backup: a consistent copy taken while the application runs, the
register's figures read from that same copy, and the copy restored into an empty database.

SQLite: the sqlite3 backup API copies the database in one step from a read transaction; in
WAL mode writers go on meanwhile and the copy is the database as of one commit. PostgreSQL:
`pg_dump --format=custom` on a snapshot exported by a REPEATABLE READ transaction, in which
the figures of the manifest are read too, so that they describe exactly what was dumped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document
from reclamations.core.models import Organisation

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

NO_PG_TOOLS = (
    "La commande {tool} est introuvable : elle sert à sauvegarder et restaurer une base "
    "PostgreSQL. Installez le client PostgreSQL de la même version que le serveur (Debian, "
    "Ubuntu : apt-get install postgresql-client), puis recommencez."
)


class BackupError(Exception):
    """A backup or a restore that cannot be done, with the French reason and what to do."""


@dataclass(frozen=True)
class RegisterFacts:
    """What the manifest says of the register, read from the copy that is saved."""

    migrations: dict[str, list[str]]
    organisations: list[dict[str, Any]]
    counts: dict[str, int]
    chain_heads: list[dict[str, Any]]


def engine() -> str:
    """The live database's engine, as the manifest names it."""
    if connection.vendor == "sqlite":
        return SQLITE
    if connection.vendor == "postgresql":
        return POSTGRESQL
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


def _table(model: Any) -> str:
    # The models' own table names, never input: the queries below take no parameter.
    return connection.ops.quote_name(model._meta.db_table)


def read_facts(query: Callable[[str], Sequence[tuple[Any, ...]]]) -> RegisterFacts:
    """The register's figures through `query` (plain SQL without parameters, run inside the
    copy's own snapshot)."""
    migrations: dict[str, list[str]] = {}
    for app, name in query("SELECT app, name FROM django_migrations ORDER BY app, name"):
        migrations.setdefault(app, []).append(name)
    organisations = [
        {"id": row[0], "name": row[1]}
        for row in query(f"SELECT id, name FROM {_table(Organisation)} ORDER BY id")  # noqa: S608
    ]
    counts = {
        label: int(query(f"SELECT COUNT(*) FROM {_table(model)}")[0][0])  # noqa: S608
        for label, model in (
            ("complaints", Complaint),
            ("events", ComplaintEvent),
            ("documents", Document),
        )
    }
    heads = [
        {"organisation": row[0], "last_sequence": int(row[1]), "last_hash": row[2]}
        for row in query(
            f"SELECT organisation_id, last_sequence, last_hash FROM {_table(ChainHead)} "  # noqa: S608
            "ORDER BY organisation_id"
        )
    ]
    return RegisterFacts(migrations, organisations, counts, heads)


# --- SQLite ---


def _sqlite_connect(name: str | os.PathLike[str]) -> sqlite3.Connection:
    text = str(name)
    # The test suite's in-memory database is named by a URI (file:memorydb_...?mode=memory).
    return sqlite3.connect(text, uri=text.startswith("file:"), timeout=20)


def sqlite_snapshot(source: str | os.PathLike[str], target: Path) -> RegisterFacts:
    """Copy the SQLite database `source` into `target` (a new file), consistent as of one
    commit, and read the register's figures from the copy."""
    with closing(_sqlite_connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        # The read transaction is opened here, where a lock that does not come within the
        # timeout raises, rather than in backup(), which would wait for it forever.
        live.execute("BEGIN")
        live.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        # One step (pages=-1), inside that read transaction: the copy is the database as of
        # one commit. Copied in several steps, a write between two would restart it.
        live.backup(copy, pages=-1)
        live.rollback()
        # The copy stands alone: no -wal file beside it (the application turns WAL on again).
        copy.execute("PRAGMA journal_mode=DELETE")
        problem = copy.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"La copie de la base SQLite est incohérente : {problem}.")
        return read_facts(lambda sql: copy.execute(sql).fetchall())


def sqlite_is_empty(path: Path) -> bool:
    """True when `path` holds no database or one without a table."""
    in_memory = str(path).startswith("file:")  # the test suite's database
    if not in_memory and (not path.exists() or path.stat().st_size == 0):
        return True
    with closing(_sqlite_connect(path)) as database:
        tables = database.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
    return int(tables) == 0


def sqlite_install(copy: Path, path: Path) -> None:
    """Put the restored copy in place of the (empty) database at `path`."""
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        leftover.unlink(missing_ok=True)
    os.replace(copy, path)


# --- PostgreSQL ---


@dataclass(frozen=True)
class PostgresTarget:
    """A PostgreSQL database named by Django's connection settings."""

    name: str
    user: str
    password: str
    host: str
    port: str

    @classmethod
    def from_settings(cls, settings_dict: dict[str, Any]) -> PostgresTarget:
        return cls(
            name=str(settings_dict.get("NAME") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
        )

    def environment(self) -> dict[str, str]:
        """libpq's variables: the password never appears on a command line."""
        env = dict(os.environ)
        for variable, value in (
            ("PGDATABASE", self.name),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGHOST", self.host),
            ("PGPORT", self.port),
        ):
            if value:
                env[variable] = value
            else:
                env.pop(variable, None)
        return env


def pg_tool(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        raise BackupError(NO_PG_TOOLS.format(tool=tool))
    return found


@contextmanager
def _exported_snapshot() -> Iterator[tuple[str, Callable[[str], Sequence[tuple[Any, ...]]]]]:
    """A REPEATABLE READ transaction on a connection of our own, its snapshot's name for
    pg_dump --snapshot, and a way to query inside it; the snapshot lives until the end."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]

        def query(sql: str) -> Sequence[tuple[Any, ...]]:
            with raw.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

        yield snapshot, query
        raw.rollback()
    finally:
        raw.close()


def postgres_snapshot(target: Path) -> RegisterFacts:
    """Dump the live PostgreSQL database into `target` (custom format) and read the register's
    figures in the same snapshot."""
    database = PostgresTarget.from_settings(connection.settings_dict)
    with _exported_snapshot() as (snapshot, query):
        facts = read_facts(query)
        _run_pg_tool(
            "pg_dump",
            ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            database,
        )
    return facts


def _run_pg_tool(tool: str, arguments: list[str], database: PostgresTarget) -> None:
    """Run pg_dump or pg_restore against `database`; BackupError with its message if it fails."""
    done = subprocess.run(  # noqa: S603 (a fixed program, our own arguments)
        [pg_tool(tool), *arguments],
        env=database.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} a échoué : {done.stderr.strip()}")


def postgres_is_empty(database: PostgresTarget) -> bool:
    """True when the database has no table of its own (a database just created)."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(**_psycopg_params(database))
    with psycopg.connect(conninfo) as raw, raw.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_catalog.pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        row = cursor.fetchone()
    return row is not None and int(row[0]) == 0


def _psycopg_params(database: PostgresTarget) -> dict[str, str]:
    params = {"dbname": database.name, "user": database.user, "password": database.password}
    params.update(host=database.host, port=database.port)
    return {key: value for key, value in params.items() if value}


def postgres_install(dump: Path, database: PostgresTarget) -> None:
    """Restore `dump` into the empty `database`, in one transaction: all of it or nothing."""
    _run_pg_tool(
        "pg_restore",
        [
            # The objects belong to the role that restores, and the grants of the machine
            # that was saved (its roles may not exist here) are set again by hand.
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database.name}",
            str(dump),
        ],
        database,
    )
