"""A manager reads the security journal in a real browser: a referent's failed login and the
manager's page she was refused are there, with the address they came from, filtered by kind (a
name no account has is the administrators' to read); the page reads at 1280 and 375 px without
sideways scrolling nor a serious accessibility violation."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.accounts import verified_login
from tests.browser.conftest import AXE
from tests.browser.test_accessibility import _serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, live_server, user) -> None:
    """The browser carries the session of `user` with the second factor passed (as after the
    login form and the code), so that the test is about the journal, not the login."""
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


def _failed_login(page, username: str) -> None:
    page.goto("/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert").first).to_be_visible()


def test_a_manager_finds_the_failed_logins_and_the_refusals(
    page, live_server, chromium_browser, manager, referent
):
    _failed_login(page, "inconnu")
    _failed_login(page, referent.username)
    refused = chromium_browser.new_context(base_url=live_server.url)
    referent_page = refused.new_page()
    _as(referent_page, live_server, referent)
    assert referent_page.goto("/reglages/").status == 403
    refused.close()

    page.context.clear_cookies()
    _as(page, live_server, manager)
    page.goto("/utilisateurs/securite/")
    expect(page.get_by_role("heading", name="Journal de sécurité")).to_be_visible()
    rows = page.get_by_role("table").get_by_role("row")
    failures = rows.filter(has_text="Échec de connexion")
    expect(failures.filter(has_text=referent.username)).to_have_count(1)
    assert "127.0.0.1" in failures.filter(has_text=referent.username).inner_text()
    # A name no account has belongs to no organisation: the administrators' to read, not ours.
    expect(rows.filter(has_text="inconnu")).to_have_count(0)
    expect(rows.filter(has_text="/reglages/").filter(has_text="Accès refusé")).to_have_count(1)

    page.get_by_label("Événement", exact=True).select_option(label="Échec de connexion")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"kind=login_failed"))
    expect(page.get_by_role("heading", name=re.compile("Événements correspondant"))).to_be_visible()
    expect(rows.filter(has_text="/reglages/")).to_have_count(0)
    expect(rows.filter(has_text="Échec de connexion")).to_have_count(1)

    problems = {}
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        if AXE.exists():
            problems[width] = _serious_violations(page, AXE.read_text(encoding="utf-8"))
    assert problems in ({}, {1280: [], 375: []})
    assert page.console_errors == []
