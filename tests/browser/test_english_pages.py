"""An English-speaking referent in a real browser: the register and a complaint's page in
English, read at 1280 px without sideways scrolling nor a serious accessibility violation
(issue 12)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from reclamations.complaints.services import complaint_apply
from tests.browser.test_accessibility import AXE, _serious_violations
from tests.browser.test_security_journal import _as
from tests.factories import make_complaint
from tests.web.test_english import ENGLISH_ACTIONS, ENGLISH_COMPLAINT

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
