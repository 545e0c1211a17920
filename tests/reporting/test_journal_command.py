"""`reclamations journal`: the global journal as a file, oldest first."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reclamations.complaints.models import ComplaintEvent
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")


def test_the_journal_as_csv_and_xlsx_oldest_first(organisation, referent, tmp_path):
    make_complaint(organisation, referent)
    make_complaint(organisation, referent)
    sequences = [
        str(n)
        for n in ComplaintEvent.objects.order_by("sequence").values_list("sequence", flat=True)
    ]
    out = io.StringIO()

    call_command("journal", "-o", str(tmp_path / "journal.csv"), stdout=out)
    call_command("journal", "--format", "xlsx", "-o", str(tmp_path / "journal.xlsx"), stdout=out)

    with open(tmp_path / "journal.csv", encoding="utf-8-sig", newline="") as written:
        lines = list(csv.reader(written, delimiter=";"))
    assert lines[0][:2] == ["N°", "Enregistré le"]
    assert [line[0] for line in lines[1:]] == sequences
    sheet = load_workbook(tmp_path / "journal.xlsx")["Journal"]
    assert [str(row[0].value) for row in sheet.iter_rows(min_row=2)] == sequences
    assert out.getvalue().splitlines()[0] == f"Journal écrit dans {tmp_path / 'journal.csv'}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "pdf", "-o", "x.pdf"], "Format inconnu « pdf » : csv ou xlsx."),
        (
            ["--from", "2026-12-01", "--to", "2026-01-01", "-o", "x.csv"],
            "la période est à l'envers",
        ),
        (["--format", "xlsx", "-o", "-"], "Seul le CSV peut aller sur la sortie"),
        (["--from", "hier", "-o", "x.csv"], "date invalide « hier »"),
    ],
)
def test_the_command_says_what_is_wrong(organisation, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("journal", *arguments)
