"""/api/v1/improvement-actions: the plan read by every role; actions decided and taken step by
step by those who handle complaints, with the same rules and French messages as the pages."""

import pytest

from reclamations.complaints.models import ImprovementAction
from tests.factories import make_complaint

from .helpers import FRIDAY_NOON, post_json

pytestmark = pytest.mark.clock(FRIDAY_NOON)
URL = "/api/v1/improvement-actions"


@pytest.fixture
def complaint(clock, organisation, referent):
    return make_complaint(organisation, referent)


def _decide(api, complaint, **fields):
    body = {
        "title": "Confirmer les salles par écrit",
        "description": "Réservation confirmée la veille.",
        "complaints": [complaint.reference],
        "cause": "Locaux, matériel ou équipement",
        "due_date": "2025-04-30",
        **fields,
    }
    return post_json(api, URL, body)


def test_an_action_is_decided_and_read_back_with_its_chronology(
    referent_api, auditor_api, complaint, manager
):
    created = _decide(referent_api, complaint, owner=manager.pk)

    assert created.status_code == 201
    body = created.json()
    assert (body["reference"], body["status"], body["complaints"], body["owner"]) == (
        "AM-2025-001",
        "planned",
        [complaint.reference],
        manager.display_name,
    )
    assert [event["type"] for event in body["events"]] == ["improvement_created"]
    assert body["allowed_steps"] == ["start", "record_done", "abandon", "update", "note"]
    listed = auditor_api.get(URL).json()
    assert (listed["count"], listed["pages"], listed["page_size"]) == (1, 1, 100)
    assert auditor_api.get(f"{URL}?page=2").json()["results"] == []
    assert listed["results"][0]["reference"] == "AM-2025-001"
    read = auditor_api.get(f"{URL}/AM-2025-001").json()
    assert read["allowed_steps"] == []  # an auditor reads only


def test_the_steps_to_closure_and_a_refusal_in_french(referent_api, complaint):
    _decide(referent_api, complaint)
    steps = f"{URL}/AM-2025-001/steps"

    early = post_json(referent_api, steps, {"step": "close"})
    post_json(referent_api, steps, {"step": "record_done", "done_summary": "Procédure revue."})
    unchecked = post_json(referent_api, steps, {"step": "close"})
    checked = post_json(
        referent_api,
        steps,
        {"step": "check", "check_result": "partly", "check_evidence": "Une seule réclamation."},
    )
    closed = post_json(referent_api, steps, {"step": "close"})

    assert early.status_code == 409
    assert early.json()["detail"] == "Étape « Clore » impossible : l'action est « prévue »."
    assert unchecked.status_code == 409
    assert unchecked.json()["detail"].startswith("Vérifiez l'efficacité de l'action")
    assert checked.status_code == 201
    assert closed.status_code == 201
    assert closed.json()["action"]["status"] == "closed"
    assert closed.json()["event"]["type"] == "improvement_closed"


def test_wrong_values_are_400_per_field(referent_api, complaint):
    response = _decide(referent_api, complaint, title="", complaints=["REC-1999-0001"])

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "title": ["Donnez un intitulé à l'action."],
        "complaints": ["Réclamation inconnue : REC-1999-0001."],
    }
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize("due_date", [1746057600, "1746057600"], ids=["number", "digits"])
def test_a_due_date_not_written_as_a_day_is_refused(referent_api, complaint, due_date):
    # Found by the schema fuzzing (test_schema_fuzzing.py): read as 1 May 2025 (a Unix time).
    response = _decide(referent_api, complaint, due_date=due_date)

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "due_date": ["Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2025-03-14."]
    }
    assert not ImprovementAction.objects.exists()


def test_an_auditor_decides_nothing_and_an_unknown_action_is_404(
    auditor_api, referent_api, complaint
):
    refused = _decide(auditor_api, complaint)
    unknown = referent_api.get(f"{URL}/AM-2025-999")

    assert refused.status_code == 403
    assert unknown.status_code == 404


@pytest.mark.parametrize("strange", ["Salle\x00B", "Salle \ud800"])
def test_text_no_database_stores_is_a_400_not_a_500(referent_api, complaint, strange):
    created = _decide(referent_api, complaint, title=strange)
    _decide(referent_api, complaint)
    note = post_json(referent_api, f"{URL}/AM-2025-001/steps", {"step": "note", "text": strange})

    assert created.status_code == 400
    assert created.json()["errors"]["title"][0].startswith("Caractère impossible à enregistrer")
    assert note.status_code == 400
    assert list(note.json()["errors"]) == ["text"]


def test_a_page_far_beyond_the_last_is_empty_not_a_500(referent_api, complaint):
    # Found by the schema fuzzing (test_schema_fuzzing.py): the offset overflowed the database.
    _decide(referent_api, complaint)

    response = referent_api.get(f"{URL}?page=4491769407487837470720")

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "page": 4491769407487837470720,
        "page_size": 100,
        "pages": 1,
        "results": [],
    }
