"""A register file read by its content: the workbook's merged cells spread over their span and
its headers found; a CSV's encoding and separator found and said; anything else refused with
what to do."""

import codecs
import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from reclamations.register_import.header import SUB_HEADER as SUB
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import propose
from reclamations.register_import.reading import Unreadable, read_table
from tests.register_import.files import WINDOWS_CSV, messy_workbook
from tests.web.helpers import PDF


def test_the_workbook_headers_are_the_two_lines_under_its_merged_title():
    table = read_table(messy_workbook())
    header = find_header(table)

    assert table.how_read == (
        "Classeur Excel (XLSX), feuille « Registre » (le classeur en a 2 : choisissez celle du "
        "registre)."
    )
    assert table.sheets == ("Registre", "Synthèse")
    assert header.lines == (3, 4)
    assert header.names == (
        "N°",
        "Reçue le",
        f"Client{SUB}Nom du client",
        f"Client{SUB}Compte",
        "Objet",
        "Description",
        "Canal",
        "Statut",
        f"Réponse{SUB}Date",
        f"Réponse{SUB}Réponse apportée",
        "Remarques",
    )
    assert propose(header) == (
        "reference",
        "received_on",
        "client_name",
        "client_account",
        "subject",
        "description",
        "channel",
        "status",
        "replied_on",
        "resolution",
        "note",
    )


def test_a_cell_merged_across_the_sheet_is_a_title_and_spreads_its_value():
    table = read_table(messy_workbook())

    assert table.title_lines == frozenset({1, 8})
    assert table.rows[7] == ("Année 2024",) * 11


def test_another_sheet_is_read_when_named():
    table = read_table(messy_workbook(), sheet="Synthèse")

    assert (table.sheet, table.rows) == ("Synthèse", (("Total", 9),))
    with pytest.raises(Unreadable) as refused:
        read_table(messy_workbook(), sheet="2025")
    assert str(refused.value) == (
        "Le classeur n'a pas de feuille « 2025 ». Feuilles : « Registre », « Synthèse »."
    )


@pytest.mark.parametrize(
    ("content", "how"),
    [
        (WINDOWS_CSV, "Windows-1252 (Excel français), séparateur point-virgule « ; »"),
        (
            codecs.BOM_UTF8 + "Date,Client\n14/03/2024,Hélène\n".encode(),
            "UTF-8 avec BOM, séparateur virgule « , »",
        ),
        ("Date\tClient\n14/03/2024\tHélène\n".encode(), "UTF-8, séparateur tabulation"),
        (
            "Date\tClient\r\n14/03/2024\tHélène\r\n".encode("utf-16"),
            "UTF-16 (« texte Unicode » d'Excel), séparateur tabulation",
        ),
    ],
)
def test_a_csv_says_its_encoding_and_separator(content, how):
    table = read_table(content)

    assert table.how_read == f"Fichier CSV lu en {how}."
    assert table.rows[1][1] in ("Hélène", "Hélène Lefèvre")


def test_the_windows_csv_keeps_its_quoted_separator_and_its_accents():
    table = read_table(WINDOWS_CSV)

    assert table.rows[3] == (
        "45366",
        "Cédric Œuvray",
        "CLI-89",
        "Retard; facture",
        "en attente",
        "",
        "",
        "",
    )


def _zip(names: list[str]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return stream.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "C'est un classeur Excel 97-2003 (.xls) : ouvrez-le dans Excel ou LibreOffice et "
            "enregistrez-le au format .xlsx (ou CSV), puis importez ce fichier.",
        ),
        (
            _zip(["mimetype", "content.xml"]),
            "C'est un classeur OpenDocument (.ods) : enregistrez-le au format .xlsx ou CSV "
            "depuis LibreOffice, puis importez ce fichier.",
        ),
        (
            _zip(["lisez-moi.txt"]),
            "Ce fichier est une archive ZIP, pas un classeur XLSX : importez le registre au "
            "format .xlsx ou CSV.",
        ),
        (
            PDF,
            "Ce fichier n'est ni un classeur XLSX ni un CSV (son contenu est de type PDF) : "
            "enregistrez le registre au format .xlsx ou CSV.",
        ),
        (
            b"Date\x00Client\n",
            "Ce fichier n'est ni un classeur XLSX ni un texte CSV lisible (UTF-8, UTF-16 ou "
            "Windows-1252) : enregistrez le registre au format .xlsx, ou en « CSV UTF-8 » "
            "depuis Excel.",
        ),
        (
            "Date de réception\n14/03/2024\n".encode(),
            "Une seule colonne lue : le séparateur des colonnes n'est ni le point-virgule, ni la "
            "virgule, ni la tabulation. Enregistrez le registre en CSV depuis Excel (ou en "
            ".xlsx).",
        ),
    ],
)
def test_a_file_that_is_no_register_is_refused_with_what_to_do(content, message):
    with pytest.raises(Unreadable) as refused:
        read_table(content)

    assert str(refused.value) == message


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "x")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (151 * 1024 * 1024))

    with pytest.raises(Unreadable) as refused:
        read_table(stream.getvalue())

    assert str(refused.value).startswith("Ce classeur se décompresse en plus de 150 Mo")


def test_a_damaged_workbook_is_refused():
    content = messy_workbook()
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(stream, "w") as damaged:
        for item in source.infolist():
            data = source.read(item)
            damaged.writestr(item, b"<pas du xml" if item.filename.endswith("sheet1.xml") else data)

    with pytest.raises(Unreadable) as refused:
        read_table(stream.getvalue())

    assert str(refused.value).startswith(
        "Le classeur ne peut pas être lu (il est peut-être endommagé ou protégé par un mot de "
        "passe)"
    )


def test_trailing_formatted_but_empty_lines_and_columns_are_not_read():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Client"])
    sheet.append(["14/03/2024", "Julie Martin"])
    sheet["F40"].number_format = "dd/mm/yyyy"
    sheet["F40"] = "  "
    stream = io.BytesIO()
    workbook.save(stream)

    assert read_table(stream.getvalue()).rows == (
        ("Date", "Client"),
        ("14/03/2024", "Julie Martin"),
    )


def test_how_a_file_was_read_and_why_it_cannot_be_are_said_in_a_page_s_language():
    with translation.override("en"):
        table = read_table(WINDOWS_CSV)
        with pytest.raises(Unreadable) as raised:
            read_table(messy_workbook(), sheet="2025")

        assert table.read_as(gettext) == (
            "CSV file read as Windows-1252 (French Excel), separator semicolon “;”."
        )
        assert raised.value.text(gettext) == (
            "The workbook has no sheet “2025”. Sheets: “Registre”, “Synthèse”."
        )
        # The command's words, and the import's event, stay French.
        assert table.how_read.startswith("Fichier CSV lu en Windows-1252 (Excel français)")
        assert str(raised.value).startswith("Le classeur n'a pas de feuille « 2025 ».")


def test_columns_the_import_names_are_shown_in_a_page_s_language_named_in_french():
    shared = read_table(
        b"Date de r\xc3\xa9ception;Client;Client;;Description\r\n01/02/2025;A;B;C;D\r\n"
    )
    # A header line asked beyond the table: no header, the columns named by their letters.
    headless = find_header(read_table(b"01/02/2025;Dupont;Retard\r\n"), line=9)

    # The names identify the columns (a mapping file names them): French whatever the page.
    assert find_header(shared).names == (
        "Date de réception",
        "Client (colonne B)",
        "Client (colonne C)",
        "Sans titre (colonne D)",
        "Description",
    )
    assert headless.names == ("Colonne A", "Colonne B", "Colonne C")
    assert find_header(shared).labels() == list(find_header(shared).names)
    with translation.override("en"):
        assert find_header(shared).labels(gettext) == [
            "Date de réception",
            "Client (column B)",
            "Client (column C)",
            "Untitled (column D)",
            "Description",
        ]
        assert headless.labels(gettext) == ["Column A", "Column B", "Column C"]
