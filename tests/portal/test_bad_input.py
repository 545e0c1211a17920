"""The client's forms never give a 500 for a NUL (which PostgreSQL refuses in text): it is
refused next to its field, in the client's language, and what was typed is kept."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.client_access import issue_link
from reclamations.complaints.enums import EventType
from reclamations.outbox.models import OutgoingMessage
from reclamations.portal.filing import form_stamp
from reclamations.portal.models import PendingComplaint
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")

NUL_REFUSED = "Le caractère nul n\u2019est pas autorisé."  # Django's own, in French


def test_a_lookup_with_a_nul_is_refused_and_sends_nothing(client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = client.post(
        reverse("portal_lookup"),
        {"reference": f"{complaint.reference}\x00", "email": "julie.martin@example.org\x00"},
    )

    assert response.status_code in (200, 400)
    errors = response.context["form"].errors
    assert {name: list(messages) for name, messages in errors.items()} == {
        "reference": [NUL_REFUSED],
        "email": [
            "Adresse e-mail invalide : vérifiez-la (par exemple nom@exemple.fr).",
            NUL_REFUSED,
        ],
    }
    assert not OutgoingMessage.objects.filter(kind="client_link").exists()


def test_a_message_with_a_nul_is_refused_and_its_text_kept(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]
    client.post(f"/suivi/{path}")

    response = client.post(reverse("portal_message"), {"text": "Voici\x00 ma confirmation."})

    assert response.status_code == 400
    form = response.context["message_form"]
    assert form.errors["text"] == [NUL_REFUSED]
    assert form["text"].value() == "Voici\x00 ma confirmation."
    assert not complaint.events.filter(event_type=EventType.MESSAGE_RECEIVED).exists()


def test_an_online_filing_with_a_nul_is_refused_and_the_form_kept(client, clock, organisation):
    stamp = form_stamp(timezone.now())
    clock.shift(30)
    response = client.post(
        reverse("portal_file"),
        {
            "client_name": "Amélie Laurent",
            "email": "amelie.laurent@example.org",
            "description": "La session a été annulée\x00.",
            "website": "",
            "started": stamp,
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["description"] == [NUL_REFUSED]
    assert form["client_name"].value() == "Amélie Laurent"
    assert not PendingComplaint.objects.exists()
