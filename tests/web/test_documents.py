"""Downloading a stored document: the file unchanged, only within the user's organisation."""

import pytest
from django.urls import reverse

from reclamations.complaints.services import complaint_apply
from tests.factories import make_complaint

from .helpers import PDF, png, upload


@pytest.fixture
def document(organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={"role": "information"},
        document=upload("Réponse du client.pdf", PDF),
    )
    return complaint.documents.get()


def _url(document, reference=None):
    return reverse(
        "document_download", args=[reference or document.complaint.reference, document.pk]
    )


def test_download_streams_file_as_attachment_with_original_name(referent_client, document):
    response = referent_client.get(_url(document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''R%C3%A9ponse%20du%20client.pdf"
    )


def test_download_keeps_stored_content_type_of_image(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    image = png()
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=upload("photo.png", image, "image/png"),
    )
    document = complaint.documents.get()

    response = referent_client.get(_url(document))

    assert (response["Content-Type"], b"".join(response.streaming_content)) == ("image/png", image)
    assert response["Content-Disposition"] == 'attachment; filename="photo.png"'


def test_download_allowed_to_auditor(auditor_client, document):
    response = auditor_client.get(_url(document))

    assert response.status_code == 200


def test_download_from_another_organisation_is_404(outsider_client, document):
    response = outsider_client.get(_url(document))

    assert response.status_code == 404


def test_download_under_another_complaint_reference_is_404(
    referent_client, organisation, referent, document
):
    other = make_complaint(organisation, referent)

    response = referent_client.get(_url(document, reference=other.reference))

    assert response.status_code == 404


def test_download_of_missing_document_is_404_in_french(referent_client, document):
    response = referent_client.get(
        reverse("document_download", args=[document.complaint.reference, document.pk + 100])
    )

    assert response.status_code == 404
    assert (
        f"Aucun document n° {document.pk + 100} pour la réclamation "
        f"« {document.complaint.reference} »."
    ) in response.content.decode()


def test_download_anonymous_redirects_to_login(client, document):
    response = client.get(_url(document))

    assert response.status_code == 302
    assert response["Location"] == f"/connexion/?next={_url(document)}"
