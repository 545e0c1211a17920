"""The client's pages checked with axe-core (WCAG 2.1 A and AA rules): no serious or critical
violation, on each page, with and without errors shown; and a client who uses only the keyboard
follows their complaint, with the focus brought to the errors when the form comes back."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.complaints.client_access import SURVEY, issue_link
from reclamations.complaints.demo import ensure_demo_procedure
from reclamations.complaints.services import complaint_apply
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)

RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _serious_violations(page, axe_source: str) -> list[str]:
    # Evaluated by the browser's debugging protocol: the page's CSP (no inline script) stays on.
    page.evaluate(axe_source)
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def _path(url: str) -> str:
    return "/suivi/" + url.split("/suivi/", 1)[1]


def test_every_client_page_passes_axe(
    page, axe_source, live_server, settings, organisation, referent
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    ensure_demo_procedure(organisation)
    complaint = make_complaint(organisation, referent, channel="letter")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Les dates des séances.", "sent_via": "letter"},
    )
    survey = _path(issue_link(complaint, now=complaint.received_at, purpose=SURVEY))
    follow = _path(issue_link(complaint, now=complaint.received_at))
    checked: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(page.locator("h1")).to_be_visible()
        checked[name] = _serious_violations(page, axe_source)

    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (
            ("accueil", "/suivi/"),
            ("suivre", "/suivi/suivre/"),
            ("déposer", "/suivi/deposer/"),
            ("lien inconnu", "/suivi/acces/inconnu/"),
        ):
            page.goto(path)
            check(f"{name} {width}")
        page.goto("/suivi/suivre/")
        page.get_by_role("button", name="Recevoir le lien par e-mail").click()
        check(f"suivre, erreurs {width}")
    page.goto("/suivi/deposer/")
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    check("déposer, erreurs")
    page.goto(follow)
    check("ouvrir le lien")
    page.get_by_role("button", name="Voir ma réclamation").click()
    check("réclamation")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    check("réclamation, erreurs")
    page.goto(survey)
    check("avis")
    page.get_by_role("button", name="Envoyer mon avis").click()
    check("avis, erreurs")

    assert {name: found for name, found in checked.items() if found} == {}


def test_a_client_follows_their_complaint_with_the_keyboard_only(page, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    page.goto("/suivi/suivre/")

    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Référence de la réclamation")).to_be_focused()
    page.keyboard.type(complaint.reference)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Votre adresse e-mail")).to_be_focused()
    page.keyboard.type("pas une adresse")
    page.keyboard.press("Enter")

    summary = page.locator("#erreurs")
    expect(summary).to_be_focused()  # the errors, announced, where the focus lands
    expect(page).to_have_title(re.compile(r"^Erreur : "))
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Votre adresse e-mail")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("julie.martin@example.org")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Consultez vos e-mails")).to_be_visible()
