"""A manager imports an old register in a real browser, without JavaScript of ours: from the
register page, the workbook chosen and read, the columns' fields checked against the preview,
an outcome chosen for the closed lines that give none, the dry run read, then the import; each
step at 1280 px without sideways scrolling nor a serious axe-core violation."""

import pytest
from playwright.sync_api import expect

from reclamations.complaints.models import Complaint
from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations
from tests.browser.test_security_journal import _as
from tests.register_import.files import messy_workbook

pytestmark = pytest.mark.django_db(transaction=True)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _checked(page, problems: dict[str, list[str]], step: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, step
    if AXE.exists():
        problems[step] = _serious_violations(page, AXE.read_text(encoding="utf-8"))


def test_a_manager_imports_a_register_step_by_step(page, live_server, organisation, manager):
    page.set_viewport_size({"width": 1280, "height": 900})
    _as(page, live_server, manager)
    problems: dict[str, list[str]] = {}
    page.goto("/")

    page.get_by_role("link", name="Importer un registre existant (XLSX ou CSV)").click()
    expect(page.get_by_role("heading", name="Importer un registre existant")).to_be_visible()
    _checked(page, problems, "fichier")
    page.get_by_label("Registre à importer").set_input_files(
        {"name": "registre-ccs.xlsx", "mimeType": XLSX_TYPE, "buffer": messy_workbook()}
    )
    page.get_by_role("button", name="Lire le fichier").click()

    expect(page.get_by_role("heading", name="Importer « registre-ccs.xlsx »")).to_be_visible()
    preview = page.get_by_role("region", name="Aperçu des premières lignes")
    expect(preview.get_by_role("row").nth(1)).to_contain_text("Amélie Laurent")
    expect(page.get_by_label("Statut", exact=True)).to_have_value("status")
    _checked(page, problems, "correspondance")
    page.get_by_label("Issue d'une réclamation close qui n'en dit rien").select_option(
        label="Fondée, satisfaite"
    )
    page.get_by_role("button", name="Simuler l'import").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Simulation : 9 ligne(s) lue(s), 6 réclamation(s) seront créées"
    )
    expect(
        page.get_by_text("Ligne 10, colonne « Reçue le » : date illisible « 31/02/2024 »")
    ).to_be_visible()
    expect(page.get_by_label("Issue d'une réclamation close qui n'en dit rien")).to_have_value(
        "granted"
    )
    assert Complaint.objects.count() == 0
    _checked(page, problems, "simulation")
    page.get_by_role("button", name="Importer 6 réclamations").click()

    expect(
        page.get_by_role("heading", name="Registre importé : « registre-ccs.xlsx »")
    ).to_be_visible()
    expect(
        page.get_by_text("Import terminé : 9 ligne(s) lue(s), 6 réclamation(s) créées")
    ).to_be_visible()
    _checked(page, problems, "importé")
    page.get_by_role("link", name="REC-2026-0001").click()
    expect(
        page.get_by_role("note").filter(has_text="Réclamation reprise d'un registre existant")
    ).to_be_visible()
    assert Complaint.objects.count() == 6
    assert problems in ({}, {"fichier": [], "correspondance": [], "simulation": [], "importé": []})
    assert page.console_errors == []
