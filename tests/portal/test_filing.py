"""A complaint filed online: registered only once its author confirms their e-mail address
(received at that moment, written, acknowledged), with its files; robots and floods kept out
without any third-party service."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.enums import Channel, DocumentRole, EventType
from reclamations.complaints.models import Complaint
from reclamations.outbox.models import OutgoingMessage
from reclamations.portal.filing import form_stamp
from reclamations.portal.models import PendingComplaint
from tests.web.helpers import PDF, field_errors, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")

FORM = reverse("portal_file")
EMAIL = "amelie.laurent@example.org"


@pytest.fixture
def form(clock):
    """What the client sends, 30 seconds after the form was shown."""
    stamp = form_stamp(timezone.now())
    clock.shift(timedelta(seconds=30))
    return {
        "client_name": "Amélie Laurent",
        "email": EMAIL,
        "client_account": "CLI-0042",
        "training": "Anglais professionnel",
        "description": "La session du 3 mars a été annulée sans préavis.",
        "remedy_sought": "Une session de remplacement.",
        "website": "",
        "started": stamp,
    }


def _confirm_link(message: OutgoingMessage) -> str:
    (url,) = re.findall(r"https?://\S+/suivi/confirmer/[\w-]+/", message.body_text)
    return "/suivi/" + url.split("/suivi/", 1)[1]


def test_nothing_is_registered_until_the_address_is_confirmed(client, clock, organisation, form):
    sent = client.post(FORM, {**form, "files": [upload("annulation.pdf", PDF)]})

    assert "Un lien vient d'être envoyé à amelie.laurent@example.org" in text_of(sent)
    assert not Complaint.objects.exists()
    (confirmation,) = OutgoingMessage.objects.filter(kind="filing_confirm")
    assert confirmation.to == EMAIL
    path = _confirm_link(confirmation)
    assert client.get(path).status_code == 200  # a mail scanner: nothing registered
    assert not Complaint.objects.exists()

    clock.shift(timedelta(hours=2))
    registered = client.post(path)

    complaint = Complaint.objects.get()
    assert f"Sous la référence {complaint.reference}" in text_of(registered)
    assert complaint.channel == Channel.WEB
    assert complaint.received_at == timezone.now()  # received when the address was confirmed
    assert (complaint.client_name, complaint.client_email) == ("Amélie Laurent", EMAIL)
    assert complaint.description == "La session du 3 mars a été annulée sans préavis."
    registration = complaint.events.get(event_type=EventType.REGISTERED)
    assert registration.data["reception_witness"].startswith("formulaire en ligne")
    (attached,) = complaint.documents.filter(role=DocumentRole.ATTACHMENT)
    assert attached.original_name == "annulation.pdf" and attached.file.read() == PDF
    assert OutgoingMessage.objects.filter(kind="acknowledgement", to=EMAIL).exists()
    pending = PendingComplaint.objects.get()
    assert (pending.fields, pending.files, pending.reference) == ({}, [], complaint.reference)
    assert not default_storage.listdir("pending")[1]


def test_a_second_click_registers_nothing_more(client, organisation, form):
    client.post(FORM, form)
    path = _confirm_link(OutgoingMessage.objects.get(kind="filing_confirm"))

    client.post(path)
    again = client.post(path)

    assert Complaint.objects.count() == 1
    assert "Votre réclamation est enregistrée" in text_of(again)


def test_an_unconfirmed_complaint_expires_with_its_files(client, clock, organisation, form):
    client.post(FORM, {**form, "files": [upload("annulation.pdf", PDF)]})
    path = _confirm_link(OutgoingMessage.objects.get(kind="filing_confirm"))

    clock.shift(timedelta(hours=25))
    response = client.post(path)

    assert response.status_code == 410
    assert not Complaint.objects.exists()


def test_a_robot_that_fills_the_trap_or_answers_at_once_is_told_it_went(
    client, clock, organisation, form
):
    trapped = client.post(FORM, {**form, "website": "http://spam.example"})
    instant = client.post(FORM, {**form, "started": form_stamp(timezone.now())})
    forged = client.post(FORM, {**form, "started": "1700000000.0"})

    for response in (trapped, instant, forged):
        assert response.status_code == 200
        assert "Un lien vient d'être envoyé" in text_of(response)
    assert not PendingComplaint.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_filings_are_limited_per_address(client, organisation, form):
    for _ in range(5):
        client.post(FORM, form)

    refused = client.post(FORM, form)

    assert refused.status_code == 429
    assert PendingComplaint.objects.count() == 5


def test_a_form_error_keeps_what_was_typed(client, organisation, form):
    response = client.post(
        FORM, {**form, "description": "", "files": [upload("virus.pdf", b"MZ\x90\x00")]}
    )

    assert response.status_code == 400
    assert field_errors(response, "description") == ["Décrivez votre réclamation."]
    assert response.context["form"]["client_name"].value() == "Amélie Laurent"
    assert not PendingComplaint.objects.exists()


def test_the_form_says_how_personal_data_are_handled(client, organisation):
    page = text_of(client.get(FORM))

    assert "Vos données personnelles" in page
    assert "Qui les traite" in page and "Vos droits" in page
    assert "10 jours ouvrables" in page
