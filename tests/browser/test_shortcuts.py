"""The keyboard shortcuts of the register and the complaint page (issue 13), in a real browser:
"/" puts the cursor in the search, a letter typed there stays a letter, "j" and Entrée open a
complaint, "r" opens the action "À faire maintenant" suggests, "g r" goes back to the register
and "?" to the shortcuts' page; the help pages pass axe-core at 1280 and 375 px."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.accounts import verified_login
from tests.browser.test_accessibility import _serious_violations
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, user) -> None:
    """The browser carries `user`'s session, second factor passed: the test is about the keys."""
    client = verified_login(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_slash_focuses_the_search_and_a_typed_n_stays_in_it(page, live_server, referent):
    _as(page, live_server, referent)
    page.goto("/")
    search = page.get_by_label("Rechercher")

    page.keyboard.press("/")
    expect(search).to_be_focused()
    page.keyboard.type("n")  # "n" elsewhere opens a new complaint: here it is a letter

    assert search.input_value() == "n"
    assert page.url == f"{live_server.url}/"
    assert page.console_errors == []


def test_j_then_enter_opens_the_first_complaint_and_r_its_suggested_action(
    page, live_server, organisation, referent
):
    complaint = make_complaint(organisation, referent, client_name="Hélène Lefèvre")
    _as(page, live_server, referent)
    page.goto("/")

    page.keyboard.press("j")
    expect(page.get_by_role("link", name=complaint.reference)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/reclamations/{complaint.reference}/$"))
    suggested = page.locator("nav.next-step a.button-primary")
    expect(suggested).to_have_text("Envoyer l'accusé de réception")
    href = suggested.get_attribute("href")

    page.keyboard.press("r")
    page.wait_for_url(f"{live_server.url}{href}")
    expect(page.locator("h1")).to_have_text("Envoyer l'accusé de réception")

    page.go_back()
    page.keyboard.press("g")
    page.keyboard.press("r")
    page.wait_for_url(f"{live_server.url}/")
    page.keyboard.press("?")
    page.wait_for_url(f"{live_server.url}/aide/raccourcis/")
    assert page.console_errors == []


def test_the_help_pages_pass_axe(page, axe_source, live_server, referent):
    _as(page, live_server, referent)
    found: dict[str, list[str]] = {}
    images = 0
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/aide/", "/aide/referent/", "/aide/raccourcis/"):
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            found[f"{path} {width}"] = _serious_violations(page, axe_source)
            # The screenshots are served (static files beside the guide; loaded lazily, so
            # asked here), and nothing is wider than the screen.
            statuses = page.evaluate(
                "Promise.all([...document.images].map(image => fetch(image.src)"
                ".then(answer => answer.status)))"
            )
            assert set(statuses) <= {200}, path
            images += len(statuses)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path

    assert found == {key: [] for key in found}
    assert images == 2 * 8  # the referent's page shows eight screenshots, at each width
    assert page.console_errors == []
