"""The journal page: the register's whole chronology for every reader, filtered, paged by event
number, exported as it is filtered."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.services import complaint_apply
from reclamations.web.views import journal as journal_view
from tests.factories import make_complaint

JOURNAL = reverse("journal")


@pytest.fixture
def register(clock, organisation, referent):
    first = make_complaint(organisation, referent, client_name="Octobre")
    make_complaint(organisation, referent, client_name="Novembre")
    complaint_apply(complaint=first, actor=None, action="add_note", data={"text": "Relance."})
    return organisation


def _numbers(response) -> list[str]:
    return [entry.sequence for entry, _items in response.context["entries"]]


def test_an_auditor_reads_the_whole_chronology_newest_first(auditor_client, register):
    response = auditor_client.get(JOURNAL)

    page = response.content.decode()
    assert response.status_code == 200
    assert _numbers(response) == [3, 2, 1]
    assert '<a href="/reclamations/REC-2026-0001/">REC-2026-0001</a>' in page
    assert "Système" in page
    assert "Relance." in page
    assert 'aria-current="page">Journal</a>' in page


def test_pages_go_back_in_time_by_event_number(referent_client, register, monkeypatch):
    monkeypatch.setattr(journal_view, "PAGE_SIZE", 2)

    first = referent_client.get(JOURNAL, {"event_type": ""})
    older = referent_client.get(JOURNAL, {"event_type": "", "avant": "2"})

    assert _numbers(first) == [3, 2]
    assert 'href="?event_type=&amp;avant=2" rel="next">Événements plus anciens' in (
        first.content.decode()
    )
    assert _numbers(older) == [1]
    assert 'href="/journal/?event_type=">« Les plus récents</a>' in older.content.decode()


@pytest.mark.parametrize("number", ["abc", "-1", "0", "99999999999999999999", "1e3"])
def test_a_wrong_page_mark_shows_the_newest_events(referent_client, register, number):
    response = referent_client.get(JOURNAL, {"avant": number})

    assert response.status_code == 200
    assert _numbers(response) == [3, 2, 1]


def test_a_wrong_filter_is_said_and_left_out(referent_client, register):
    response = referent_client.get(
        JOURNAL,
        {"recorded_from": "2026-13-45", "event_type": "registered", "actor": "nobody"},
    )

    page = response.content.decode()
    assert _numbers(response) == [2, 1]
    assert "Un filtre est incorrect et a été ignoré" in page
    assert "Ce filtre est ignoré." in page


def test_a_reversed_period_is_said(referent_client, register):
    response = referent_client.get(
        JOURNAL, {"recorded_from": "2026-11-30", "recorded_to": "2026-11-01"}
    )

    assert "Cette date précède la date de début de la période" in response.content.decode()
    assert _numbers(response) == []  # from 30/11 on: nothing yet


def test_the_page_costs_the_same_queries_whatever_its_depth(referent_client, register):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            referent_client.get(JOURNAL, params)
        return len(captured)

    assert queries({}) == queries({"avant": "3"}) == queries({"event_type": "note_added"})


def test_another_organisation_sees_none_of_our_events(outsider_client, register):
    assert _numbers(outsider_client.get(JOURNAL)) == []


def test_the_journal_exports_as_filtered_oldest_first(auditor_client, register):
    response = auditor_client.get(reverse("journal_export", args=["csv"]), {"actor": "systeme"})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert response["Content-Disposition"] == (
        'attachment; filename="journal-reclamations-ccs-2026-11-02.csv"'
    )
    assert [line[0] for line in lines[1:]] == ["3"]

    workbook = auditor_client.get(reverse("journal_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)))["Journal"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [1, 2, 3]


def test_an_unknown_export_format_is_not_found(referent_client):
    assert referent_client.get(reverse("journal_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize(
    "period",
    [
        {"recorded_from": "0001-01-01"},
        {"recorded_to": "9999-12-31"},
        {"recorded_from": "0001-01-01", "recorded_to": "9999-12-31"},
    ],
)
def test_the_first_and_last_days_of_the_calendar_answer(referent_client, register, period):
    response = referent_client.get(reverse("journal"), period)
    assert response.status_code == 200
    assert response.context["entries"]


def test_an_improvement_actions_events_are_in_the_journal_with_a_link_to_it(
    auditor_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    action = improvement_create(
        organisation=organisation,
        actor=referent,
        new=NewImprovement(
            title="Confirmer les salles",
            description="Par écrit, la veille.",
            complaints=[complaint.reference],
            due_date=date(2099, 1, 1),
        ),
    )

    html = auditor_client.get(JOURNAL).content.decode()

    detail = reverse("improvement_detail", args=[action.reference])
    assert f'<a href="{detail}">{action.reference}</a>' in html
    assert "Action d&#x27;amélioration décidée" in html
    assert f'href="{reverse("complaint_detail", args=[complaint.reference])}"' in html
