"""A referent composes a reply in a real browser: the preview shows what the message adds and
says what she typed twice; she sends it by post with two files to enclose, and the letter kept
downloads from the page, listing them."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.complaints.enums import DocumentRole
from tests.conftest import PASSWORD
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages
from tests.web.helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Le module de février vous est remboursé par virement sous quinze jours."


def test_a_reply_previewed_corrected_then_printed_as_a_letter(page, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", funding="cpf")

    page.goto("/connexion/")
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/mon-travail/$"))
    page.goto(f"/reclamations/{complaint.reference}/")
    page.get_by_role("link", name="Répondre au client", exact=True).click()

    page.get_by_label("Canal de la réponse", exact=True).select_option("letter")
    page.get_by_label("Résolution retenue", exact=True).fill("Module remboursé.")
    page.get_by_label("Texte de la réponse", exact=True).fill(
        f"Madame,\n\n{TEXT}\n\nCordialement,\nFanny Maltese"
    )
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.get_by_text("retirez « Madame, » du début de votre texte")).to_be_visible()
    expect(page.locator(".mail-body")).to_contain_text("Bonjour Julie Martin,")
    expect(page.locator(".mail-body")).to_contain_text("médiateur de la consommation")

    page.get_by_label("Texte de la réponse", exact=True).fill(TEXT)
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.locator(".mail-body")).to_contain_text(TEXT)
    page.get_by_label("Pièces jointes à envoyer avec la réponse").set_input_files(
        [
            {"name": "echeancier.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "avoir.pdf", "mimeType": "application/pdf", "buffer": PDF + b"%2"},
        ]
    )
    page.get_by_role("button", name="Répondre au client").click()
    page.wait_for_url(re.compile(rf"/reclamations/{complaint.reference}/$"))

    letter = complaint.documents.get(role=DocumentRole.REPLY_COPY)
    with page.expect_download() as download:
        page.get_by_role("link", name=letter.original_name).first.click()
    content = open(download.value.path(), "rb").read()  # noqa: SIM115
    (printed,) = pdf_pages(content)
    assert TEXT in printed
    assert "06400 CANNES" in printed
    assert "echeancier.pdf" in printed and "avoir.pdf" in printed  # listed as « P. J. »
    enclosed = complaint.documents.filter(role=DocumentRole.ENCLOSURE)
    assert sorted(enclosed.values_list("original_name", flat=True)) == [
        "avoir.pdf",
        "echeancier.pdf",
    ]
    # The only error: the preview refused (400, as any form with errors), nothing else.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
