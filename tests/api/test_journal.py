"""GET /api/v1/journal: the global journal, newest first, a page at a time by event number."""

import pytest

from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import complaint_apply
from tests.factories import make_complaint

from .helpers import FRIDAY_NOON, INVALID_DATA

pytestmark = pytest.mark.clock(FRIDAY_NOON)
URL = "/api/v1/journal"


@pytest.fixture
def events(clock, organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "Appel."})
    make_complaint(organisation, None)  # registered by the application
    return list(ComplaintEvent.objects.order_by("sequence"))


def test_the_newest_first_a_page_at_a_time(events, auditor_api):
    first = auditor_api.get(f"{URL}?size=2").json()
    second = auditor_api.get(f"{URL}?size=2&before={first['older']}").json()

    assert [e["sequence"] for e in first["results"]] == [e.sequence for e in events[::-1][:2]]
    assert [e["sequence"] for e in second["results"]] == [events[0].sequence]
    assert second["older"] is None
    note = first["results"][1]
    assert (note["event_type"], note["label"], note["data"]) == (
        "note_added",
        "Note",
        {"text": "Appel."},
    )
    assert note["hash"] == events[1].hash


def test_filters_by_author_and_type(events, referent, auditor_api):
    mine = auditor_api.get(f"{URL}?actor={referent.pk}").json()["results"]
    automatic = auditor_api.get(f"{URL}?actor=systeme").json()["results"]
    registered = auditor_api.get(f"{URL}?type=registered").json()["results"]

    assert [e["sequence"] for e in mine] == [events[1].sequence, events[0].sequence]
    assert [e["sequence"] for e in automatic] == [events[2].sequence]
    assert [e["sequence"] for e in registered] == [events[2].sequence, events[0].sequence]
    assert auditor_api.get(f"{URL}?from=2025-03-15").json()["results"] == []
    assert len(auditor_api.get(f"{URL}?from=0001-01-01&to=9999-12-31").json()["results"]) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [("from=2025-03-15&to=2025-03-01", "from"), ("type=inconnu", "type"), ("actor=abc", "actor")],
)
def test_wrong_filters_are_a_400_in_french(referent_api, db, query, field):
    response = referent_api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["detail"] == INVALID_DATA
    assert list(response.json()["errors"]) == [field]
