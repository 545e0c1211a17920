"""A complaint's file as one PDF: the complaint, its chronology with fingerprints, its documents
embedded byte for byte, and the check of its own events; from the page and the API."""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.services import complaint_apply
from reclamations.reporting.complaint_file import complaint_file_pdf
from tests.factories import complaint_in_state, make_complaint
from tests.pdf_text import pdf_text
from tests.tampering import alter_event

pytestmark = pytest.mark.usefixtures("clock")
PDFDETACH = shutil.which("pdfdetach") or "/usr/bin/pdfdetach"  # Debian's poppler-utils


def _attachments(pdf: bytes) -> dict[str, bytes]:
    """The files embedded in `pdf`, by name, as pdfdetach saves them."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "file.pdf"
        source.write_bytes(pdf)
        out = Path(folder) / "out"
        out.mkdir()
        subprocess.run(  # noqa: S603 - a fixed program on a file the test wrote
            [PDFDETACH, "-saveall", "-o", str(out), str(source)], check=True, capture_output=True
        )
        return {path.name: path.read_bytes() for path in out.iterdir()}


@pytest.fixture
def answered_by_post(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", training="Excel")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_action",
        data={"description": "Feuilles d'émargement vérifiées."},
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "letter",
            "resolution": "Module remboursé.",
            "text": "Le module vous est remboursé sous quinze jours.",
        },
    )
    return complaint


def test_the_file_holds_the_complaint_its_chronology_and_its_documents(answered_by_post):
    pdf = complaint_file_pdf(answered_by_post, printed_at=timezone.now())

    text = " ".join(pdf_text(pdf).split())
    assert "Dossier de la réclamation REC-2026-0001" in text
    for expected in (
        "Nom du client Julie Martin",
        "Formation Excel",
        "Résolution Module remboursé.",
        "Chronologie (3 événements)",
        "Réclamation enregistrée",
        "Description : Feuilles d'émargement vérifiées.",
        "Réponse envoyée au client",
        "Documents (1)",
        "Chaque événement de cette réclamation donne encore son empreinte",
    ):
        assert expected in text, expected
    for event in answered_by_post.events.all():
        assert event.hash in text.replace(" ", "")


def test_each_document_is_embedded_as_stored(answered_by_post):
    (letter,) = answered_by_post.documents.all()

    embedded = _attachments(complaint_file_pdf(answered_by_post, printed_at=timezone.now()))

    assert list(embedded) == [f"01-{letter.original_name}"]
    assert hashlib.sha256(embedded[f"01-{letter.original_name}"]).hexdigest() == letter.sha256


@pytest.mark.tampered
def test_an_event_altered_behind_the_application_is_reported_in_the_file(answered_by_post):
    action = answered_by_post.events.get(event_type="action_added")
    alter_event(action, data={"description": "Rien vérifié."})

    text = " ".join(
        pdf_text(complaint_file_pdf(answered_by_post, printed_at=timezone.now())).split()
    )

    assert "Les événements de cette réclamation ne sont plus tels qu'enregistrés" in text
    assert f"événement n° {action.sequence} : son contenu ne donne plus son empreinte" in text


@pytest.mark.tampered
def test_a_file_missing_from_storage_is_listed_and_said_not_embedded(answered_by_post):
    (letter,) = answered_by_post.documents.all()
    letter.file.storage.delete(letter.file.name)

    pdf = complaint_file_pdf(answered_by_post, printed_at=timezone.now())

    assert "Fichier introuvable dans le stockage : non joint." in " ".join(pdf_text(pdf).split())
    assert _attachments(pdf) == {}


def test_the_page_and_the_api_give_the_file_to_an_auditor(
    auditor_client, auditor_api, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "closed")

    page = auditor_client.get(reverse("complaint_detail", args=[complaint.reference]))
    downloaded = auditor_client.get(reverse("complaint_file", args=[complaint.reference]))
    by_api = auditor_api.get(f"/api/v1/complaints/{complaint.reference}/file")

    assert "Dossier complet (PDF)" in page.content.decode()
    for response in (downloaded, by_api):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="dossier-{complaint.reference}.pdf"'
        )
        assert "Réclamation clôturée" in pdf_text(response.content)


def test_another_organisation_gets_no_file(outsider_api, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = outsider_api.get(f"/api/v1/complaints/{complaint.reference}/file")

    assert response.status_code == 404
