"""A new manager's first login in a real browser: the provisional password replaced, two-factor
authentication set up with a code computed here from the key the page shows (as the phone's app
would), the recovery codes noted, then the register; the next login takes a recovery code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from reclamations.core.users import password_provisional_set
from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Une phrase à moi seule 2026"


def _log_in(page, username: str, password: str) -> None:
    page.goto("/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def _axe(page) -> list[str]:
    return _serious_violations(page, AXE.read_text(encoding="utf-8")) if AXE.exists() else []


def test_a_new_manager_changes_the_password_enrols_then_reaches_the_register(page, manager):
    provisional = password_provisional_set(user=manager)
    problems: dict[str, list[str]] = {}

    _log_in(page, manager.username, provisional)
    page.wait_for_url(re.compile(r"/compte/mot-de-passe-provisoire/\?next=%2F$"))
    expect(page.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigation principale")).to_have_count(0)
    problems["mot de passe provisoire"] = _axe(page)
    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nouveau mot de passe (confirmation)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le mot de passe").click()

    page.wait_for_url(re.compile(r"/compte/double-authentification/obligatoire/"))
    expect(page.get_by_role("img", name="Code QR à scanner avec l'application")).to_be_visible()
    problems["activation"] = _axe(page)
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    page.get_by_label("Code affiché par l'application").fill(code)
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", name="Double authentification activée")).to_be_visible()
    codes = page.get_by_role("list", name="Codes de secours").locator("code").all_inner_texts()
    assert len(codes) == 10
    problems["codes de secours"] = _axe(page)
    page.get_by_role("link", name="J'ai noté mes codes : continuer").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Registre des réclamations")).to_be_visible()

    page.get_by_role("link", name="Responsable : mon compte").click()
    expect(page.get_by_text("Codes de secours restants : 10 sur 10.")).to_be_visible()
    problems["mon compte"] = _axe(page)
    page.get_by_role("button", name="Déconnexion").click()

    _log_in(page, manager.username, NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/connexion/code/"))
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_text("Code de secours utilisé : il ne servira plus.")).to_be_visible()
    assert problems == {name: [] for name in problems}
    assert page.console_errors == []
