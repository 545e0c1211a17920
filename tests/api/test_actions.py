"""POST /api/v1/complaints/{reference}/actions: the workflow through the API."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reclamations.complaints.actions import Action
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.outbox.models import OutgoingMessage
from reclamations.reporting.integrity import verify_organisation
from tests.factories import make_complaint
from tests.web.helpers import PDF

from .helpers import FRIDAY_NOON, INVALID_DATA, NOT_FOUND, post_json

pytestmark = pytest.mark.clock(FRIDAY_NOON)

URL = "/api/v1/complaints"
REPLY = {
    "text": "Madame, vos trois séances sont reprogrammées les 20, 21 et 22 mars.",
    "resolution": "Séances reprogrammées.",
    "channel": "email",
}


def actions_url(reference: str) -> str:
    return f"{URL}/{reference}/actions"


@pytest.fixture
def complaint(clock, organisation, referent) -> Complaint:
    return make_complaint(organisation, referent)


def test_full_workflow_through_the_api(clock, referent_api, organisation):
    created = post_json(
        referent_api,
        URL,
        {
            "channel": "phone",
            "received_at": "2025-03-14T10:15:00+01:00",
            "client_name": "Paul Durand",
            "client_account": "CLI-002",
            "description": "Attestation de fin de formation jamais reçue.",
            "client_email": "paul.durand@example.org",
        },
    )
    assert created.status_code == 201
    reference = created.json()["reference"]
    steps = [
        (
            {"action": "record_confirmation", "via": "email", "summary": "Courriel reçu."},
            "confirmation_received",
            "in_progress",
        ),
        (
            {
                "action": "request_information",
                "data": {"missing": "Numéro de session.", "sent_via": "email"},
            },
            "information_requested",
            "awaiting_information",
        ),
        (
            {"action": "record_information", "summary": "Session de février, groupe B."},
            "information_received",
            "in_progress",
        ),
        (
            {
                "action": "add_action",
                "description": "Attestation régénérée.",
                "done_by": "Secrétariat",
            },
            "action_added",
            "in_progress",
        ),
        ({"action": "reply", **REPLY}, "replied", "replied"),
        (
            {"action": "close", "outcome": "partly_granted", "client_acceptance": "disputed"},
            "closed",
            "closed",
        ),
        (
            {"action": "reopen", "data": {"reason": "Le client conteste la réponse."}},
            "reopened",
            "in_progress",
        ),
        ({"action": "reply", **REPLY, "resolution": "Geste commercial."}, "replied", "replied"),
        ({"action": "close", "outcome": "rejected"}, "closed", "closed"),
        ({"action": "escalate_mediation", "seized_on": "2025-03-14"}, "mediation_seized", "closed"),
    ]

    for body, event_type, status in steps:
        clock.shift(timedelta(minutes=10))
        response = post_json(referent_api, actions_url(reference), body)
        result = response.json()
        assert response.status_code == 201, (body, result)
        assert (result["event"]["type"], result["complaint"]["status"]) == (event_type, status)
        assert result["event"] == result["complaint"]["events"][-1]

    final = referent_api.get(f"{URL}/{reference}").json()
    assert [event["type"] for event in final["events"]] == [
        "registered",
        "confirmation_requested",
        *[event_type for _body, event_type, _status in steps],
    ]
    assert {
        key: final[key]
        for key in (
            "status",
            "outcome",
            "client_acceptance",
            "resolution",
            "first_replied_on",
            "replied_on",
            "replied_on_time",
            "closed_on",
            "mediation_seized_on",
            "mediator",
            "confirmation_pending",
        )
    } == {
        "status": "closed",
        "outcome": "rejected",
        "client_acceptance": "unknown",
        "resolution": "Geste commercial.",
        "first_replied_on": "2025-03-14",
        "replied_on": "2025-03-14",
        "replied_on_time": True,
        "closed_on": "2025-03-14",
        "mediation_seized_on": "2025-03-14",
        "mediator": "Alpes-Maritimes Médiation",
        "confirmation_pending": False,
    }
    # The mediator is seized: seizing it again, or recording a lawsuit's outcome, is not offered.
    assert final["allowed_actions"] == [
        {"action": "analyse_cause", "label": "Analyser la cause"},
        {"action": "add_note", "label": "Ajouter une note"},
        {"action": "add_document", "label": "Joindre un document"},
        {"action": "reopen", "label": "Rouvrir"},
        {"action": "record_mediation_outcome", "label": "Issue de la médiation"},
        {"action": "escalate_litigation", "label": "Contentieux"},
        {"action": "send_closure_certificate", "label": "Envoyer l'attestation de clôture"},
    ]
    assert verify_organisation(organisation).ok


def test_action_answers_201_with_the_complaint_and_the_new_event(complaint, referent_api):
    response = post_json(
        referent_api, actions_url(complaint.reference), {"action": "add_note", "text": "Rappel."}
    )

    body = response.json()
    assert response.status_code == 201
    assert set(body) == {"complaint", "event"}
    assert body["complaint"]["reference"] == complaint.reference
    assert {k: v for k, v in body["event"].items() if k not in ("hash", "previous_hash")} == {
        "sequence": 2,
        "type": "note_added",
        "label": "Note",
        "occurred_on": "2025-03-14",
        "recorded_at": "2025-03-14T12:00:00+01:00",
        "actor": "Referente",
        "status_before": "in_progress",
        "status_after": "in_progress",
        "data": {"text": "Rappel."},
    }
    assert body["event"]["hash"] == ComplaintEvent.objects.get(sequence=2).hash


def test_fields_under_data_are_the_same_as_fields_at_the_top(complaint, referent_api):
    top = post_json(
        referent_api, actions_url(complaint.reference), {"action": "add_note", "text": "A"}
    )
    nested = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "add_note", "data": {"text": "A"}},
    )

    assert top.json()["event"]["data"] == nested.json()["event"]["data"] == {"text": "A"}


def test_field_given_at_the_top_and_under_data_is_refused(complaint, referent_api):
    response = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "add_note", "text": "A", "data": {"text": "B"}},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "text": ["Champ donné deux fois, au premier niveau et dans « data » : gardez-en un."]
        },
    }


def test_unknown_action_is_refused_with_the_list_of_actions(complaint, referent_api):
    response = post_json(referent_api, actions_url(complaint.reference), {"action": "promote"})

    known = ", ".join(action.value for action in Action)
    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {"action": [f"Action inconnue « promote ». Actions : {known}."]},
    }
    assert known.startswith(
        "request_confirmation, request_information, record_information, record_confirmation"
    )


def test_missing_action_is_refused(complaint, referent_api):
    response = post_json(referent_api, actions_url(complaint.reference), {"text": "A"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {"action": ["Ce champ est obligatoire."]},
    }


def test_data_that_is_not_an_object_is_refused(complaint, referent_api):
    response = post_json(
        referent_api, actions_url(complaint.reference), {"action": "add_note", "data": "A"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"data": ["Objet JSON attendu."]}


def test_attaching_a_document_without_the_file_is_refused(complaint, referent_api):
    response = post_json(referent_api, actions_url(complaint.reference), {"action": "add_document"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"document": ["Choisissez le fichier à joindre."]}


def test_a_document_goes_with_its_action_as_multipart_form_data(complaint, referent_api):
    upload = SimpleUploadedFile("devis.pdf", PDF, content_type="application/pdf")

    response = referent_api.post(
        actions_url(complaint.reference),
        {
            "action": "add_document",
            "role": "attachment",
            "description": "Devis",
            "document": upload,
        },
    )

    body = response.json()
    assert response.status_code == 201, body
    assert body["event"]["type"] == "document_added"
    assert body["event"]["data"] == {
        "role": "attachment",
        "description": "Devis",
        "document": {
            "name": "devis.pdf",
            "type": "application/pdf",
            "size": len(PDF),
            "sha256": hashlib.sha256(PDF).hexdigest(),
        },
    }
    assert [document["name"] for document in body["complaint"]["documents"]] == ["devis.pdf"]


def test_a_reply_with_its_copy_as_multipart_needs_no_text(complaint, referent_api):
    upload = SimpleUploadedFile("reponse.pdf", PDF, content_type="application/pdf")

    response = referent_api.post(
        actions_url(complaint.reference),
        {"action": "reply", "resolution": "Avoir.", "channel": "letter", "document": upload},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["complaint"]["documents"][0]["role"] == "reply_copy"


def test_a_file_that_is_not_a_pdf_jpeg_or_png_is_refused_by_its_content(complaint, referent_api):
    upload = SimpleUploadedFile(
        "devis.pdf", b"MZ\x90\x00 pas un PDF", content_type="application/pdf"
    )

    response = referent_api.post(
        actions_url(complaint.reference), {"action": "add_document", "document": upload}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["document"]


def test_fields_under_data_are_refused_in_multipart(complaint, referent_api):
    response = referent_api.post(
        actions_url(complaint.reference), {"action": "add_note", "data": "{}"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "data": [
            "En multipart/form-data, envoyez les champs de l'action au premier niveau, sans "
            "« data »."
        ]
    }


def test_action_the_status_does_not_allow_is_refused_with_409(complaint, referent_api):
    response = post_json(
        referent_api, actions_url(complaint.reference), {"action": "close", "outcome": "granted"}
    )

    complaint.refresh_from_db()
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Action « Clôturer » impossible : la réclamation est « en cours de traitement »."
    }
    assert complaint.status == "in_progress"
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_mediation_outcome_without_mediation_is_refused_with_409(complaint, referent, referent_api):
    post_json(referent_api, actions_url(complaint.reference), {"action": "reply", **REPLY})

    response = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "record_mediation_outcome", "outcome": "Accord trouvé."},
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "Aucune médiation n'est en cours pour cette réclamation."}


def test_invalid_action_fields_are_refused_per_field_and_nothing_changes(complaint, referent_api):
    response = post_json(referent_api, actions_url(complaint.reference), {"action": "reply"})

    complaint.refresh_from_db()
    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "text": ["Saisissez le texte de la réponse ou joignez la copie envoyée."],
            "resolution": ["Décrivez la résolution retenue."],
            "channel": [
                "Choisissez le canal de la réponse parmi : E-mail, Courrier, E-mail et courrier, "
                "Téléphone, confirmé par écrit, Remise en main propre."
            ],
        },
    }
    assert complaint.status == "in_progress"
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_date_in_the_future_is_refused(complaint, referent_api):
    response = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "add_action", "description": "Appel.", "done_on": "2025-03-15"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "done_on": ["Cette date est dans le futur : indiquez la date réelle."]
    }


def test_general_error_becomes_the_detail(complaint, referent_api):
    response = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "update_details", "client_name": complaint.client_name},
    )

    message = "Aucune modification : la fiche est déjà dans cet état."
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}


def test_seizing_the_mediator_twice_is_refused_with_409(complaint, referent_api):
    post_json(referent_api, actions_url(complaint.reference), {"action": "reply", **REPLY})
    post_json(referent_api, actions_url(complaint.reference), {"action": "escalate_mediation"})

    response = post_json(
        referent_api, actions_url(complaint.reference), {"action": "escalate_mediation"}
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "Le médiateur a déjà été saisi pour cette réclamation."}


def test_action_on_unknown_reference_is_not_found(clock, referent_api, organisation):
    response = post_json(
        referent_api, actions_url("REC-2025-9999"), {"action": "add_note", "text": "A"}
    )

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_update_details_through_the_api_completes_an_incomplete_complaint(
    clock, organisation, referent, referent_api
):
    incomplete = make_complaint(organisation, referent, client_account="")

    response = post_json(
        referent_api,
        actions_url(incomplete.reference),
        {"action": "update_details", "client_account": "CLI-777"},
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["complaint"]["status"], body["complaint"]["client_account"]) == (
        "in_progress",
        "CLI-777",
    )
    assert body["event"]["data"] == {"changes": {"client_account": ["", "CLI-777"]}, "reason": ""}


def test_a_reply_sends_its_files_as_repeated_enclosures(complaint, referent_api):
    files = [
        SimpleUploadedFile("devis.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("avoir.pdf", PDF + b"%2", content_type="application/pdf"),
    ]

    response = referent_api.post(
        actions_url(complaint.reference), {**REPLY, "action": "reply", "enclosures": files}
    )

    body = response.json()
    assert response.status_code == 201, body
    assert [item["name"] for item in body["event"]["data"]["enclosures"]] == [
        "devis.pdf",
        "avoir.pdf",
    ]
    outgoing = OutgoingMessage.objects.get(kind="reply")
    assert list(outgoing.attachments.values_list("filename", flat=True)) == [
        "devis.pdf",
        "avoir.pdf",
    ]


def test_the_openapi_document_says_which_actions_send_files(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert schemas["ReplyActionForm"]["properties"]["enclosures"]["type"] == "array"
    assert "enclosures" not in schemas["AddNoteActionForm"]["properties"]


@pytest.mark.parametrize("letter", ["courrier", "1" * 30], ids=["text", "beyond-any-id"])
def test_posting_a_letter_that_is_not_waiting_is_refused_with_400(
    clock, referent_api, organisation, referent, letter
):
    # Found by the schema fuzzing (test_schema_fuzzing.py): any other value was a 500.
    complaint = make_complaint(organisation, referent, channel="letter")
    printed = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "send_acknowledgement", "channel": "letter"},
    )
    assert printed.status_code == 201
    name = Document.objects.get(complaint=complaint, to_post=True).original_name

    response = post_json(
        referent_api,
        actions_url(complaint.reference),
        {"action": "record_posting", "letter": letter},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "letter": [f"Choisissez le courrier parmi : {name} (imprimé le 14/03/2025)."]
    }
    complaint.refresh_from_db()
    assert complaint.letters_to_post == 1


def test_files_sent_as_text_parts_are_refused_rather_than_left_out(complaint, referent_api):
    # Found by the schema fuzzing (test_schema_fuzzing.py): the reply went without them.
    response = referent_api.post(
        actions_url(complaint.reference),
        {**REPLY, "action": "reply", "enclosures": ["devis.pdf"], "document": "reponse.pdf"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        name: [
            "Fichier attendu : envoyez-le comme partie de fichier, avec un nom de fichier "
            "(filename) dans son en-tête Content-Disposition."
        ]
        for name in ("document", "enclosures")
    }
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
    assert not OutgoingMessage.objects.filter(kind="reply").exists()
