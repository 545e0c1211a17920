"""`reclamations export`: the register of a period written to a file."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from reclamations.reporting import register_files
from tests.clock import at
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages


@pytest.fixture
def register(clock, organisation, referent):
    make_complaint(organisation, referent, received_at=at(2026, 10, 30), client_name="Octobre")
    make_complaint(organisation, referent, client_name="Novembre")


def _export(*args: str) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_export_writes_the_period_as_csv(register, tmp_path):
    target = tmp_path / "registre.csv"

    said = _export("--from", "2026-11-01", "--to", "2026-11-30", "-o", str(target))

    assert said == f"1 réclamation exportée dans {target}\n"
    lines = list(csv.reader(target.open(encoding="utf-8-sig"), delimiter=";"))
    assert [line[3] for line in lines] == ["Client", "Novembre"]


def test_export_writes_the_whole_register_as_a_workbook_in_reception_order(register, tmp_path):
    target = tmp_path / "registre.xlsx"

    said = _export("--format", "xlsx", "-o", str(target))

    assert said == f"2 réclamations exportées dans {target}\n"
    sheet = load_workbook(target)["Registre"]
    assert [row[3].value for row in sheet.iter_rows(min_row=2)] == ["Octobre", "Novembre"]


def test_export_prints_the_register_as_a_pdf(register, tmp_path):
    target = tmp_path / "registre.pdf"

    said = _export("--format", "pdf", "--from", "2026-10-01", "-o", str(target))

    assert said == f"2 réclamations exportées dans {target}\n"
    (page,) = pdf_pages(target.read_bytes())
    assert page[1] == "Réclamations reçues à partir du 01/10/2026 · Ordre : plus anciennes d'abord"
    assert [line.split()[3] for line in page if line.startswith("REC-")] == [
        "Octobre",
        "Novembre",
    ]


def test_export_refuses_a_pdf_too_large_to_print(register, tmp_path, monkeypatch):
    monkeypatch.setattr(register_files, "MAX_COMPLAINTS", 1)

    with pytest.raises(CommandError) as raised:
        _export("--format", "pdf", "-o", str(tmp_path / "registre.pdf"))

    assert str(raised.value).startswith("Le registre à imprimer compterait 2 réclamations")


def test_export_of_an_empty_period_is_a_valid_file(register, tmp_path):
    target = tmp_path / "vide.csv"

    said = _export("--from", "2025-01-01", "--to", "2025-12-31", "-o", str(target))

    assert said == f"0 réclamation exportée dans {target}\n"
    assert target.read_bytes().count(b"\r\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "odt"), "Format inconnu « odt » : csv, xlsx ou pdf."),
        (
            ("--from", "01/11/2026"),
            "--from : date invalide « 01/11/2026 », utilisez le format AAAA-MM-JJ.",
        ),
        (
            ("--from", "2026-12-01", "--to", "2026-11-01"),
            "La période commence le 01/12/2026, après sa fin le 01/11/2026 : corrigez --from ou "
            "--to.",
        ),
        (
            ("--format", "xlsx", "-o", "-"),
            "Le format XLSX s'écrit dans un fichier : donnez -o FICHIER.xlsx (seul le CSV peut "
            "aller sur la sortie).",
        ),
        (
            ("--format", "pdf", "-o", "-"),
            "Le format PDF s'écrit dans un fichier : donnez -o FICHIER.pdf (seul le CSV peut "
            "aller sur la sortie).",
        ),
    ],
)
def test_export_refuses_bad_options_in_french(organisation, tmp_path, args, message):
    output = () if "-o" in args else ("-o", str(tmp_path / "x.csv"))

    with pytest.raises(CommandError) as raised:
        _export(*args, *output)

    assert str(raised.value) == message


def test_export_needs_the_organisation_when_there_are_several(
    organisation, other_organisation, tmp_path
):
    with pytest.raises(CommandError) as raised:
        _export("-o", str(tmp_path / "x.csv"))

    assert str(raised.value) == "Plusieurs organisations (ou aucune) : précisez --organisation NOM."
    assert _export("--organisation", "Autre organisme", "-o", str(tmp_path / "x.csv")) == (
        f"0 réclamation exportée dans {tmp_path / 'x.csv'}\n"
    )


@pytest.mark.parametrize("extension", ["csv", "xlsx", "pdf"])
def test_export_says_when_the_file_cannot_be_written(organisation, tmp_path, extension):
    target = tmp_path / "absent" / f"x.{extension}"

    with pytest.raises(CommandError) as raised:
        _export("--format", extension, "-o", str(target))

    assert str(raised.value) == f"Impossible d'écrire « {target} » : No such file or directory."
