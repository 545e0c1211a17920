"""A backup restored into an empty data directory gives the same register: verify passes,
with the same chain heads, counts and file hashes; a target that is not empty, or an archive
changed by one byte, is refused before anything is written."""

import gzip
import io
import json
import shutil
import sqlite3
import tarfile
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from reclamations.backups import archive
from reclamations.backups.backup import backup_create
from reclamations.backups.database import sqlite_snapshot
from reclamations.backups.models import BackupRun
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document
from tests.backups.conftest import reclamations

pytestmark = pytest.mark.django_db(transaction=True)


def _skip_unless_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's round trip (PostgreSQL's: test_backup_postgres.py)")


def _manifest(path: Path) -> dict:
    with open(path, "rb") as stream:
        return archive.checked_manifest(stream)


def _files(manifest: dict) -> dict[str, tuple[int, str]]:
    return {
        item["name"]: (item["size"], item["sha256"])
        for item in manifest["files"]
        if item["name"].startswith("files/")
    }


def _empty_data_dir(tmp_path: Path, name: str = "restored") -> Path:
    """A new data directory holding only the chain's key, copied there as docs/backups.md
    says (the keys are not in a backup)."""
    target = tmp_path / name
    target.mkdir()
    key = Path(settings.DATA_DIR) / "chain_key"
    if key.exists():
        shutil.copy(key, target / "chain_key")
    return target


def _same_register(restored_backup: dict, original: dict) -> None:
    for part in ("counts", "chain_heads", "organisations", "migrations"):
        assert restored_backup[part] == original[part], part
    assert _files(restored_backup) == _files(original)


def test_round_trip_on_sqlite_gives_the_same_register(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path)
    manifest = backup.manifest
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["counts"] == {
        "complaints": Complaint.objects.count(),
        "events": ComplaintEvent.objects.count(),
        "documents": Document.objects.count(),
        "files": 2,
    }
    head = ChainHead.objects.get()
    assert manifest["chain_heads"] == [
        {
            "organisation": register.pk,
            "last_sequence": head.last_sequence,
            "last_hash": head.last_hash,
        }
    ]
    assert sorted(_files(manifest)) == sorted(
        f"files/{document.file.name}" for document in Document.objects.all()
    )
    assert manifest["keys"]["included"] == []
    assert BackupRun.objects.get().succeeded

    target = _empty_data_dir(tmp_path)
    out = io.StringIO()
    call_command("restore", str(backup.path), "--data-dir", str(target), stdout=out)

    assert "OK " in out.getvalue()
    assert out.getvalue().endswith("Restauration terminée : le registre restauré se vérifie.\n")
    assert "OK" in reclamations("verify", data_dir=target)
    reclamations("backup", "-o", str(tmp_path / "again.tar.gz"), data_dir=target)
    _same_register(_manifest(tmp_path / "again.tar.gz"), manifest)


def test_backup_with_keys_restores_them(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path / "with-keys.tar.gz", with_keys=True)
    target = tmp_path / "restored"

    call_command("restore", str(backup.path), "--data-dir", str(target), stdout=io.StringIO())

    for name in backup.manifest["keys"]["included"]:
        kept = (Path(settings.DATA_DIR) / name).read_bytes()
        assert (target / name).read_bytes() == kept
        assert (target / name).stat().st_mode & 0o777 == 0o600
    assert "secret_key" in backup.manifest["keys"]["included"]


def test_restore_refuses_a_data_dir_that_holds_files(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path)
    target = _empty_data_dir(tmp_path)
    (target / "files").mkdir()
    (target / "files" / "left-over.pdf").write_bytes(b"%PDF-")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup.path), "--data-dir", str(target))

    assert str(refused.value).startswith(
        "Restauration refusée : la destination n'est pas vide (le stockage des fichiers "
        "contient déjà des fichiers (left-over.pdf…)). Une restauration ne mélange jamais deux "
        "registres"
    )
    assert not (target / "reclamations.sqlite3").exists()


def test_restore_refuses_the_running_register(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path)
    before = Complaint.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup.path))

    assert "contient déjà des tables" in str(refused.value)
    assert Complaint.objects.count() == before


def _with_one_byte_changed(source: Path, damaged: Path) -> str:
    """A copy of the archive whose first stored file has one byte changed, the manifest
    unchanged; returns the member changed."""
    changed = ""
    with (
        tarfile.open(source, "r:gz") as tar_in,
        gzip.open(damaged, "wb") as raw,
        tarfile.open(fileobj=raw, mode="w|") as tar_out,
    ):
        for info in tar_in:
            data = tar_in.extractfile(info).read()
            if not changed and info.name.startswith("files/"):
                data = bytes([data[0] ^ 1]) + data[1:]
                changed = info.name
            tar_out.addfile(info, io.BytesIO(data))
    return changed


def test_restore_refuses_a_tampered_archive_before_writing_anything(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path / "good.tar.gz")
    changed = _with_one_byte_changed(backup.path, tmp_path / "bad.tar.gz")
    target = _empty_data_dir(tmp_path)
    before = sorted(path.name for path in target.iterdir())

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "bad.tar.gz"), "--data-dir", str(target))

    assert str(refused.value).startswith(
        f"Restauration refusée : l'archive est endommagée ou a été modifiée ({changed} ne "
        "correspond pas au manifeste"
    )
    assert sorted(path.name for path in target.iterdir()) == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    _skip_unless_sqlite()
    not_a_backup = tmp_path / "notes.tar.gz"
    with gzip.open(not_a_backup, "wb") as raw, tarfile.open(fileobj=raw, mode="w|") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(not_a_backup), "--data-dir", str(tmp_path / "restored"))

    assert "ce n'est pas une sauvegarde de Réclamations" in str(refused.value)


def test_archive_manifest_lists_every_member_with_its_hash(register, tmp_path):
    _skip_unless_sqlite()
    backup = backup_create(output=tmp_path / "b.tar.gz")
    with tarfile.open(backup.path, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile(archive.MANIFEST).read())
    assert names[-1] == archive.MANIFEST
    assert [item["name"] for item in manifest["files"]] == names[:-1]
    assert names[0] == "database/reclamations.sqlite3"
    assert backup.path.stat().st_mode & 0o777 == 0o600


def test_sqlite_copy_under_concurrent_writes_is_one_commit(tmp_path):
    """The backup API copies a database being written to (WAL) as of one commit: every
    transaction of ten rows is in the copy whole, or not at all."""
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        for table in ("core_organisation", "complaints_chainhead"):
            columns = (
                "id INTEGER, name TEXT"
                if table == "core_organisation"
                else "organisation_id INTEGER, last_sequence INTEGER, last_hash TEXT"
            )
            setup.execute(f"CREATE TABLE {table} ({columns})")
        for table in ("complaints_complaint", "complaints_document"):
            setup.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        setup.execute("CREATE TABLE complaints_complaintevent (id INTEGER PRIMARY KEY, x TEXT)")
    stop = threading.Event()

    def write() -> None:
        writer = sqlite3.connect(live, timeout=20, isolation_level=None)
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            for _ in range(10):
                writer.execute("INSERT INTO complaints_complaintevent (x) VALUES (?)", ("x" * 500,))
            writer.execute("COMMIT")
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = []
        for number in range(5):
            facts = sqlite_snapshot(live, tmp_path / f"copy-{number}.sqlite3")
            counts.append(facts.counts["events"])
    finally:
        stop.set()
        thread.join()

    assert all(count % 10 == 0 for count in counts), counts
    assert counts == sorted(counts) and counts[-1] > 0
    with sqlite3.connect(tmp_path / "copy-4.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM complaints_complaintevent").fetchone() == (
            counts[-1],
        )
