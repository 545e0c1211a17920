"""A real organisation's first run, as its manager lives it: `reclamations serve` on an empty
data directory (its own SQLite register, nothing loaded), Debian's Chromium. The address leads
to the first-run page, which refuses an empty form and keeps what is typed; the organisation
and its manager are created, two-factor authentication is set up with a code computed here
from the key the page shows, the settings page opens with what was typed and saves a change;
the manager logs in again with a code, registers the first complaint through the registration
form; every page passes axe-core; `reclamations verify` accepts the register left."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from base64 import b32decode
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations
from tests.harness.network import free_port

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"
PASSWORD = "Un registre bien tenu 2026"


def _environment(data_dir: Path) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "RECLAMATIONS_DEMO")
    }
    environment.update(
        RECLAMATIONS_DATA_DIR=str(data_dir),
        RECLAMATIONS_EMBEDDED_WORKER="false",
        WEB_CONCURRENCY="1",
    )
    return environment


@pytest.fixture
def empty_installation(tmp_path) -> Iterator[tuple[str, Path]]:
    """`reclamations serve` on a data directory of its own, empty: its address and directory."""
    data_dir = tmp_path / "donnees"
    data_dir.mkdir()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "serve", "--port", str(port)],
        env=_environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while server.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/api/v1/openapi.json", timeout=5)  # noqa: S310 - our server
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"reclamations serve did not answer (exit code {server.poll()})")
        yield url, data_dir
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _axe(page) -> list[str]:
    return _serious_violations(page, AXE.read_text(encoding="utf-8")) if AXE.exists() else []


def _code(secret: str, *, after: str = "") -> str:
    """The app's code now; a code already used is refused, so wait for the next one."""
    code = f"{totp(b32decode(secret)):06d}"
    while code == after:
        time.sleep(1)
        code = f"{totp(b32decode(secret)):06d}"
    return code


@pytest.mark.own_sqlite_register
def test_a_new_organisation_goes_from_an_empty_data_directory_to_its_first_complaint(
    chromium_browser, empty_installation
):
    url, data_dir = empty_installation
    context = chromium_browser.new_context(base_url=url, locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    problems: dict[str, list[str]] = {}

    # The address leads to the first run: no account, no demo.
    page.goto("/")
    page.wait_for_url(re.compile(r"/installation/$"))
    expect(page.get_by_role("heading", name="Première installation")).to_be_visible()
    expect(page.get_by_text("CCS")).to_have_count(0)
    problems["première installation"] = _axe(page)
    page.get_by_label("Nom de l'organisme (obligatoire)").fill("Formations Rhin")
    page.get_by_role("button", name="Créer l'organisme et le compte").click()
    expect(page).to_have_title(re.compile(r"^Erreur : Première installation"))
    expect(
        page.get_by_text(
            "Indiquez l'adresse postale de l'organisme : elle figure sur chaque courrier."
        )
    ).to_be_visible()
    expect(page.get_by_label("Nom de l'organisme (obligatoire)")).to_have_value("Formations Rhin")
    problems["première installation, erreurs"] = _axe(page)

    page.get_by_label("Adresse postale (obligatoire)").fill(
        "3 quai des Bateliers\n67000 Strasbourg"
    )
    page.get_by_label("Adresse e-mail des réclamations (obligatoire)").fill(
        "reclamations@formations-rhin.fr"
    )
    page.get_by_label("Nom du ou de la référent·e (obligatoire)").fill("Anne Keller")
    page.get_by_label("Jours fériés régionaux").select_option("6AE")
    page.get_by_label("Jours ouvrés (lundi au vendredi)").check()
    page.get_by_label("Médiateur de la consommation").fill("Médiation Alsace")
    page.get_by_label("Tribunal compétent").fill("Tribunal judiciaire de Strasbourg")
    page.get_by_label("Nom d'utilisateur (obligatoire)").fill("anne.keller")
    page.get_by_label("Prénom").fill("Anne")
    page.get_by_label("Nom", exact=True).fill("Keller")
    page.get_by_label("E-mail (obligatoire)").fill("anne.keller@formations-rhin.fr")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation) (obligatoire)").fill(PASSWORD)
    page.get_by_role("button", name="Créer l'organisme et le compte").click()

    # Logged in as its manager, who sets up the second factor first.
    page.wait_for_url(
        re.compile(r"/compte/double-authentification/obligatoire/\?next=%2Freglages%2F$")
    )
    expect(page.get_by_text("Organisme créé, et vous êtes son responsable.")).to_be_visible()
    problems["activation"] = _axe(page)
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    enrolled_with = _code(secret)
    page.get_by_label("Code affiché par l'application").fill(enrolled_with)
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Double authentification activée")).to_be_visible()
    page.get_by_role("link", name="J'ai noté mes codes : continuer").click()

    # The organisation's settings, as typed on the first run.
    page.wait_for_url(re.compile(r"/reglages/$"))
    expect(page.get_by_role("heading", name="Réglages de l'organisme")).to_be_visible()
    expect(page.get_by_label("Nom de l'organisme")).to_have_value("Formations Rhin")
    expect(page.get_by_label("Jours fériés régionaux")).to_have_value("6AE")
    expect(page.get_by_label("Jours ouvrés (lundi au vendredi)")).to_be_checked()
    problems["réglages"] = _axe(page)
    page.get_by_label("Téléphone").fill("03 88 00 00 00")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.get_by_text("Réglages enregistrés.")).to_be_visible()

    # The first manager logs in again, with the password and the app's code.
    page.get_by_role("button", name="Déconnexion").click()
    page.goto("/installation/")
    expect(page.get_by_role("heading", name="Page introuvable")).to_be_visible()
    page.goto("/connexion/")
    page.locator("#id_username").fill("anne.keller")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/connexion/code/"))
    page.get_by_label("Code").fill(_code(secret, after=enrolled_with))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Registre des réclamations")).to_be_visible()
    expect(page.get_by_role("link", name="Formations Rhin")).to_be_visible()
    problems["registre vide"] = _axe(page)

    # Its first complaint, through the registration form.
    page.get_by_role("link", name="Nouvelle réclamation").first.click()
    page.get_by_label("Téléphone", exact=True).check()
    page.get_by_label("Nom du client", exact=True).fill("Karim Benali")
    page.get_by_label("Description de la réclamation", exact=True).fill(
        "Le support de cours ne correspond pas au programme annoncé."
    )
    page.get_by_label("Formation concernée", exact=True).fill("Excel avancé")
    problems["nouvelle réclamation"] = _axe(page)
    page.get_by_role("button", name="Enregistrer la réclamation").click()
    page.wait_for_url(re.compile(r"/reclamations/REC-\d{4}-0001/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    expect(page.get_by_text(f"Réclamation {reference} enregistrée.")).to_be_visible()
    problems["réclamation"] = _axe(page)
    context.close()

    verify = subprocess.run(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "verify"],
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert re.fullmatch(r"OK \d+ events, 1 complaints, 0 documents", verify.stdout.splitlines()[0])
    assert verify.stdout.splitlines()[1].startswith("TÊTE Formations Rhin:")
    assert problems == {name: [] for name in problems}
    # Chromium reports the statuses the journey asked for: the form sent back with its errors
    # (400) and the first-run page once gone (404). Nothing else went wrong.
    assert errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)",
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]
