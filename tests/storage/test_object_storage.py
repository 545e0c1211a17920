"""Stored files in an S3-compatible bucket (decision 0028): everything the register keeps as a
file is written, read, verified, exported, backed up, restored, swept and deleted through
Django's storage API, against moto's standalone server; nothing lands in the data directory."""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.utils import timezone

from reclamations.backups.backup import backup_create
from reclamations.backups.storage import referenced_names
from reclamations.backups.sweep import sweep_orphan_files
from reclamations.complaints.anonymisation import anonymise_complaint
from reclamations.complaints.models import Document
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import InboundEmail
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingAttachment
from reclamations.privacy.subject_export import write_subject_export
from reclamations.privacy.subject_search import Subject, find_subject
from reclamations.reporting.integrity import complaint_integrity
from tests.accounts import verified_login
from tests.harness.settings_process import read_settings, start_refusal
from tests.privacy.conftest import CREDIT_NOTE, INVOICE, JULIE, LETTER

pytestmark = pytest.mark.django_db


def _files_on_disk() -> list[Path]:
    return sorted(path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())


def test_the_environment_names_the_bucket_and_the_data_directory_stays_the_default(
    s3_server, tmp_path
):
    bucket = s3_server.new_bucket()
    code = "import config.settings as s, json; print(json.dumps(s.STORAGES['default']))"

    given = read_settings(tmp_path, code, **s3_server.environment(bucket))
    default = read_settings(tmp_path, code)

    assert json.loads(given.stdout) == bucket.storage_settings()
    assert json.loads(default.stdout) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_a_key_without_its_secret_is_refused_at_start(tmp_path):
    assert start_refusal(
        tmp_path, RECLAMATIONS_S3_BUCKET="registre", RECLAMATIONS_S3_ACCESS_KEY_ID="AKIA"
    ) == (
        "RECLAMATIONS_S3_ACCESS_KEY_ID et RECLAMATIONS_S3_SECRET_ACCESS_KEY vont ensemble : "
        "donnez les deux, ou aucun pour les identifiants de boto3 (variables AWS_*, rôle)."
    )


def test_every_file_of_the_register_is_an_object_of_the_bucket(stored_register, bucket):
    documents = list(Document.objects.exclude(file=""))
    raws = list(InboundEmail.objects.exclude(raw="").values_list("raw", flat=True))

    assert bucket.names() == sorted([document.file.name for document in documents] + raws)
    for document in documents:
        assert hashlib.sha256(bucket.read(document.file.name)).hexdigest() == document.sha256
    contents = {bucket.read(document.file.name) for document in documents}
    assert {INVOICE, LETTER, CREDIT_NOTE} <= contents
    assert _files_on_disk() == []
    assert complaint_integrity(stored_register.complaint) == []


def test_the_reply_went_with_its_enclosure_read_from_the_bucket(stored_register, bucket):
    enclosure = OutgoingAttachment.objects.get(filename="avoir.pdf")

    assert enclosure.message.status == "sent"
    assert bucket.read(enclosure.stored_as) == CREDIT_NOTE


def test_staff_download_a_document_from_the_bucket(stored_register, referent):
    letter = stored_register.complaint.documents.get(original_name="courrier signé.pdf")
    client = verified_login(Client(), referent)

    response = client.get(
        f"/reclamations/{stored_register.complaint.reference}/documents/{letter.pk}/"
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == LETTER


@pytest.mark.tampered
def test_an_object_changed_in_the_bucket_is_found_by_verify(stored_register, bucket):
    letter = stored_register.complaint.documents.get(original_name="courrier signé.pdf")
    bucket.put(letter.file.name, LETTER + b"% ajout\n")
    changed = hashlib.sha256(LETTER + b"% ajout\n").hexdigest()

    assert complaint_integrity(stored_register.complaint) == [
        f"{stored_register.complaint.reference} : le fichier du document « courrier signé.pdf » "
        f"(n° {letter.pk}) a été modifié (SHA-256 {changed[:12]}… au lieu de "
        f"{letter.sha256[:12]}…)"
    ]


def test_a_name_already_taken_gets_another_never_replacing_the_evidence(bucket):
    first = default_storage.save("documents/courrier.pdf", ContentFile(b"%PDF premier"))
    second = default_storage.save("documents/courrier.pdf", ContentFile(b"%PDF second"))

    assert first == "documents/courrier.pdf"
    assert second != first
    assert bucket.read(first) == b"%PDF premier"
    assert bucket.read(second) == b"%PDF second"


def test_the_subject_access_export_carries_the_documents_from_the_bucket(
    stored_register, organisation
):
    target = io.BytesIO()
    write_subject_export(
        target, find_subject(organisation, Subject.of((JULIE,), "")), made_by="Responsable"
    )

    archive = zipfile.ZipFile(target)
    contents = {archive.read(name) for name in archive.namelist()}
    assert {INVOICE, LETTER, CREDIT_NOTE} <= contents


def test_anonymisation_deletes_the_complaints_objects_from_the_bucket(
    stored_register, bucket, referent, django_capture_on_commit_callbacks
):
    complaint = stored_register.complaint
    complaint_apply(
        complaint=complaint, actor=referent, action="close", data={"outcome": "granted"}
    )
    deliver_due()
    hers = [d.file.name for d in Document.objects.filter(complaint=complaint)]
    hers += list(InboundEmail.objects.filter(complaint=complaint).values_list("raw", flat=True))
    others = sorted(set(bucket.names()) - set(hers))

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_complaint(
            complaint, actor=None, today=date(2031, 6, 1), reason="durée de conservation échue"
        )

    assert bucket.names() == others
    assert complaint_integrity(complaint) == []


def test_an_orphan_object_is_moved_to_quarantine_in_the_bucket(stored_register, bucket):
    default_storage.save("documents/2026/11/orphelin.pdf", ContentFile(b"%PDF sans ligne"))
    # The bucket dates its objects by its own clock, not the test's frozen one.
    later = default_storage.get_modified_time("documents/2026/11/orphelin.pdf") + timedelta(hours=2)

    report = sweep_orphan_files(now=later)

    folder = f"quarantine/{timezone.localtime(later):%Y-%m-%d}"
    assert report.moved == [
        ("documents/2026/11/orphelin.pdf", f"{folder}/documents/2026/11/orphelin.pdf")
    ]
    assert bucket.read(f"{folder}/documents/2026/11/orphelin.pdf") == b"%PDF sans ligne"
    assert set(bucket.names()) == referenced_names() | {report.moved[0][1]}


@pytest.mark.django_db(transaction=True)
def test_a_backup_takes_the_bucket_and_restores_into_another(
    stored_register, bucket, s3_server, tmp_path
):
    """The backup streams every object; `reclamations restore` on a new installation (its
    own data directory and an empty bucket) puts them back, and the register verifies."""
    if connection.vendor != "sqlite":
        pytest.skip("restored here into SQLite; PostgreSQL's round trip: test_backup_postgres.py")
    backup = backup_create(output=tmp_path / "sauvegarde.tar.gz")
    members = {item["name"] for item in backup.manifest["files"]}
    keys = bucket.names()
    assert {f"files/{key}" for key in keys} <= members
    assert backup.manifest["counts"]["files"] == len(keys)

    restored = s3_server.new_bucket()
    data_dir = tmp_path / "restauree"
    data_dir.mkdir()
    shutil.copy(Path(settings.DATA_DIR) / "chain_key", data_dir / "chain_key")
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "RECLAMATIONS_"))
    }
    environment.update(
        RECLAMATIONS_DATA_DIR=str(data_dir),
        RECLAMATIONS_BACKUP_DIR="off",
        **s3_server.environment(restored),
    )
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "reclamations.cli", "restore", str(backup.path)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("Restauration terminée : le registre restauré se vérifie.\n")
    assert restored.names() == keys
    assert [restored.read(key) for key in keys] == [bucket.read(key) for key in keys]
    assert not (data_dir / "files").exists()
