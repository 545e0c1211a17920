"""English-speaking staff in a real browser: the register and a complaint's page, the
manager's settings, users and templates, and a first run, in English at 1280 px without
sideways scrolling nor a serious accessibility violation (issue 12)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reclamations.complaints.services import complaint_apply
from tests.browser.conftest import ARTIFACTS, AXE
from tests.browser.test_accessibility import _serious_violations
from tests.browser.test_security_journal import _as
from tests.factories import make_complaint
from tests.web.english_admin_pages import _in_english
from tests.web.test_english import ENGLISH_ACTIONS, ENGLISH_COMPLAINT, _waiting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not Path("reclamations/locale/en/LC_MESSAGES/django.mo").exists(),
        reason="traductions non compilées (msgfmt : apt-get install gettext)",
    ),
]


def test_an_english_referent_reads_the_register_and_a_complaint_at_1280_px(
    page, live_server, organisation, referent
):
    referent.language = "en"
    referent.save(update_fields=["language"])
    organisation.cause_list = ["Planning"]
    organisation.save(update_fields=["cause_list"])
    complaint = make_complaint(organisation, referent, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS[:3]:
        complaint_apply(complaint=complaint, actor=referent, action=action, data=data)
    _as(page, live_server, referent)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/")
    expect(page.get_by_role("heading", name="Complaints register", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    register_scroll = page.evaluate("document.documentElement.scrollWidth")
    register_problems = _serious_violations(page, AXE.read_text()) if AXE.exists() else []

    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_role("heading", name=f"Complaint {complaint.reference}")).to_be_visible()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    expect(page.get_by_text("Reply sent to the client", exact=True)).to_be_visible()
    complaint_scroll = page.evaluate("document.documentElement.scrollWidth")
    complaint_problems = _serious_violations(page, AXE.read_text()) if AXE.exists() else []

    assert max(register_scroll, complaint_scroll) <= 1280
    assert (register_problems, complaint_problems) == ([], [])
    assert page.console_errors == []


ADMIN_PAGES = [
    ("/reglages/", "The organisation's settings"),
    ("/utilisateurs/", "Users"),
    ("/modeles-de-messages/", "Message templates"),
    ("/modeles-de-messages/reply/", "Template “Reply”"),
    ("/modeles-de-messages/paragraphes/", "Standard paragraphs"),
    ("/modeles-de-messages/mise-en-page/", "Letter layout"),
    ("/utilisateurs/jetons/", "The organisation's API tokens"),
]


def test_an_english_manager_reads_the_settings_users_and_templates_at_1280_px(
    page, live_server, organisation, manager
):
    _in_english(organisation)
    manager.language = "en"
    manager.save(update_fields=["language"])
    _as(page, live_server, manager)
    page.set_viewport_size({"width": 1280, "height": 900})
    widths, problems = {}, {}

    for path, heading in ADMIN_PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
        problems[path] = _serious_violations(page, AXE.read_text()) if AXE.exists() else []
        page.screenshot(
            path=str(ARTIFACTS / f"english{path.replace('/', '-')}.png"), full_page=True
        )
    console_errors = list(page.console_errors)
    # A form with errors answers 400 (the browser logs it): the errors said in English.
    page.goto("/reglages/")
    page.get_by_label("SIRET").fill("123")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("A SIRET has 14 digits (spaces allowed).")).to_be_visible()

    assert all(width <= 1280 for width in widths.values()), widths
    assert all(found == [] for found in problems.values()), problems
    assert console_errors == []


def test_a_first_run_in_english_at_1280_px(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto("/")
    expect(page.get_by_role("heading", name="First installation")).to_be_visible()
    page.get_by_role("button", name="Create the organisation and the account").click()
    expect(page.get_by_text("Enter the organisation's name.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "english-first-run.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert (_serious_violations(page, AXE.read_text()) if AXE.exists() else []) == []


def test_an_english_referent_replies_sorts_mail_and_reads_the_journal_at_1280_px(
    page, live_server, organisation, referent
):
    referent.language = "en"
    referent.save(update_fields=["language"])
    complaint = make_complaint(organisation, referent, **ENGLISH_COMPLAINT)
    inbound = _waiting(organisation)
    _as(page, live_server, referent)
    page.set_viewport_size({"width": 1280, "height": 900})
    widths, problems = [], []

    def check() -> None:
        widths.append(page.evaluate("document.documentElement.scrollWidth"))
        problems.extend(_serious_violations(page, AXE.read_text()) if AXE.exists() else [])

    page.goto(f"/reclamations/{complaint.reference}/actions/reply/")
    expect(page.get_by_role("heading", name="Reply to the client", level=1)).to_be_visible()
    page.get_by_label("Text of the reply").fill("We offer you three make-up sessions.")
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_role("heading", name="Preview of the e-mail")).to_be_visible()
    check()
    page.screenshot(path=str(ARTIFACTS / "english-reply-1280.png"), full_page=True)
    page.get_by_label("Text of the reply").fill("")
    page.get_by_role("button", name="Reply to the client", exact=True).click()
    expect(page.get_by_text("Type the text of the reply or attach the copy sent.")).to_be_visible()
    check()

    page.goto("/tri/")
    expect(page.get_by_role("heading", name="E-mail triage", level=1)).to_be_visible()
    page.get_by_role("link", name="Question about the March session").click()
    expect(page.get_by_role("heading", name="Register as a complaint")).to_be_visible()
    assert inbound.subject in page.title()
    check()
    page.screenshot(path=str(ARTIFACTS / "english-triage-1280.png"), full_page=True)

    page.goto("/journal/")
    expect(page.get_by_role("heading", name="Event journal", level=1)).to_be_visible()
    check()
    page.screenshot(path=str(ARTIFACTS / "english-journal-1280.png"), full_page=True)

    assert max(widths) <= 1280
    assert problems == []
    # The form posted wrong answers 400, which the browser logs: nothing else.
    assert [error for error in page.console_errors if "status of 400" not in error] == []
