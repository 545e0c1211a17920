"""The client's pages speak French first and English on request (the browser's language or the
switch on every page); the staff pages stay in French whatever the browser asks for."""

from pathlib import Path

import pytest
from django.urls import reverse

from reclamations.complaints.client_access import issue_link
from tests.factories import make_complaint
from tests.web.helpers import text_of

pytestmark = [
    pytest.mark.usefixtures("clock"),
    pytest.mark.skipif(
        not Path("reclamations/locale/en/LC_MESSAGES/django.mo").exists(),
        reason="traductions non compilées (msgfmt : apt-get install gettext)",
    ),
]


def test_an_english_browser_gets_the_client_pages_in_english(client, organisation):
    page = client.get(reverse("portal_home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    text = text_of(page)
    assert '<html lang="en">' in page.content.decode()
    assert "How to make a complaint" in text
    assert "Time to reply: 10 working days (Monday to Saturday)." in text
    assert "Comment nous faire part" not in text


def test_a_french_browser_and_no_preference_get_french(client, organisation):
    for headers in ({"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}, {}):
        text = text_of(client.get(reverse("portal_home"), **headers))
        assert "Comment nous faire part d'une réclamation" in text


def test_the_switch_changes_the_language_and_keeps_the_page(client, organisation):
    lookup = reverse("portal_lookup")

    switched = client.post(reverse("set_language"), {"language": "en", "next": lookup})
    page = client.get(lookup)

    assert switched.status_code == 302 and switched["Location"] == lookup
    assert "Follow my complaint" in text_of(page)
    assert 'value="fr"' in page.content.decode()  # the switch back, in French


def test_the_complaint_page_in_english_with_dates_in_english(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]
    client.post(reverse("set_language"), {"language": "en", "next": "/suivi/"})
    client.post(f"/suivi/{path}")

    text = text_of(client.get(reverse("portal_complaint")))

    assert f"Your complaint {complaint.reference}" in text
    assert "Received on 2 November 2026" in text
    assert "Being handled" in text
    assert "Complaint received and registered" in text


def test_english_errors_on_the_client_form(client, organisation):
    response = client.post(
        reverse("portal_lookup"), {"reference": "", "email": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    text = text_of(response)
    assert "2 errors to correct" in text
    assert "Enter your complaint's reference." in text
    assert text.startswith("Error:") or "<title>Error:" in response.content.decode()


def test_the_staff_pages_stay_in_french_for_an_english_browser(referent_client):
    page = referent_client.get(reverse("register"), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="fr">' in page.content.decode()
    assert "Registre" in text_of(page)
