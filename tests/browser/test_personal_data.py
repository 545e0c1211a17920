"""A manager exports a person's data in a real browser: 'Données personnelles' from the menu, an
address nobody has said on the page, then the person's address typed and the ZIP downloaded
with her complaint inside; the page reads at 1280 and 375 px without sideways scrolling nor a
serious accessibility violation."""

import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations
from tests.browser.test_security_journal import _as
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_downloads_a_persons_data_from_the_menu(
    page, live_server, organisation, manager, referent
):
    complaint = make_complaint(organisation, referent)
    _as(page, live_server, manager)
    page.goto("/")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Données personnelles"
    ).click()
    expect(
        page.get_by_role("heading", name="Droit d'accès : exporter les données d'une personne")
    ).to_be_visible()
    address = page.get_by_label("Adresse e-mail de la personne")
    address.fill("inconnue@example.org")
    page.get_by_role("button", name="Exporter les données (ZIP)").click()
    expect(page.get_by_role("status")).to_contain_text("Aucune donnée sur inconnue@example.org")

    problems = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        if AXE.exists():
            problems[width] = _serious_violations(page, AXE.read_text(encoding="utf-8"))
    assert problems in ({}, {1280: [], 375: []})

    address.fill("Julie.Martin@example.org")
    with page.expect_download() as started:
        page.get_by_role("button", name="Exporter les données (ZIP)").click()
    download = started.value
    assert download.suggested_filename.startswith("donnees-personnelles-julie-martin-example-org-")
    archive = zipfile.ZipFile(download.path())
    assert f"reclamations/{complaint.reference}/reclamation.json" in archive.namelist()
    assert page.console_errors == []
