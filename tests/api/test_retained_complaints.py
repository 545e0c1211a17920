"""Archived and anonymised complaints through the API, as on the pages: an archived complaint's
file is for managers and the auditor, a file the anonymisation deleted says so."""

from datetime import date

import pytest

from reclamations.complaints.anonymisation import anonymise_complaint, archive_complaint
from reclamations.complaints.documents import PURGED_FILE
from reclamations.complaints.models import Document
from reclamations.outbox.delivery import deliver_due
from tests.conftest import _api_client
from tests.factories import complaint_in_state

TODAY = date(2031, 6, 1)


@pytest.fixture
def closed(organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")
    deliver_due()
    return complaint


def test_an_archived_complaint_is_refused_to_a_referent_s_token_with_the_reason(
    closed, referent_api
):
    archive_complaint(closed, actor=None, today=TODAY)
    base = f"/api/v1/complaints/{closed.reference}"

    for path in (base, f"{base}/documents", f"{base}/file"):
        response = referent_api.get(path)
        assert response.status_code == 403, path
        assert "est archivée depuis le 01/06/2031" in response.json()["detail"]


def test_a_manager_and_the_auditor_read_it(closed, manager, auditor_api):
    archive_complaint(closed, actor=None, today=TODAY)

    for client in (_api_client(manager), auditor_api):
        response = client.get(f"/api/v1/complaints/{closed.reference}")
        assert response.status_code == 200
        assert response.json()["reference"] == closed.reference


def test_a_file_the_anonymisation_deleted_is_a_404_that_says_so(closed, referent_api):
    anonymise_complaint(closed, actor=None, today=TODAY, reason="durée de conservation échue")
    document = Document.objects.filter(complaint=closed).first()

    response = referent_api.get(f"/api/v1/complaints/{closed.reference}/documents/{document.pk}")

    assert response.status_code == 404
    assert response.json()["detail"] == PURGED_FILE
    detail = referent_api.get(f"/api/v1/complaints/{closed.reference}").json()
    assert detail["client_name"] == "[anonymisé]"
