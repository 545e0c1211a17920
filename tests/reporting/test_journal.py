"""The global journal: every event of the register in the chain's order, filtered, paged by
event number, and written whole as a file."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import complaint_apply
from reclamations.core.models import User
from reclamations.reporting.journal import (
    FILE_COLUMNS,
    SYSTEM,
    JournalFilters,
    journal_entries,
    journal_lines,
    journal_page,
    write_journal_xlsx,
)
from tests.clock import at
from tests.factories import make_complaint


def _note(complaint, actor, text):
    complaint_apply(complaint=complaint, actor=actor, action="add_note", data={"text": text})


@pytest.fixture
def journal(clock, organisation, other_organisation, referent, manager, outsider):
    """Sequences: 1 registered (referent, 30/10 23:30), 2 note (manager, 02/11 10:00),
    3 registered (referent), 4 note by the application itself, 5 note (referent)."""
    clock.move_to(at(2026, 10, 30, 23, 30))
    first = make_complaint(organisation, referent, client_name="Octobre")
    clock.move_to(at(2026, 11, 2, 10))
    _note(first, manager, "Appel au client.")
    second = make_complaint(organisation, referent, client_name="Novembre")
    _note(second, None, "Relance automatique.")
    _note(first, referent, '=HYPERLINK("http://x")')
    make_complaint(other_organisation, outsider)  # never in our journal
    return organisation


def _sequences(entries) -> list[int]:
    return [entry.sequence for entry in entries]


def test_the_journal_lists_every_event_newest_first_with_its_complaint_and_author(journal):
    page = journal_page(journal, JournalFilters())

    assert _sequences(page.entries) == [5, 4, 3, 2, 1]
    assert page.older is None
    newest = page.entries[0]
    assert (newest.reference, newest.label, newest.actor_name) == (
        "REC-2026-0001",
        "Note",
        "Referente",
    )
    assert newest.detail == 'Texte : =HYPERLINK("http://x")'
    assert newest.recorded_at.isoformat() == "2026-11-02T10:00:00+01:00"
    assert page.entries[1].actor_name == "Système"
    assert page.entries[-1].status_change == "— → En cours de traitement"
    assert (
        page.entries[-1].hash == ComplaintEvent.objects.get(organisation=journal, sequence=1).hash
    )


def test_pages_follow_each_other_by_event_number(journal):
    first = journal_page(journal, JournalFilters(), size=2)
    second = journal_page(journal, JournalFilters(), before=first.older, size=2)
    last = journal_page(journal, JournalFilters(), before=second.older, size=2)

    assert (_sequences(first.entries), first.older) == ([5, 4], 4)
    assert (_sequences(second.entries), second.older) == ([3, 2], 2)
    assert (_sequences(last.entries), last.older) == ([1], None)


def test_a_page_costs_one_query_however_deep(journal):
    with CaptureQueriesContext(connection) as queries:
        journal_page(journal, JournalFilters(event_type="note_added"), before=4, size=2)

    assert len(queries) == 1


@pytest.mark.parametrize(
    ("filters", "sequences"),
    [
        (JournalFilters(event_type="registered"), [3, 1]),
        (JournalFilters(event_type="note_added"), [5, 4, 2]),
        (JournalFilters(actor=SYSTEM), [4]),
        # A day is the organisation's: 23:30 in Paris on 30/10 is 22:30 UTC the same day.
        (JournalFilters(recorded_from=date(2026, 10, 30), recorded_to=date(2026, 10, 30)), [1]),
        (JournalFilters(recorded_from=date(2026, 10, 31)), [5, 4, 3, 2]),
        (JournalFilters(recorded_to=date(2026, 10, 29)), []),
    ],
)
def test_filters_by_day_person_and_type(journal, filters, sequences):
    assert _sequences(journal_page(journal, filters).entries) == sequences


def test_filter_by_one_person(journal, manager):
    entries = journal_page(journal, JournalFilters(actor=str(manager.pk))).entries

    assert [(entry.sequence, entry.actor_name) for entry in entries] == [(2, "Responsable")]


def test_the_whole_journal_reads_oldest_first(journal):
    assert _sequences(journal_entries(journal, JournalFilters())) == [1, 2, 3, 4, 5]


def _csv(organisation, filters) -> list[list[str]]:
    text = "".join(journal_lines(organisation, filters))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_journal_as_csv_is_what_the_page_shows_oldest_first(journal):
    lines = _csv(journal, JournalFilters())

    assert lines[0] == [title for title, _width in FILE_COLUMNS]
    assert [line[0] for line in lines[1:]] == ["1", "2", "3", "4", "5"]
    first = dict(zip(lines[0], lines[1], strict=True))
    assert first["Enregistré le"] == "30/10/2026 23:30"
    assert first["Date des faits"] == "30/10/2026"
    assert first["Réclamation ou action"] == "REC-2026-0001"
    assert first["Événement"] == "Réclamation enregistrée"
    assert first["Statut"] == "— → En cours de traitement"
    assert "Canal : E-mail" in first["Détail"]
    assert len(first["Empreinte (SHA-256)"]) == 64
    assert lines[5][7] == 'Texte : =HYPERLINK("http://x")'


def test_a_cell_a_spreadsheet_would_run_is_defused(journal):
    prankster = User.objects.create(
        username="farceur", first_name="=1+1", organisation=journal, role="referent"
    )
    first = ComplaintEvent.objects.get(organisation=journal, sequence=1).complaint
    _note(first, prankster, "Vu.")

    assert _csv(journal, JournalFilters(actor=str(prankster.pk)))[1][5] == "'=1+1"


def test_the_journal_as_a_workbook_has_typed_moments(journal):
    stream = io.BytesIO()

    write_journal_xlsx(journal, JournalFilters(actor=SYSTEM), stream)

    sheet = load_workbook(stream)["Journal"]
    assert [cell.value for cell in sheet[1]] == [title for title, _width in FILE_COLUMNS]
    assert sheet.max_row == 2
    assert sheet["A2"].value == 4
    assert sheet["B2"].value.strftime("%d/%m/%Y %H:%M") == "02/11/2026 10:00"
    assert sheet["B2"].number_format == "dd/mm/yyyy hh:mm"
    assert sheet["H2"].value == "Texte : Relance automatique."
    assert sheet.freeze_panes == "A2"
