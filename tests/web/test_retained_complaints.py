"""Archived and anonymised complaints on the staff pages: an archived complaint's file is for
managers and the auditor, an anonymised one shows what is left and says why (decision 0024)."""

from datetime import date

import pytest
from django.urls import reverse

from reclamations.complaints.anonymisation import anonymise_complaint, archive_complaint
from reclamations.complaints.documents import PURGED_FILE
from reclamations.complaints.models import Document
from reclamations.outbox.delivery import deliver_due
from tests.factories import complaint_in_state

from .helpers import text_of

TODAY = date(2031, 6, 1)


@pytest.fixture
def closed(organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")
    deliver_due()
    return complaint


def test_an_archived_complaint_s_file_is_refused_to_a_referent_with_the_reason(
    closed, referent_client
):
    archive_complaint(closed, actor=None, today=TODAY)

    for name in ("complaint_detail", "complaint_file"):
        response = referent_client.get(reverse(name, args=[closed.reference]))
        assert response.status_code == 403
        assert "est archivée depuis le 01/06/2031" in text_of(response)


def test_managers_and_the_auditor_open_it_and_are_told_it_is_archived(
    closed, manager_client, auditor_client
):
    archive_complaint(closed, actor=None, today=TODAY)

    for client in (manager_client, auditor_client):
        response = client.get(reverse("complaint_detail", args=[closed.reference]))
        assert response.status_code == 200
        assert "Réclamation archivée le 01/06/2031" in text_of(response)
        assert response.context["actions"] == []


def test_the_register_still_lists_it_as_archived(closed, referent_client):
    archive_complaint(closed, actor=None, today=TODAY)

    response = referent_client.get(reverse("register"))

    assert closed.reference in text_of(response)
    assert "archivée" in text_of(response)


def test_an_anonymised_complaint_shows_what_is_left_and_its_deleted_files(closed, referent_client):
    anonymise_complaint(closed, actor=None, today=TODAY, reason="durée de conservation échue")

    response = referent_client.get(reverse("complaint_detail", args=[closed.reference]))

    page = text_of(response)
    assert response.status_code == 200
    assert "Réclamation anonymisée le 01/06/2031" in page
    assert "Julie Martin" not in page
    assert "(fichier supprimé à l'anonymisation)" in page
    assert "Réclamation anonymisée" in page  # its event in the chronology
    document = Document.objects.filter(complaint=closed).first()
    download = referent_client.get(
        reverse("document_download", args=[closed.reference, document.pk])
    )
    assert download.status_code == 404
    assert PURGED_FILE in text_of(download)
    pdf = referent_client.get(reverse("complaint_file", args=[closed.reference]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
