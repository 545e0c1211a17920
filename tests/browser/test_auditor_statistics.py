"""An auditor opens the statistics of a period in a real browser, takes the PDF and the audit
pack away, and the pack verifies offline; the managers then see what the auditor opened."""

import io
import re

import pytest
from playwright.sync_api import expect

from reclamations.core.models import AccessRecord
from reclamations.reporting.pack_check import check_pack
from tests.conftest import PASSWORD
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

pytestmark = pytest.mark.django_db(transaction=True)


def _download(page, link: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    return download.value.suggested_filename, download.value.path().read_bytes()


def test_auditor_takes_the_statistics_and_the_audit_pack_away(
    page, organisation, referent, auditor
):
    make_complaint(organisation, referent, training="Excel avancé")
    make_complaint(organisation, referent, channel="letter", training="Excel avancé")

    page.goto("/connexion/")
    page.locator("#id_username").fill(auditor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Statistiques").click()
    page.get_by_label("Du", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(r"start=2026-01-01"))

    assert page.locator("svg.chart").count() == 13
    expect(page.get_by_role("cell", name="Excel avancé")).to_be_visible()
    pdf_name, pdf = _download(page, "PDF à imprimer")
    pack_name, pack = _download(page, "Dossier d'audit de la période (ZIP)")

    assert pdf_name.startswith("statistiques-reclamations-ccs-2026-01-01-au-")
    assert any("Excel avancé 2 (0)" in line for p in pdf_pages(pdf) for line in p)
    assert pack_name.startswith("dossier-audit-reclamations-ccs-2026-01-01-au-")
    assert check_pack(io.BytesIO(pack)).ok
    opened = set(AccessRecord.objects.filter(user=auditor).values_list("path", flat=True))
    assert {
        "/statistiques/?start=2026-01-01&end=&training=&session=&trainer=&funder=&cause=",
        "/dossier-audit.zip?start=2026-01-01",
    } <= opened
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    assert page.console_errors == []
