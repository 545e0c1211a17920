"""A referent finds a complaint by a word of its chronology, typed without accents, in a real
browser, on a desktop and on a phone: the words found are marked, where they were is shown."""

import re

import pytest

from reclamations.complaints.services import complaint_apply
from tests.conftest import PASSWORD
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_referent_finds_a_complaint_by_a_word_of_its_actions(page, organisation, referent, width):
    page.set_viewport_size({"width": width, "height": 900})
    found = make_complaint(organisation, referent, client_name="Hélène Lefèvre")
    complaint_apply(
        complaint=found,
        actor=referent,
        action="add_action",
        data={"description": "Visite de la salle de l'Estérel avec le formateur."},
    )
    make_complaint(organisation, referent, client_name="Paul Roux")

    page.goto("/connexion/")
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/mon-travail/$"))
    page.goto("/")
    page.get_by_label("Rechercher").fill("ESTEREL lefevre")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"q=ESTEREL"))

    rows = page.locator("table.register tbody tr")
    assert rows.count() == 1
    assert rows.first.get_by_role("link").inner_text() == found.reference
    assert page.locator("mark").all_inner_texts() == ["Lefèvre", "Estérel"]
    assert "Visite de la salle de l'Estérel" in rows.first.locator(".excerpt").inner_text()
    assert page.get_by_label("Trier par").input_value() == ""  # the default: relevance here
    # Nothing wider than the screen but the table, which scrolls in its own frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []
