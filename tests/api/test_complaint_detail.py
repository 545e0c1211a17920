"""GET /api/v1/complaints/{reference}: a complaint, its documents and its chronology."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import complaint_apply
from tests.clock import at
from tests.factories import make_complaint

from .helpers import FRIDAY_NOON, NOT_FOUND

pytestmark = pytest.mark.clock(FRIDAY_NOON)

URL = "/api/v1/complaints"
LETTER = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def letter_complaint(clock, organisation, referent):
    return make_complaint(
        organisation,
        referent,
        channel="letter",
        received_at=at(2025, 3, 13),
        backdating_reason="Courrier arrivé la veille.",
        client_name="Julie Martin",
        client_account="CLI-001",
        client_email="",
        description="Trois séances annulées sans préavis.",
        original=SimpleUploadedFile("lettre.pdf", LETTER, content_type="application/pdf"),
    )


def test_detail_gives_documents_and_the_chronology_in_order(
    letter_complaint, referent, referent_api
):
    complaint_apply(
        complaint=letter_complaint,
        actor=referent,
        action="add_note",
        data={"text": "Appeler le formateur."},
    )
    stored = list(ComplaintEvent.objects.filter(complaint=letter_complaint).order_by("sequence"))

    response = referent_api.get(f"{URL}/{letter_complaint.reference}")

    body = response.json()
    digest = hashlib.sha256(LETTER).hexdigest()
    assert response.status_code == 200
    assert (body["reference"], body["status"], body["channel"], body["due_date"]) == (
        "REC-2025-0001",
        "in_progress",
        "letter",
        "2025-03-25",
    )
    (original,) = letter_complaint.documents.all()
    assert body["documents"] == [
        {
            "id": original.pk,
            "name": "lettre.pdf",
            "role": "original",
            "role_label": "Réclamation écrite (original)",
            "version": 1,
            "content_type": "application/pdf",
            "size": len(LETTER),
            "sha256": digest,
            "created_at": "2025-03-14T12:00:00+01:00",
            "download_url": f"/api/v1/complaints/REC-2025-0001/documents/{original.pk}",
        }
    ]
    assert body["events"] == [
        {
            "sequence": 1,
            "type": "registered",
            "label": "Réclamation enregistrée",
            "occurred_on": "2025-03-13",
            "recorded_at": "2025-03-14T12:00:00+01:00",
            "actor": "Referente",
            "status_before": "",
            "status_after": "in_progress",
            "data": {
                "channel": "letter",
                "received_at": "2025-03-13T09:00:00+01:00",
                "due_date": "2025-03-25",
                "fields": {
                    "client_name": "Julie Martin",
                    "client_account": "CLI-001",
                    "client_type": "",
                    "funding": "",
                    "client_email": "",
                    "client_phone": "",
                    "client_address": "12 rue des Lilas\n06400 Cannes",
                    "training": "",
                    "session": "",
                    "trainer": "",
                    "funder": "",
                    "description": "Trois séances annulées sans préavis.",
                    "remedy_sought": "",
                    "kind": "complaint",
                    "not_admissible_reason": "",
                    "category": "",
                    "severity": "medium",
                },
                "document": {
                    "name": "lettre.pdf",
                    "type": "application/pdf",
                    "size": len(LETTER),
                    "sha256": digest,
                },
                "backdating_reason": "Courrier arrivé la veille.",
            },
            "hash": stored[0].hash,
            "previous_hash": "0" * 64,
        },
        {
            "sequence": 2,
            "type": "note_added",
            "label": "Note",
            "occurred_on": "2025-03-14",
            "recorded_at": "2025-03-14T12:00:00+01:00",
            "actor": "Referente",
            "status_before": "in_progress",
            "status_after": "in_progress",
            "data": {"text": "Appeler le formateur."},
            "hash": stored[1].hash,
            "previous_hash": stored[0].hash,
        },
    ]


def test_handler_sees_the_actions_the_status_allows(letter_complaint, referent_api):
    response = referent_api.get(f"{URL}/{letter_complaint.reference}")

    assert [item["action"] for item in response.json()["allowed_actions"]] == [
        "request_information",
        "update_details",
        "add_action",
        "analyse_cause",
        "add_note",
        "add_document",
        "reply",
        "declare_not_admissible",
        "send_acknowledgement",
        "send_progress",
    ]


def test_auditor_sees_the_complaint_but_no_action(letter_complaint, auditor_api):
    response = auditor_api.get(f"{URL}/{letter_complaint.reference}")

    assert response.status_code == 200
    assert response.json()["reference"] == letter_complaint.reference
    assert response.json()["allowed_actions"] == []


def test_unknown_reference_is_not_found(clock, referent_api, organisation):
    response = referent_api.get(f"{URL}/REC-2025-9999")

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_reference_of_another_organisation_is_not_found(letter_complaint, outsider_api):
    response = outsider_api.get(f"{URL}/{letter_complaint.reference}")

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


@pytest.mark.parametrize("notes", [0, 12])
def test_query_count_does_not_grow_with_the_chronology(
    clock, organisation, referent, referent_api, django_assert_num_queries, notes
):
    complaint = make_complaint(organisation, referent)
    for number in range(notes):
        complaint_apply(
            complaint=complaint, actor=referent, action="add_note", data={"text": f"Note {number}"}
        )
    referent_api.get(f"{URL}/{complaint.reference}")  # the token's first use is recorded once

    # The token and its user, the complaint, its documents, its events.
    with django_assert_num_queries(4):
        response = referent_api.get(f"{URL}/{complaint.reference}")

    assert len(response.json()["events"]) == notes + 1
