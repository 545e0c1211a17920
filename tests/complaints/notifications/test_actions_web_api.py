"""The one-click messages (acknowledgement, progress) and the e-mailed reply, through the staff
pages and the REST API."""

import json

from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.outbox.models import OutgoingMessage
from tests.factories import make_complaint
from tests.web.helpers import text_of

CLIENT = "julie.martin@example.org"


def _action(complaint, action: str) -> str:
    return reverse("complaint_action", args=[complaint.reference, action])


def test_complaint_page_offers_the_acknowledgement_and_progress(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")

    page = referent_client.get(reverse("complaint_detail", args=[complaint.reference]))

    actions = dict(page.context["actions"])
    assert actions["send_acknowledgement"] == "Envoyer l'accusé de réception"
    assert actions["send_progress"] == "Informer le client de l'avancement"


def test_acknowledgement_page_previews_the_message_before_sending(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_client.get(_action(complaint, "send_acknowledgement"))

    assert response.status_code == 200
    page = text_of(response)
    assert f"À {CLIENT} Objet Accusé de réception de votre réclamation [{complaint.reference}]" in (
        page
    )
    assert f"Elle est enregistrée sous la référence {complaint.reference}." in page
    assert list(response.context["form"].fields) == ["channel"]
    assert response.context["form"]["channel"].initial == "email"
    assert OutgoingMessage.objects.count() == 0


def test_confirming_the_acknowledgement_queues_it(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_client.post(_action(complaint, "send_acknowledgement"), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"{complaint.reference} : accusé de réception en file d'envoi."
    ]
    message = OutgoingMessage.objects.get()
    assert (message.kind, message.to) == (ClientMessage.ACKNOWLEDGEMENT, CLIENT)
    assert complaint.events.last().event_type == EventType.ACKNOWLEDGEMENT_QUEUED


def test_acknowledgement_page_without_address_warns_and_refuses(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    page = text_of(referent_client.get(_action(complaint, "send_acknowledgement")))
    refused = referent_client.post(_action(complaint, "send_acknowledgement"))

    assert (
        "Aucune adresse e-mail n'est connue pour ce client : envoyez ce message par courrier"
        in page
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["channel"] == [
        "Aucune adresse e-mail n'est connue pour ce client : ajoutez-la avec « Modifier la "
        "fiche », puis recommencez."
    ]
    assert OutgoingMessage.objects.count() == 0


def test_progress_page_sends_the_note_typed(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    form = referent_client.get(_action(complaint, "send_progress")).context["form"]
    referent_client.post(_action(complaint, "send_progress"), {"note": "Formateur entendu."})

    assert list(form.fields) == ["channel", "note", "enclosures"]
    message = OutgoingMessage.objects.get()
    assert message.kind == ClientMessage.PROGRESS
    assert "\n\nFormateur entendu.\n\n" in message.body_text


def test_reply_form_asks_the_announced_outcome_and_passes_it_on(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", funding="opco")

    form = referent_client.get(_action(complaint, "reply")).context["form"]
    referent_client.post(
        _action(complaint, "reply"),
        {
            "replied_on": "",
            "channel": "email",
            "resolution": "Refus motivé.",
            "outcome": "rejected",
            "text": "Monsieur, nous ne pouvons donner suite.",
        },
    )

    assert list(form.fields) == [
        "replied_on",
        "channel",
        "registered_number",
        "resolution",
        "outcome",
        "text",
        "enclosures",
        "document",
    ]
    message = OutgoingMessage.objects.get()
    assert message.kind == ClientMessage.REPLY
    assert "Tribunal judiciaire de Grasse" in message.body_text
    assert complaint.events.last().data["announced_outcome"] == "rejected"


def test_api_applies_the_acknowledgement(referent_api, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    response = referent_api.post(
        f"/api/v1/complaints/{complaint.reference}/actions",
        json.dumps({"action": "send_acknowledgement"}),
        content_type="application/json",
    )

    assert response.status_code == 201
    event = response.json()["event"]
    assert (event["type"], event["label"]) == (
        "acknowledgement_queued",
        "Accusé de réception mis en envoi",
    )
    message = OutgoingMessage.objects.get()
    assert event["data"]["email_message_id"] == message.message_id


def test_api_refuses_the_acknowledgement_without_address(referent_api, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    response = referent_api.post(
        f"/api/v1/complaints/{complaint.reference}/actions",
        json.dumps({"action": "send_acknowledgement"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "channel": [
            "Aucune adresse e-mail n'est connue pour ce client : ajoutez-la avec « Modifier la "
            "fiche », puis recommencez."
        ]
    }
