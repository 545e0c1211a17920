"""A small register with everything a backup carries: complaints in several states, their
events, documents stored as files (a letter's scan, an added picture)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reclamations.complaints.services import complaint_apply
from tests.factories import complaint_in_state, make_complaint

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(picture, format="PNG")
    return picture.getvalue()


PNG = _png()


@pytest.fixture
def register(organisation, referent):
    """Five complaints (one closed, one replied, one awaiting information, two in progress),
    two of them with documents."""
    complaint_in_state(organisation, referent, "closed")
    complaint_in_state(organisation, referent, "replied")
    complaint_in_state(organisation, referent, "awaiting_information")
    scanned = make_complaint(
        organisation,
        referent,
        channel="letter",
        original=SimpleUploadedFile("courrier.pdf", PDF, content_type="application/pdf"),
    )
    complaint_apply(
        complaint=scanned,
        actor=referent,
        action="add_document",
        data={"role": "information", "description": "Photo envoyée par la cliente."},
        document=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
    )
    make_complaint(organisation, referent, client_name="Paul Roux")
    return organisation


def reclamations(*command: str, data_dir: Path, database_url: str = "") -> str:
    """A `reclamations` command run as an operator would, on another installation: its own
    data directory, and DATABASE_URL's database or that directory's SQLite."""
    env = {**os.environ, "RECLAMATIONS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(  # noqa: S603 (our own program)
        [sys.executable, "-m", "reclamations.cli", *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout
