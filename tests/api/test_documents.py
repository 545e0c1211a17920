"""GET /api/v1/complaints/{reference}/documents and .../documents/{id}: each document with its
version and SHA-256, and its exact bytes, within the caller's register only."""

import hashlib

import pytest

from reclamations.complaints.services import complaint_apply
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

from .helpers import NOT_FOUND

URL = "/api/v1/complaints"
TEXT = "Vos trois séances sont reprogrammées les 20, 21 et 22 mars."

pytestmark = pytest.mark.usefixtures("clock")


def _reply_by_letter(complaint, referent, text=TEXT):
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={"channel": "letter", "resolution": "Reprogrammées.", "text": text},
    )


@pytest.fixture
def replied_twice(organisation, referent):
    """A complaint answered by letter, then again (a second letter: version 2)."""
    complaint = make_complaint(organisation, referent, channel="letter")
    _reply_by_letter(complaint, referent)
    _reply_by_letter(complaint, referent, text="Les dates sont confirmées.")
    return complaint


def test_the_letters_printed_are_listed_as_versions_of_the_reply(auditor_api, replied_twice):
    response = auditor_api.get(f"{URL}/{replied_twice.reference}/documents")

    assert response.status_code == 200
    listed = response.json()
    assert [(item["role"], item["version"], item["content_type"]) for item in listed] == [
        ("reply_copy", 1, "application/pdf"),
        ("reply_copy", 2, "application/pdf"),
    ]
    assert {item["role_label"] for item in listed} == {"Copie de la réponse"}
    stored = {document.pk: document.sha256 for document in replied_twice.documents.all()}
    assert {item["id"]: item["sha256"] for item in listed} == stored


def test_a_document_downloads_as_the_exact_bytes_its_sha256_names(auditor_api, replied_twice):
    (first, second) = auditor_api.get(f"{URL}/{replied_twice.reference}/documents").json()

    response = auditor_api.get(second["download_url"])

    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert second["name"] in response["Content-Disposition"]
    assert hashlib.sha256(content).hexdigest() == second["sha256"] != first["sha256"]
    assert "Les dates sont confirmées." in pdf_pages(content)[0]


def test_the_openapi_document_says_a_download_comes_in_its_stored_type(client):
    # Found by the schema fuzzing (test_schema_fuzzing.py): it said application/octet-stream
    # while a PDF downloads as application/pdf.
    document = client.get("/api/v1/openapi.json").json()

    download = document["paths"][f"{URL}/{{reference}}/documents/{{document_id}}"]["get"]
    assert download["responses"]["200"]["content"] == {
        "*/*": {"schema": {"type": "string", "format": "binary"}}
    }


def test_another_organisation_sees_neither_the_list_nor_the_bytes(outsider_api, replied_twice):
    client = outsider_api
    document = replied_twice.documents.first()

    listed = client.get(f"{URL}/{replied_twice.reference}/documents")
    downloaded = client.get(f"{URL}/{replied_twice.reference}/documents/{document.pk}")

    assert (listed.status_code, listed.json()) == (404, {"detail": NOT_FOUND})
    assert (downloaded.status_code, downloaded.json()) == (404, {"detail": NOT_FOUND})


def test_a_document_of_another_complaint_is_not_found_by_this_one(
    referent_api, organisation, referent, replied_twice
):
    other = make_complaint(organisation, referent)
    document = replied_twice.documents.first()

    response = referent_api.get(f"{URL}/{other.reference}/documents/{document.pk}")

    assert response.status_code == 404
    assert response.json() == {
        "detail": f"Aucun document n° {document.pk} pour la réclamation « {other.reference} »."
    }


@pytest.mark.tampered
def test_a_file_missing_from_storage_is_said_not_a_500(referent_api, replied_twice):
    document = replied_twice.documents.first()
    document.file.storage.delete(document.file.name)

    response = referent_api.get(f"{URL}/{replied_twice.reference}/documents/{document.pk}")

    assert response.status_code == 404
    assert "introuvable dans le stockage" in response.json()["detail"]


def test_without_a_token_nothing_is_listed(client, replied_twice):
    response = client.get(f"{URL}/{replied_twice.reference}/documents")

    assert response.status_code == 401
