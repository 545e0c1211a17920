"""POST /api/v1/complaints: registering a complaint through the API."""

import pytest

from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.reporting.integrity import verify_organisation

from .helpers import FRIDAY_NOON, INVALID_DATA, post_json

pytestmark = pytest.mark.clock(FRIDAY_NOON)

URL = "/api/v1/complaints"
MINIMAL = {"channel": "email", "received_at": "2025-03-14T09:30:00+01:00"}
DATETIME_FORMAT = (
    "Date et heure invalides : utilisez le format ISO 8601 avec le fuseau horaire, "
    "par exemple 2025-03-14T09:30:00+01:00."
)

# Registered all the same: the request by post waits for the address (its own action).
NO_ADDRESS_LETTER = (
    "non imprimée. Pour imprimer la lettre, il manque son adresse postale : complétez la fiche "
    "avec « Modifier la fiche »."
)


def test_registering_a_complete_complaint_answers_201_with_the_complaint(
    clock, referent_api, organisation
):
    response = post_json(
        referent_api,
        URL,
        {
            "channel": "email",
            "received_at": "2025-03-14T08:30:00Z",
            "client_name": "Julie Martin",
            "client_account": "CLI-001",
            "funding": "cpf",
            "client_email": "julie.martin@example.org",
            "client_phone": "06 12 34 56 78",
            "client_address": "1 rue de la Paix, 06400 Cannes",
            "training": "Anglais juridique, session de mars",
            "description": "Trois séances annulées sans préavis.",
            "remedy_sought": "Reprogrammer les séances.",
            "category": "organisation",
            "severity": "high",
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert response["Location"] == "/api/v1/complaints/REC-2025-0001"
    assert {key: body[key] for key in body if key not in ("events", "registered_at")} == {
        "reference": "REC-2025-0001",
        "status": "in_progress",
        "status_label": "En cours de traitement",
        "channel": "email",
        "received_at": "2025-03-14T09:30:00+01:00",
        "received_on": "2025-03-14",
        "backdating_reason": "",
        "registered_by": "Referente",
        "procedure_version": "CCS procédure réclamations v1",
        "client_name": "Julie Martin",
        "client_account": "CLI-001",
        "client_type": "consumer",
        "funding": "cpf",
        "client_email": "julie.martin@example.org",
        "client_phone": "06 12 34 56 78",
        "client_address": "1 rue de la Paix, 06400 Cannes",
        "client_language": "fr",
        "training": "Anglais juridique, session de mars",
        "session": "",
        "trainer": "",
        "funder": "",
        "description": "Trois séances annulées sans préavis.",
        "remedy_sought": "Reprogrammer les séances.",
        "kind": "complaint",
        "not_admissible_reason": "",
        "category": "organisation",
        "severity": "high",
        "cause": "",
        "cause_analysis": "",
        "clock_started_on": "2025-03-14",
        # Ten jours ouvrables after Friday 14 March, Saturdays counted.
        "due_date": "2025-03-26",
        "working_days_left": 10,
        "urgency": "on_track",
        "information_requested_on": None,
        "confirmation_pending": False,
        "resolution": "",
        "first_replied_on": None,
        "replied_on": None,
        "reply_channel": None,
        "replied_on_time": None,
        "reply_registered_number": "",
        "reply_delivered_on": None,
        "outcome": None,
        "client_acceptance": "unknown",
        "closed_on": None,
        "mediation_seized_on": None,
        "mediator": "",
        "mediation_outcome": "",
        "litigation_started_on": None,
        "litigation_court": "",
        "litigation_outcome": "",
        "documents": [],
        "allowed_actions": [
            {"action": "request_information", "label": "Demander des informations complémentaires"},
            {"action": "update_details", "label": "Modifier la fiche"},
            {"action": "add_action", "label": "Ajouter une action"},
            {"action": "analyse_cause", "label": "Analyser la cause"},
            {"action": "add_note", "label": "Ajouter une note"},
            {"action": "add_document", "label": "Joindre un document"},
            {"action": "reply", "label": "Répondre au client"},
            {"action": "declare_not_admissible", "label": "Déclarer non recevable"},
            {"action": "send_acknowledgement", "label": "Envoyer l'accusé de réception"},
            {"action": "send_progress", "label": "Informer le client de l'avancement"},
        ],
    }
    assert body["registered_at"] == "2025-03-14T12:00:00+01:00"
    assert [event["type"] for event in body["events"]] == ["registered"]
    assert Complaint.objects.get(reference="REC-2025-0001").organisation == organisation
    assert verify_organisation(organisation).ok


def test_registering_a_phone_complaint_asks_for_written_confirmation(
    clock, referent_api, organisation
):
    response = post_json(
        referent_api,
        URL,
        {
            **MINIMAL,
            "channel": "phone",
            "client_name": "Paul Durand",
            "client_account": "CLI-002",
            "description": "Attestation de formation jamais reçue.",
            "confirmation_requested_via": "letter",
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "awaiting_confirmation"
    assert body["confirmation_pending"] is True
    assert [(e["type"], e["data"]) for e in body["events"][1:]] == [
        ("confirmation_requested", {"sent_via": "letter", "letter": NO_ADDRESS_LETTER})
    ]


def test_registering_with_only_channel_and_reception_gives_an_incomplete_complaint(
    clock, referent_api, organisation
):
    response = post_json(referent_api, URL, MINIMAL)

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "incomplete"
    assert body["events"][0]["data"]["missing"] == [
        "nom du client",
        "compte client",
        "description",
    ]


def test_blank_and_null_optional_fields_are_accepted(clock, referent_api, organisation):
    response = post_json(
        referent_api,
        URL,
        {**MINIMAL, "category": "", "client_type": None, "funding": "", "training": None},
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["category"], body["client_type"], body["funding"], body["training"]) == (
        None,
        None,
        None,
        "",
    )


def test_not_admissible_request_is_registered_closed_with_its_reason(
    clock, referent_api, organisation
):
    response = post_json(
        referent_api,
        URL,
        {
            **MINIMAL,
            "client_name": "Inconnu",
            "description": "Demande de catalogue.",
            "kind": "not_admissible",
            "not_admissible_reason": "Simple demande d'information.",
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["outcome"], body["closed_on"]) == (
        "closed",
        "not_admissible",
        "2025-03-14",
    )
    # Nothing escalated yet: recording the outcome of a mediation or a lawsuit is not offered.
    assert body["allowed_actions"] == [
        {"action": "analyse_cause", "label": "Analyser la cause"},
        {"action": "add_note", "label": "Ajouter une note"},
        {"action": "add_document", "label": "Joindre un document"},
        {"action": "reopen", "label": "Rouvrir"},
        {"action": "escalate_mediation", "label": "Saisine du médiateur"},
        {"action": "escalate_litigation", "label": "Contentieux"},
        {"action": "send_closure_certificate", "label": "Envoyer l'attestation de clôture"},
    ]


def test_reception_without_offset_is_refused_with_400(clock, referent_api, organisation):
    response = post_json(
        referent_api, URL, {"channel": "email", "received_at": "2025-03-14T09:30:00"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "received_at": [
                "Précisez le fuseau horaire, par exemple 2025-03-14T09:30:00+01:00 "
                "ou 2025-03-14T08:30:00Z."
            ]
        },
    }
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("value", ["14/03/2025 09:30", "hier", "2025-02-30T10:00:00+01:00"])
def test_unreadable_reception_is_refused_with_400(clock, referent_api, organisation, value):
    response = post_json(referent_api, URL, {"channel": "email", "received_at": value})

    assert response.status_code == 400
    assert response.json()["errors"] == {"received_at": [DATETIME_FORMAT]}


@pytest.mark.parametrize("value", [1741950000, "1741950000"], ids=["number", "digits"])
def test_a_reception_given_as_a_unix_time_is_refused_with_400(
    clock, referent_api, organisation, value
):
    # Found by the schema fuzzing (test_schema_fuzzing.py): registered as received in 2025.
    response = post_json(referent_api, URL, {"channel": "email", "received_at": value})

    assert response.status_code == 400
    assert response.json()["errors"] == {"received_at": [DATETIME_FORMAT]}
    assert Complaint.objects.count() == 0


def test_missing_required_fields_are_all_reported(clock, referent_api, organisation):
    response = post_json(referent_api, URL, {"client_name": "Julie Martin"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "channel": ["Ce champ est obligatoire."],
            "received_at": ["Ce champ est obligatoire."],
        },
    }


def test_unknown_choice_and_unknown_field_are_refused_with_400(clock, referent_api, organisation):
    response = post_json(
        referent_api,
        URL,
        {**MINIMAL, "channel": "fax", "severity": "énorme", "client_mail": "a@b.fr"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "channel": ["Valeur inconnue. Valeurs admises : letter, email, phone, web, api."],
            "severity": ["Valeur inconnue. Valeurs admises : low, medium, high, critical."],
            "client_mail": [
                "Champ inconnu : vérifiez son nom (les champs admis sont décrits dans "
                "/api/v1/openapi.json)."
            ],
        },
    }


def test_text_expected_where_a_number_is_sent(clock, referent_api, organisation):
    response = post_json(referent_api, URL, {**MINIMAL, "client_account": 12345})

    assert response.status_code == 400
    assert response.json()["errors"] == {"client_account": ["Texte attendu."]}


def test_backdated_reception_without_reason_is_refused_with_the_services_message(
    clock, referent_api, organisation
):
    response = post_json(
        referent_api, URL, {"channel": "letter", "received_at": "2025-03-10T09:00:00+01:00"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "backdating_reason": [
                "La réception est antérieure à aujourd'hui : indiquez pourquoi elle est "
                "enregistrée maintenant (ce motif est conservé dans la chronologie)."
            ]
        },
    }
    assert ComplaintEvent.objects.count() == 0


def test_backdated_reception_with_reason_keeps_the_reason(clock, referent_api, organisation):
    response = post_json(
        referent_api,
        URL,
        {
            "channel": "letter",
            "received_at": "2025-03-10T09:00:00+01:00",
            "backdating_reason": "Courrier ouvert au retour de congés.",
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert (body["received_on"], body["due_date"], body["backdating_reason"]) == (
        "2025-03-10",
        "2025-03-21",
        "Courrier ouvert au retour de congés.",
    )


def test_reception_in_the_future_is_refused_with_400(clock, referent_api, organisation):
    response = post_json(
        referent_api, URL, {"channel": "email", "received_at": "2025-03-14T13:00:00+01:00"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "received_at": ["La date de réception est dans le futur : corrigez-la."]
    }


def test_service_validation_errors_come_back_per_field(clock, referent_api, organisation):
    response = post_json(
        referent_api,
        URL,
        {**MINIMAL, "client_email": "pas-une-adresse", "kind": "not_admissible"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {
            "client_email": [
                "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
            ],
            "not_admissible_reason": [
                "Indiquez pourquoi la demande n'est pas une réclamation recevable."
            ],
        },
    }


def test_body_that_is_not_json_is_refused_with_400(clock, referent_api, organisation):
    response = referent_api.post(URL, "channel=email", content_type="application/json")

    message = (
        "Corps de la requête illisible : envoyez un objet JSON valide "
        "(en-tête Content-Type: application/json)."
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}


def test_empty_body_is_refused_with_400(clock, referent_api, organisation):
    response = referent_api.post(URL, "", content_type="application/json")

    message = "Corps de la requête vide : envoyez un objet JSON."
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}


def test_json_array_body_is_refused_with_400(clock, referent_api, organisation):
    response = post_json(referent_api, URL, [MINIMAL])

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Objet JSON attendu.",
        "errors": {"__all__": ["Objet JSON attendu."]},
    }


def test_references_follow_each_other(clock, referent_api, organisation):
    references = [post_json(referent_api, URL, MINIMAL).json()["reference"] for _ in range(3)]

    assert references == ["REC-2025-0001", "REC-2025-0002", "REC-2025-0003"]
