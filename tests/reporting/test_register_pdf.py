"""The printed register: the PDF read back as text (pdftotext, as an auditor's copy-paste would)
and checked value by value, page by page."""

from datetime import date, datetime

import pytest

from reclamations.complaints.chain import ChainReport
from reclamations.complaints.models import ChainHead, ComplaintEvent
from reclamations.complaints.queries import RegisterFilters
from reclamations.reporting import register_files
from reclamations.reporting.register_files import TooLargeToPrint, write_register_file
from reclamations.reporting.register_pdf import (
    ELLIPSIS,
    PrintedRegister,
    chain_text,
    filters_text,
    printable,
    scope_text,
    wrap,
)
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages
from tests.tampering import alter_event

FONT = "Helvetica"  # a font every ReportLab has, for measuring without registering any


def _print(organisation, tmp_path, **filters) -> list[list[str]]:
    target = tmp_path / "registre.pdf"
    count = write_register_file(
        "pdf", organisation, RegisterFilters(order="oldest", **filters), str(target)
    )
    pages = pdf_pages(target.read_bytes())
    assert pages[-1][-4].startswith(f"Registre arrêté à {count} réclamation")
    return pages


def _line_of(page: list[str], reference: str) -> str:
    return next(line for line in page if line.startswith(reference))


def test_each_complaint_is_one_line_with_its_reply_days_and_status(
    replied_register, organisation, tmp_path
):
    (page,) = _print(organisation, tmp_path)

    late = page.index(_line_of(page, "REC-2026-0001"))
    assert page[late : late + 3] == [
        "REC-2026-0001 01/10/2026 E-mail Julie Martin Réclamation Trois séances annulées sans "
        "préavis. 01/10/2026 : Appel du formateur. (Paul) 20/10/2026 16 non Clôturée",
        "CLI-001 01/10/2026 : Séance de rattrapage fixée.",  # the account under the name
        "Solution : Séance offerte.",
    ]
    phone = page.index(_line_of(page, "REC-2026-0002"))
    assert page[phone : phone + 3] == [
        "REC-2026-0002 02/11/2026 Téléphone Paul Durand Réclamation Trois séances annulées sans "
        "préavis. En attente de",
        "confirmation",
        "écrite",
    ]


def test_every_page_says_whose_register_what_it_holds_and_when_it_was_printed(
    replied_register, organisation, tmp_path
):
    (page,) = _print(organisation, tmp_path, received_from=date(2026, 10, 1))

    assert page[0] == f"Registre des réclamations — {organisation.name} Édité le 02/11/2026 à 10:00"
    assert page[1] == (
        "Réclamations reçues à partir du 01/10/2026 · Ordre : plus anciennes d'abord"
    )
    assert page[2:4] == [
        "Référence Reçue le Canal Client Nature Description (résumé) Actions et solution Réponse "
        "Jours Dans le Statut",
        "Compte le ouvr. délai",
    ]


def test_the_header_names_the_organisation_by_its_legal_name_and_numbers(
    replied_register, organisation, tmp_path
):
    organisation.legal_name = "Centre de Compétences Sud SARL"
    organisation.siret = "123 456 789 00012"
    organisation.nda = "93 06 12345 06"
    organisation.save()

    (page,) = _print(organisation, tmp_path)

    assert page[0].startswith("Registre des réclamations — Centre de Compétences Sud SARL ")
    assert page[1] == "SIRET 123 456 789 00012 · NDA 93 06 12345 06"


def test_the_footer_states_the_verified_chain_its_last_hash_and_the_procedure(
    replied_register, organisation, tmp_path
):
    (page,) = _print(organisation, tmp_path)

    events = ComplaintEvent.objects.filter(organisation=organisation).count()
    last_hash = ChainHead.objects.get(organisation=organisation).last_hash
    assert page[-2] == (
        f"Chronologie vérifiée le 02/11/2026 à 10:00 : intègre ({events} événements), "
        f"dernière empreinte {last_hash}"
    )
    assert page[-1] == (
        "Procédure de traitement des réclamations en vigueur : "
        f"{organisation.procedure_version} Page 1 / 1"
    )


def test_the_register_closes_with_its_count_and_room_to_sign(
    replied_register, organisation, tmp_path
):
    (page,) = _print(organisation, tmp_path)

    assert page[-4:-2] == [
        "Registre arrêté à 2 réclamations le 02/11/2026.",
        f"Nom et fonction : {organisation.referent_name}, {organisation.referent_title} "
        "Signature : ________________________________________",
    ]


@pytest.mark.tampered
def test_an_altered_event_is_reported_on_every_page(replied_register, organisation, tmp_path):
    event = ComplaintEvent.objects.get(organisation=organisation, sequence=2)
    alter_event(event, data={**event.data, "description": "Action réécrite après coup."})

    (page,) = _print(organisation, tmp_path)

    assert page[-2] == (
        "ATTENTION : chronologie vérifiée le 02/11/2026 à 10:00 et ALTÉRÉE à l'événement n° 2 "
        "(le contenu ne correspond plus à son empreinte) : ce registre ne peut pas en attester"
    )


def test_an_empty_period_is_a_valid_register_that_says_so(replied_register, organisation, tmp_path):
    (page,) = _print(
        organisation, tmp_path, received_from=date(2025, 1, 1), received_to=date(2025, 12, 31)
    )

    assert page[1] == (
        "Réclamations reçues du 01/01/2025 au 31/12/2025 · Ordre : plus anciennes d'abord"
    )
    assert "Aucune réclamation pour cette période et ces filtres." in page
    assert "Registre arrêté à 0 réclamation le 02/11/2026." in page


def test_a_long_register_runs_over_pages_each_with_its_header_and_number(
    clock, organisation, referent, tmp_path
):
    for number in range(45):
        make_complaint(organisation, referent, client_name=f"Client {number:02d}")

    pages = _print(organisation, tmp_path)

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert page[0].startswith("Registre des réclamations — ")
        assert page[2].startswith("Référence Reçue le Canal")
        assert page[-1].endswith(f"Page {number} / {len(pages)}")
    printed = [line.split()[0] for page in pages for line in page if line.startswith("REC-")]
    assert printed == [f"REC-2026-{number:04d}" for number in range(1, 46)]


def test_filters_are_printed_in_words(replied_register, organisation, tmp_path):
    (page,) = _print(organisation, tmp_path, status="closed", channel="email", search="Mart")

    assert page[1] == (
        "Toutes les réclamations enregistrées · Filtres : statut : Clôturée ; canal : E-mail ; "
        "recherche « Mart » · Ordre : plus anciennes d'abord"
    )
    assert [line.split()[0] for line in page if line.startswith("REC-")] == ["REC-2026-0001"]


def test_a_register_too_large_to_print_is_refused_before_anything_is_written(
    replied_register, organisation, tmp_path, monkeypatch
):
    monkeypatch.setattr(register_files, "MAX_COMPLAINTS", 1)
    target = tmp_path / "registre.pdf"

    with pytest.raises(TooLargeToPrint) as refused:
        write_register_file("pdf", organisation, RegisterFilters(), str(target))

    assert str(refused.value) == (
        "Le registre à imprimer compterait 2 réclamations, plus que les 1 réclamation qu'un PDF "
        "peut contenir : choisissez une période plus courte, ou exportez en XLSX ou en CSV "
        "(sans limite)."
    )
    assert not target.exists()


def test_strange_text_prints_without_failing(clock, organisation, referent, tmp_path):
    make_complaint(
        organisation,
        referent,
        client_name="Nguyễn Thị Minh Khai — 山田",
        description="<b>gras</b> &amp; \x01\x1f tabulé\tici " + "mot" * 400 + " fin",
    )

    (page,) = _print(organisation, tmp_path)

    line = _line_of(page, "REC-2026-0001")
    assert "<b>gras</b> &amp;" in line
    assert "Nguy" in line


# --- the pieces, without a database -------------------------------------------------------


def test_wrap_breaks_between_words_and_keeps_paragraphs():
    assert wrap("un deux trois\nquatre", 40, FONT, 7, 5) == ["un deux", "trois", "quatre"]


def test_wrap_cuts_a_word_wider_than_the_cell():
    lines = wrap("x" * 30, 30, FONT, 7, 10)

    assert "".join(lines) == "x" * 30
    assert len(lines) > 1


def test_wrap_ends_a_text_it_cannot_show_whole_with_an_ellipsis():
    lines = wrap("mot " * 200, 60, FONT, 7, 3)

    assert len(lines) == 3
    assert lines[-1].endswith(ELLIPSIS)


def test_wrap_reads_no_more_of_a_megabyte_than_a_cell_shows():
    lines = wrap("a" * 1_000_000, 100, FONT, 7, 2)

    assert len(lines) == 2
    assert lines[-1].endswith(ELLIPSIS)


def test_printable_drops_control_characters_and_lone_surrogates():
    assert printable("a\x00b\x1fc\nd\ud800e") == "a b c\nd?e"


def test_scope_in_words():
    assert scope_text(RegisterFilters()) == "Toutes les réclamations enregistrées"
    assert scope_text(RegisterFilters(received_to=date(2026, 3, 31))) == (
        "Réclamations reçues jusqu'au 31/03/2026"
    )


def test_filters_in_words():
    assert filters_text(RegisterFilters()) == ""
    assert filters_text(RegisterFilters(open_only=True, due_soon=True, overdue=False)) == (
        "Filtres : ouvertes seulement ; échéance proche ; hors retard"
    )


def test_chain_text_of_an_empty_chronology():
    facts = PrintedRegister(
        organisation="CCS",
        identity="",
        signatory="",
        filters=RegisterFilters(),
        printed_at=datetime(2026, 11, 2, 10, 0),
        procedure_version="v1",
        chain_report=ChainReport(checked=0),
        last_hash="",
    )

    assert chain_text(facts) == (
        "Chronologie vérifiée le 02/11/2026 à 10:00 : intègre (0 événement), "
        "dernière empreinte (aucune)"
    )
