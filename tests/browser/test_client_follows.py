"""A client follows their complaint in a real browser: asks for a link, reads it in the e-mail
the SMTP server received, opens the page, sees where the complaint stands and downloads the
letter sent to them; at 375 px the page reads without scrolling sideways."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)


def test_lookup_then_link_from_the_email_then_the_page(
    page, live_server, settings, smtp_server, organisation, referent
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    complaint = make_complaint(organisation, referent, channel="letter")
    printed = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Les dates des séances annulées.", "sent_via": "letter"},
    )
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto("/suivi/")
    page.get_by_label("Référence de la réclamation").fill(complaint.reference)
    page.get_by_label("Votre adresse e-mail").fill("julie.martin@example.org")
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_role("heading", name="Consultez vos e-mails")).to_be_visible()

    deliver_due()
    (received,) = [r for r in smtp_server.received if "Suivre votre réclamation" in r.subject]
    (link,) = re.findall(r"http://\S+/suivi/acces/[\w-]+/", received.body)
    page.goto(link)
    page.get_by_role("button", name="Voir ma réclamation").click()

    expect(
        page.get_by_role("heading", name=f"Votre réclamation {complaint.reference}")
    ).to_be_visible()
    expect(page.get_by_text("En attente de vos informations")).to_be_visible()
    expect(page.get_by_text("Les dates des séances annulées.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as download:
        page.get_by_role("link", name=printed.document.original_name).click()
    assert open(download.value.path(), "rb").read() == printed.document.file.read()  # noqa: SIM115

    page.goto(link)  # used: it opens nothing any more
    expect(page.get_by_role("heading", name="Ce lien a déjà servi")).to_be_visible()
