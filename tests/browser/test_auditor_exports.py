"""An auditor filters the register and takes it away as a workbook, a CSV and a PDF to sign,
in a real browser: each download holds what the page showed."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)


def _download(page, link: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link, exact=True).click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith("registre-reclamations-ccs-")
    return path.read_bytes()


def test_auditor_takes_the_filtered_register_away_in_three_formats(
    page, organisation, referent, auditor
):
    make_complaint(organisation, referent, channel="letter", client_name="Paul Roux")
    make_complaint(organisation, referent, client_name="Julie Martin")
    make_complaint(organisation, referent, channel="letter", client_name="Nadia Haddad")

    page.goto("/connexion/")
    page.locator("#id_username").fill(auditor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_label("Canal", exact=True).select_option(label="Courrier")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"channel=letter"))
    expect(page.get_by_text("Exporter ces réclamations")).to_be_visible()

    book = load_workbook(io.BytesIO(_download(page, "Classeur Excel (.xlsx)")))
    lines = list(csv.reader(io.StringIO(_download(page, "CSV").decode("utf-8-sig")), delimiter=";"))
    (printed,) = pdf_pages(_download(page, "PDF à imprimer"))

    shown = ["Nadia Haddad", "Paul Roux"]  # the page's order: newest first
    assert [row[3].value for row in book["Registre"].iter_rows(min_row=2)] == shown
    assert [line[3] for line in lines[1:]] == shown
    assert [line.split()[3:5] for line in printed if line.startswith("REC-")] == [
        ["Nadia", "Haddad"],
        ["Paul", "Roux"],
    ]
    assert page.console_errors == []
