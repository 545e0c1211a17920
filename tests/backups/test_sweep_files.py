"""Files no row refers to (written before a crash) are moved to quarantine once they are an
hour old; a referenced file, or a fresh one, is never touched."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from reclamations.backups.sweep import sweep_orphan_files
from reclamations.complaints.models import Document
from reclamations.portal.models import PendingComplaint


def _aged(name: str, hours: float) -> None:
    """Make the stored file `name` look written `hours` ago."""
    moment = (timezone.now() - timedelta(hours=hours)).timestamp()
    os.utime(default_storage.path(name), (moment, moment))


def _orphan(name: str, *, hours: float) -> str:
    saved = default_storage.save(name, ContentFile(b"%PDF- left by a crash"))
    _aged(saved, hours)
    return saved


@pytest.mark.django_db
def test_sweep_moves_old_orphans_and_leaves_referenced_and_fresh_files(register):
    documents = sorted(document.file.name for document in Document.objects.all())
    for name in documents:
        _aged(name, 48)  # old, but referenced
    old = _orphan("documents/1/2026/10/crashed", hours=2)
    fresh = _orphan("documents/1/2026/11/being-written", hours=0.5)

    report = sweep_orphan_files()

    moved_to = f"quarantine/{timezone.localdate():%Y-%m-%d}/{old}"
    assert report.moved == [(old, moved_to)]
    assert report.fresh == 1
    assert not default_storage.exists(old)
    with default_storage.open(moved_to, "rb") as kept:
        assert kept.read() == b"%PDF- left by a crash"
    assert default_storage.exists(fresh)
    for name in documents:
        assert default_storage.exists(name)
    # Quarantined files are never swept again.
    assert sweep_orphan_files().moved == []


@pytest.mark.django_db
def test_sweep_dry_run_lists_without_moving(register):
    old = _orphan("inbound/1/2026/10/crashed.eml", hours=3)
    out = io.StringIO()

    call_command("sweep-files", "--dry-run", stdout=out)

    assert out.getvalue() == (
        f"orphelin : {old}\n"
        "fichiers orphelins : 1 (simulation, rien déplacé) ; trop récents pour en juger : 0\n"
    )
    assert default_storage.exists(old)


@pytest.mark.django_db
def test_sweep_keeps_the_files_of_a_complaint_filed_online_awaiting_confirmation(organisation):
    waiting = _orphan("pending/abc/scan.pdf", hours=5)
    PendingComplaint.objects.create(
        organisation=organisation,
        secret_sha256="0" * 64,
        fields={},
        files=[{"name": "scan.pdf", "stored_as": waiting}],
        email="julie.martin@example.org",
        ip="127.0.0.1",
        created_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=24),
    )

    assert sweep_orphan_files().moved == []
    assert default_storage.exists(waiting)


@pytest.mark.django_db
def test_sweep_of_a_register_without_any_stored_file_finds_nothing(organisation):
    assert not default_storage.exists("")  # a new installation: no files/ folder yet

    assert sweep_orphan_files().summary() == (
        "fichiers orphelins mis en quarantaine : 0 ; trop récents pour en juger : 0"
    )
