"""The register as CSV and XLSX: read back and checked value by value, as an auditor's
spreadsheet reads them."""

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.reporting.register_export import COLUMNS, export_rows
from reclamations.reporting.spreadsheets import csv_bytes, csv_text, write_xlsx
from tests.factories import complaint_in_state, make_complaint

HEADER = [column.header for column in COLUMNS]


def _column(header: str) -> str:
    """The spreadsheet letter(s) of a column, found by its header."""
    return get_column_letter(HEADER.index(header) + 1)


DESCRIPTION = _column("Description")


def _rows(organisation, **filters):
    return export_rows(
        organisation,
        RegisterFilters(order="oldest", **filters),
        today=date(2026, 11, 2),
        policy=deadline_policy(organisation),
    )


def _csv(organisation, **filters) -> list[dict[str, str]]:
    data = csv_bytes(_rows(organisation, **filters))
    assert data.startswith("\ufeff".encode())  # French Excel reads UTF-8 with its mark only
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == HEADER
    return [dict(zip(HEADER, line, strict=True)) for line in lines[1:]]


def test_csv_holds_one_line_per_complaint_with_its_actions_and_reply(
    replied_register, organisation
):
    late, phone = _csv(organisation)

    assert {name: late[name] for name in HEADER} == {
        "Référence": "REC-2026-0001",
        "Reçue le": "01/10/2026",
        "Canal": "E-mail",
        "Client": "Julie Martin",
        "Compte client": "CLI-001",
        "Type de client": "Particulier (consommateur)",
        "Financement": "CPF",
        "Formation": "Excel avancé",
        "Session": "Session d'octobre, Nice",
        "Formateur ou formatrice": "Paul Roux",
        "Financeur": "Caisse des dépôts",
        "Nature": "Réclamation",
        "Catégorie": "",
        "Gravité": "Moyenne",
        "Cause": "Planning, convocation ou changement de dernière minute",
        "Analyse de la cause": "Salle réservée deux fois.",
        "Description": "Trois séances annulées sans préavis.",
        "Attente du client": "",
        "Motif de non-recevabilité": "",
        "Statut": "Clôturée",
        "Échéance": "13/10/2026",
        "Actions menées": "01/10/2026 : Appel du formateur. (Paul)\n"
        "01/10/2026 : Séance de rattrapage fixée.",
        "Solution apportée": "Séance offerte.",
        "Première réponse le": "20/10/2026",
        "Dernière réponse le": "20/10/2026",
        "Jours pour répondre": "16",
        "Dans le délai": "non",
        "Issue": "Fondée, satisfaite",
        "Position du client": "Non exprimée",
        "Clôturée le": "20/10/2026",
        "Médiateur saisi le": "",
        "Contentieux engagé le": "",
        "Version de la procédure": organisation.procedure_version,
    }
    assert (phone["Référence"], phone["Canal"], phone["Statut"]) == (
        "REC-2026-0002",
        "Téléphone",
        "En attente de confirmation écrite",
    )
    assert (phone["Première réponse le"], phone["Jours pour répondre"], phone["Dans le délai"]) == (
        "",
        "",
        "",
    )


def test_an_export_holds_what_the_register_filters(replied_register, organisation):
    assert [line["Référence"] for line in _csv(organisation, status="closed")] == ["REC-2026-0001"]
    assert [line["Référence"] for line in _csv(organisation, channel="phone")] == ["REC-2026-0002"]


def test_an_empty_period_is_a_valid_register_with_its_header(replied_register, organisation):
    assert _csv(organisation, received_from=date(2025, 1, 1), received_to=date(2025, 12, 31)) == []


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Julie = Martin", "Julie = Martin"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (date(2026, 11, 2), "02/11/2026"),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_shown_as_text(value, written):
    assert csv_text(value) == written


def test_a_formula_typed_by_a_client_stays_text_in_both_files(clock, organisation, referent):
    make_complaint(organisation, referent, client_name="=1+1", description="@cmd")

    (line,) = _csv(organisation)
    stream = io.BytesIO()
    write_xlsx(_rows(organisation), stream)
    sheet = load_workbook(stream)["Registre"]

    assert (line["Client"], line["Description"]) == ("'=1+1", "'@cmd")
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("=1+1", "s")
    cell = sheet[f"{DESCRIPTION}2"]
    assert (cell.value, cell.data_type) == ("@cmd", "s")


def test_xlsx_has_typed_dates_a_frozen_header_filters_and_an_actions_sheet(
    replied_register, organisation
):
    stream = io.BytesIO()

    write_xlsx(_rows(organisation), stream)

    book = load_workbook(stream)
    assert book.sheetnames == ["Registre", "Actions"]
    register_sheet, actions = book["Registre"], book["Actions"]
    assert [cell.value for cell in register_sheet[1]] == HEADER
    assert (register_sheet.freeze_panes, actions.freeze_panes) == ("A2", "A2")
    assert register_sheet.auto_filter.ref == f"A1:{_column(HEADER[-1])}3"
    assert actions.auto_filter.ref == "A1:D3"
    assert register_sheet.max_row == 3
    assert register_sheet["A2"].value == "REC-2026-0001"
    assert register_sheet["B2"].value == datetime(2026, 10, 1)
    assert register_sheet["B2"].is_date
    days = _column("Jours pour répondre")
    assert register_sheet[f"{days}2"].value == 16  # working days to reply, a number
    assert register_sheet[f"{days}3"].value is None
    assert int(register_sheet.column_dimensions[DESCRIPTION].width) == 50  # wide
    assert register_sheet["B2"].number_format == "dd/mm/yyyy"
    assert [[cell.value for cell in row] for row in actions.iter_rows(min_row=2)] == [
        ["REC-2026-0001", datetime(2026, 10, 1), "Appel du formateur.", "Paul"],
        ["REC-2026-0001", datetime(2026, 10, 1), "Séance de rattrapage fixée.", None],
    ]


def test_xlsx_of_an_empty_register_has_its_headers_only(organisation):
    stream = io.BytesIO()

    write_xlsx(_rows(organisation), stream)

    book = load_workbook(stream)
    assert book["Registre"].max_row == 1
    assert book["Actions"].max_row == 1


def test_characters_a_workbook_cannot_hold_are_left_out(clock, organisation, referent):
    make_complaint(organisation, referent, description="Ligne\x0b suivante\x01.")
    stream = io.BytesIO()

    write_xlsx(_rows(organisation), stream)

    assert load_workbook(stream)["Registre"][f"{DESCRIPTION}2"].value == "Ligne suivante."


def test_reading_the_register_costs_two_queries_per_chunk_whatever_its_size(
    clock, organisation, referent
):
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            csv_bytes(_rows(organisation))
        return len(captured)

    for state in ("replied", "closed", "mediation"):
        complaint_in_state(organisation, referent, state)
    few = queries_for_export()
    for _ in range(7):
        complaint_in_state(organisation, referent, "closed")

    assert queries_for_export() == few == 2
