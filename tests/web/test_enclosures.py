"""The composer's files: chosen with the reply, named in its preview, sent with it."""

import pytest
from django.urls import reverse

from reclamations.complaints.enums import DocumentRole
from reclamations.complaints.models import Document
from reclamations.outbox.models import OutgoingMessage
from tests.factories import make_complaint
from tests.web.helpers import PDF, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")

REPLY = {
    "replied_on": "2026-11-02",
    "channel": "email",
    "resolution": "Devis rectifié.",
    "outcome": "granted",
    "text": "Vous trouverez ci-joint le devis rectifié.",
}


def _url(complaint) -> str:
    return reverse("complaint_action", args=[complaint.reference, "reply"])


def test_the_reply_form_takes_several_files(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    page = referent_client.get(_url(complaint)).content.decode()

    assert 'name="enclosures"' in page
    assert "multiple" in page.split('name="enclosures"')[1].split(">")[0]


def test_the_files_chosen_go_with_the_reply(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_client.post(
        _url(complaint),
        {**REPLY, "enclosures": [upload("devis.pdf", PDF), upload("avoir.pdf", PDF + b"%2")]},
    )

    assert response.status_code == 302
    reply = OutgoingMessage.objects.get(kind="reply")
    assert list(reply.attachments.values_list("filename", flat=True)) == ["devis.pdf", "avoir.pdf"]
    assert Document.objects.filter(role=DocumentRole.ENCLOSURE).count() == 2


def test_the_preview_names_the_files_and_asks_to_choose_them_again(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_client.post(
        _url(complaint),
        {**REPLY, "preview": "email", "enclosures": [upload("devis.pdf", PDF)]},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "Pièces jointes devis.pdf" in page
    assert "Le fichier « devis.pdf » n'a pas été conservé : choisissez-le à nouveau" in page
    assert OutgoingMessage.objects.filter(kind="reply").count() == 0
    assert Document.objects.filter(role=DocumentRole.ENCLOSURE).count() == 0


def test_a_refused_file_is_said_next_to_the_field(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_client.post(
        _url(complaint),
        {**REPLY, "channel": "phone_confirmed", "enclosures": [upload("devis.pdf", PDF)]},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["enclosures"]
    assert errors[0].startswith("Les pièces jointes partent avec la réponse écrite ici")
    assert Document.objects.count() == 0
