"""The super-administrator's pages in a real browser: the login with its password and the
app's code, the list of organisations, Nouvel organisme refused once (what was typed is kept,
the error is said) then accepted with the password left empty (the provisional password shown
once, and it opens the manager's account), the new organisation found by the search. Every
page reads at 1280 and 375 px without sideways scrolling nor a serious accessibility
violation."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.superadmins import superadmin_create
from reclamations.core.users import password_chosen
from tests.accounts import code_now, totp_device
from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 375)


@pytest.fixture
def superadmin(db) -> User:
    """A super-administrator past the first login: their own password, an app enrolled."""
    account = superadmin_create(username="plateforme", email="plateforme@example.fr").account
    account.set_password(PASSWORD)
    account.save(update_fields=["password"])
    password_chosen(user=account)
    totp_device(account)
    return account


def _read_at_both_widths(page, name: str, problems: dict[str, list[str]]) -> None:
    """The page as it is now, on a desktop and on a phone: no wider than the screen, and
    axe-core's serious or critical findings (none expected)."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        expect(page.locator("h1")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") == width, (name, width)
        if AXE.exists():
            problems[f"{name} {width}"] = _serious_violations(page, AXE.read_text(encoding="utf-8"))
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def test_a_superadmin_creates_an_organisation_and_finds_it_in_the_list(
    page, superadmin, organisation
):
    for name in ("Centre Atlantique", "Institut des Vosges"):
        Organisation.objects.create(name=name)
    problems: dict[str, list[str]] = {}

    # The password, then the code of the app enrolled at the first login.
    page.goto("/connexion/")
    page.locator("#id_username").fill(superadmin.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/connexion/code/"))
    page.get_by_label("Code").fill(code_now(totp_device(superadmin)))
    page.get_by_role("button", name="Vérifier").click()

    page.wait_for_url(re.compile(r"/plateforme/$"))
    expect(page.get_by_role("heading", name="Organismes de l'installation")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("3 organismes.")
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows.get_by_role("rowheader")).to_have_text(
        [organisation.name, "Centre Atlantique", "Institut des Vosges"]
    )
    _read_at_both_widths(page, "organismes", problems)

    # Nouvel organisme, sent without the postal address.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Nouvel organisme"
    ).click()
    page.wait_for_url(re.compile(r"/plateforme/organismes/nouveau/$"))
    expect(page.get_by_role("heading", name="Nouvel organisme")).to_be_visible()
    _read_at_both_widths(page, "nouvel organisme", problems)
    page.get_by_label("Nom de l'organisme (obligatoire)").fill("Formations Rhin")
    page.get_by_label("Adresse e-mail des réclamations (obligatoire)").fill(
        "reclamations@formations-rhin.fr"
    )
    page.get_by_label("Nom du ou de la référent·e (obligatoire)").fill("Anne Keller")
    page.get_by_label("Jours fériés régionaux").select_option("6AE")
    page.get_by_label("Nom d'utilisateur (obligatoire)").fill("anne.keller")
    page.get_by_label("Prénom").fill("Anne")
    page.get_by_label("Nom", exact=True).fill("Keller")
    page.get_by_label("E-mail (obligatoire)").fill("anne.keller@formations-rhin.fr")
    page.get_by_role("button", name="Créer l'organisme et le compte").click()

    expect(page).to_have_title(re.compile(r"^Erreur : Nouvel organisme"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        "Une erreur empêche l'enregistrement : corrigez les champs signalés ci-dessous."
    )
    expect(summary).to_be_focused()  # the summary takes the focus (issue 13)
    expect(summary.get_by_role("link", name="Adresse postale")).to_have_attribute(
        "href", "#id_address"
    )
    address = page.get_by_label("Adresse postale (obligatoire)")
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(address).to_have_accessible_description(
        re.compile("Indiquez l'adresse postale de l'organisme : elle figure sur chaque courrier.")
    )
    expect(page.get_by_label("Nom de l'organisme (obligatoire)")).to_have_value("Formations Rhin")
    expect(page.get_by_label("Jours fériés régionaux")).to_have_value("6AE")
    expect(page.get_by_label("Nom d'utilisateur (obligatoire)")).to_have_value("anne.keller")
    expect(page.get_by_label("E-mail (obligatoire)")).to_have_value(
        "anne.keller@formations-rhin.fr"
    )
    assert not Organisation.objects.filter(name="Formations Rhin").exists()
    _read_at_both_widths(page, "nouvel organisme, erreurs", problems)

    # The address given, the password left empty: a provisional one, shown on the next page.
    address.fill("3 quai des Bateliers\n67000 Strasbourg")
    page.get_by_role("button", name="Créer l'organisme et le compte").click()

    expect(page.get_by_role("heading", name="Organisme « Formations Rhin » créé")).to_be_visible()
    provisional = page.locator("main code").inner_text()
    manager = User.objects.get(username="anne.keller")
    assert manager.organisation == Organisation.objects.get(name="Formations Rhin")
    assert manager.role == Role.MANAGER and manager.password_provisional
    assert manager.check_password(provisional)
    _read_at_both_widths(page, "organisme créé", problems)

    # Shown once: the list and the form do not show it again.
    page.get_by_role("link", name="Retour aux organismes").click()
    page.wait_for_url(re.compile(r"/plateforme/$"))
    expect(page.get_by_role("status")).to_have_text("4 organismes.")
    expect(page.get_by_text(provisional)).to_have_count(0)

    page.get_by_label("Rechercher un organisme par son nom").fill("rhin")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"\?q=rhin$"))
    expect(page.get_by_role("status")).to_have_text("1 organisme dont le nom contient « rhin ».")
    expect(rows).to_have_count(1)
    found = rows.first
    expect(found.get_by_role("rowheader")).to_have_text("Formations Rhin")
    expect(found.get_by_role("cell").nth(1)).to_have_text("1")  # its manager, active
    expect(found.get_by_role("cell").nth(2)).to_have_text("reclamations@formations-rhin.fr")
    expect(page.get_by_label("Rechercher un organisme par son nom")).to_have_value("rhin")
    _read_at_both_widths(page, "organismes, recherche", problems)

    assert problems == {name: [] for name in problems}
    # Chromium reports the one refusal the journey asked for: the form sent back (400).
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
