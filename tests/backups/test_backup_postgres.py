"""PostgreSQL's round trip: pg_dump of the running register, pg_restore into a new empty
database on another data directory, then the same register (verify, heads, counts, files)."""

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from reclamations.backups.backup import backup_create
from tests.backups.conftest import reclamations
from tests.backups.test_backup_restore import _empty_data_dir, _manifest, _same_register

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _server() -> dict[str, str]:
    given = connection.settings_dict
    params = {
        "user": given.get("USER") or "",
        "password": given.get("PASSWORD") or "",
        "host": given.get("HOST") or "",
        "port": str(given.get("PORT") or ""),
    }
    return {key: value for key, value in params.items() if value}


def _url(name: str) -> str:
    server = _server()
    credentials = server.get("user", "")
    if server.get("password"):
        credentials += f":{server['password']}"
    address = server.get("host", "")
    if server.get("port"):
        address += f":{server['port']}"
    return f"postgres://{credentials}@{address}/{name}"


@pytest.fixture
def new_database() -> Iterator[str]:
    """A new, empty database on the same server, dropped afterwards; its URL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    name = f"reclamations_restore_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _url(name)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **_server()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_round_trip_on_postgresql_gives_the_same_register(register, tmp_path, new_database):
    backup = backup_create(output=tmp_path / "pg.tar.gz")
    assert backup.manifest["database"] == {
        "engine": "postgresql",
        "member": "database/reclamations.pgdump",
    }
    target = _empty_data_dir(tmp_path)

    out = reclamations(
        "restore",
        str(backup.path),
        "--data-dir",
        str(target),
        data_dir=target,
        database_url=new_database,
    )

    assert "OK " in out
    assert out.endswith("Restauration terminée : le registre restauré se vérifie.\n")
    reclamations(
        "backup",
        "-o",
        str(tmp_path / "again.tar.gz"),
        data_dir=target,
        database_url=new_database,
    )
    _same_register(_manifest(tmp_path / "again.tar.gz"), backup.manifest)


def test_restore_refuses_a_database_that_has_tables(register, tmp_path, new_database):
    backup = backup_create(output=tmp_path / "pg.tar.gz")
    target = _empty_data_dir(tmp_path)
    reclamations("migrate", "--no-input", data_dir=target, database_url=new_database)

    with pytest.raises(AssertionError) as refused:
        reclamations(
            "restore",
            str(backup.path),
            "--data-dir",
            str(target),
            data_dir=target,
            database_url=new_database,
        )

    assert "contient déjà des tables" in str(refused.value)
