"""The register's export buttons: the file holds what the page shows, every page of it."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reclamations.reporting import register_files
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

REGISTER = reverse("register")
CSV = reverse("register_export", args=["csv"])
XLSX = reverse("register_export", args=["xlsx"])
PDF = reverse("register_export", args=["pdf"])


def _lines(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_the_register_page_offers_both_files_with_its_filters_but_not_its_page(
    referent_client, organisation, referent
):
    make_complaint(organisation, referent)

    page = referent_client.get(REGISTER, {"status": "closed", "page": "2"}).content.decode()

    assert f'href="{XLSX}?status=closed" download>Classeur Excel (.xlsx)</a>' in page
    assert f'href="{CSV}?status=closed" download>CSV</a>' in page
    assert f'href="{PDF}?status=closed" download>PDF à imprimer</a>' in page


def test_csv_holds_every_page_of_the_filtered_register(
    referent_client, organisation, referent, settings
):
    settings.REGISTER_PAGE_SIZE = 1
    for name in ("Julie Martin", "Paul Roux", "Nadia Haddad"):
        make_complaint(organisation, referent, client_name=name)
    make_complaint(organisation, referent, channel="letter", client_name="Par courrier")

    response = referent_client.get(CSV, {"channel": "email", "page": "3"})

    lines = _lines(response)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="registre-reclamations-ccs-2026-11-02.csv"'
    )
    assert lines[0][:4] == ["Référence", "Reçue le", "Canal", "Client"]
    # The page's order: newest first.
    assert [line[3] for line in lines[1:]] == ["Nadia Haddad", "Paul Roux", "Julie Martin"]


def test_an_auditor_exports_the_register_as_a_workbook(auditor_client, organisation, referent):
    make_complaint(organisation, referent)

    response = auditor_client.get(XLSX)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="registre-reclamations-ccs-2026-11-02.xlsx"'
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Registre", "Actions"]
    assert book["Registre"]["A2"].value == "REC-2026-0001"


def test_another_organisation_exports_only_its_own_register(
    outsider_client, organisation, referent
):
    make_complaint(organisation, referent)

    assert _lines(outsider_client.get(CSV))[1:] == []


def test_an_auditor_prints_the_filtered_register(auditor_client, organisation, referent):
    make_complaint(organisation, referent, channel="letter", client_name="Paul Roux")
    make_complaint(organisation, referent, client_name="Julie Martin")

    response = auditor_client.get(PDF, {"channel": "letter"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="registre-reclamations-ccs-2026-11-02.pdf"'
    )
    (page,) = pdf_pages(b"".join(response.streaming_content))
    assert page[1].startswith("Toutes les réclamations enregistrées · Filtres : canal : Courrier")
    assert [line.split()[0] for line in page if line.startswith("REC-")] == ["REC-2026-0001"]


def test_a_register_too_large_to_print_sends_back_to_the_register_saying_why(
    referent_client, organisation, referent, monkeypatch
):
    monkeypatch.setattr(register_files, "MAX_COMPLAINTS", 1)
    make_complaint(organisation, referent)
    make_complaint(organisation, referent)

    response = referent_client.get(PDF, {"channel": "email"}, follow=True)

    assert response.redirect_chain == [(f"{REGISTER}?channel=email", 302)]
    assert "Le registre à imprimer compterait 2 réclamations" in response.content.decode()


def test_an_unknown_format_is_not_found(referent_client):
    assert referent_client.get(reverse("register_export", args=["odt"])).status_code == 404


def test_a_visitor_must_log_in_first(client, organisation):
    response = client.get(CSV)

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_a_wrong_filter_is_left_out_as_on_the_page(referent_client, organisation, referent):
    make_complaint(organisation, referent)

    lines = _lines(referent_client.get(CSV, {"status": "archived", "received_from": "hier"}))

    assert [line[0] for line in lines[1:]] == ["REC-2026-0001"]


def test_the_export_reads_the_register_in_a_fixed_number_of_queries(
    referent_client, organisation, referent
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _lines(referent_client.get(CSV))
        return len(captured)

    make_complaint(organisation, referent)
    one = queries()
    for _ in range(5):
        make_complaint(organisation, referent)

    assert queries() == one


def test_a_searched_register_exports_its_matches_newest_first(
    referent_client, organisation, referent
):
    for name in ("Hélène Lefèvre", "Paul Roux", "Marc Lefevre"):
        make_complaint(organisation, referent, client_name=name)

    lines = _lines(referent_client.get(CSV, {"q": "LEFEVRE"}))

    # A file has no rank: the matches, newest first.
    assert [line[3] for line in lines[1:]] == ["Marc Lefevre", "Hélène Lefèvre"]
