"""The referent's screens on a desktop and on a phone (issue 13): the work lists, the register,
a complaint's page and the main forms, at 1280 and 375 px, never scroll sideways (even with a
200-character word typed in), lead with the next step on a complaint's page, and pass axe-core
with no serious or critical violation."""

import pytest
from playwright.sync_api import expect

from reclamations.complaints.services import complaint_apply
from tests.browser.test_accessibility import _serious_violations
from tests.browser.test_security_journal import _as
from tests.clock import at
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)

LONG_WORD = "https://exemple.fr/" + "a" * 200


def test_the_referents_screens_fit_a_phone_and_a_desktop(
    page, axe_source, live_server, organisation, referent
):
    pasted = make_complaint(
        organisation,
        referent,
        client_name="Client " + "X" * 120,
        client_account="C" * 150,
        description="Voir " + LONG_WORD,
    )
    overdue = make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    replied = make_complaint(organisation, referent)
    complaint_apply(
        complaint=replied,
        actor=referent,
        action="reply",
        data={"channel": "email", "resolution": "Séances reprogrammées.", "text": "Voici."},
    )
    _as(page, live_server, referent)
    pages = {
        "mon travail": "/mon-travail/",
        "registre": "/",
        "réclamation aux longs mots": f"/reclamations/{pasted.reference}/",
        "réclamation en retard": f"/reclamations/{overdue.reference}/",
        "réclamation répondue": f"/reclamations/{replied.reference}/",
        "nouvelle réclamation": "/reclamations/nouvelle/",
        "répondre": f"/reclamations/{overdue.reference}/actions/reply/",
    }
    widths: dict[str, int] = {}
    problems: dict[str, list[str]] = {}

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            if path.startswith("/reclamations/REC-") and "/actions/" not in path:
                next_step = page.locator("nav.next-step")
                expect(next_step).to_be_visible()
                expect(next_step.locator("a.button-primary")).to_have_count(1)
            widths[f"{name} {width}"] = page.evaluate("document.documentElement.scrollWidth")
            problems[f"{name} {width}"] = _serious_violations(page, axe_source)
        page.goto("/reclamations/nouvelle/")
        page.get_by_role("button", name="Enregistrer la réclamation").click()
        expect(page.locator(".error-summary")).to_be_focused()
        widths[f"nouvelle réclamation, erreurs {width}"] = page.evaluate(
            "document.documentElement.scrollWidth"
        )
        problems[f"nouvelle réclamation, erreurs {width}"] = _serious_violations(page, axe_source)

    assert {name: found for name, found in widths.items() if found != int(name.split()[-1])} == {}
    assert {name: found for name, found in problems.items() if found} == {}


def test_on_a_phone_the_register_shows_status_due_date_and_days_left(
    page, live_server, organisation, referent
):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    _as(page, live_server, referent)
    page.set_viewport_size({"width": 375, "height": 900})

    page.goto("/")

    card = page.locator("table.register tbody tr").first
    expect(card.get_by_role("link", name=complaint.reference)).to_be_visible()
    for label in ("Statut : ", "Échéance : ", "Jours restants : "):
        cell = card.locator(f"td[data-label='{label[:-3]}']")
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375


MANAGER_PAGES = (
    "/",
    "/mon-travail/",
    "/journal/",
    "/statistiques/",
    "/ameliorations/",
    "/ameliorations/nouvelle/",
    "/procedure/",
    "/tri/",
    "/reglages/",
    "/reglages/boite/",
    "/reglages/rappels/",
    "/utilisateurs/",
    "/utilisateurs/jetons/",
    "/utilisateurs/acces/",
    "/utilisateurs/securite/",
    "/donnees-personnelles/",
    "/donnees-personnelles/demandes/",
    "/donnees-personnelles/demandes/nouvelle/",
    "/modeles-de-messages/",
    "/modeles-de-messages/reply/",
    "/modeles-de-messages/paragraphes/",
    "/modeles-de-messages/mise-en-page/",
    "/registre/importer/",
    "/aide/",
    "/aide/raccourcis/",
    "/compte/",
)


def test_no_page_of_a_manager_scrolls_sideways_on_a_phone(page, live_server, organisation, manager):
    complaint = make_complaint(organisation, manager, description="Voir " + LONG_WORD)
    _as(page, live_server, manager)
    page.set_viewport_size({"width": 375, "height": 800})
    widths = {}

    for path in (*MANAGER_PAGES, f"/reclamations/{complaint.reference}/"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        widths[path] = page.evaluate("document.documentElement.scrollWidth")

    assert {path: width for path, width in widths.items() if width != 375} == {}
