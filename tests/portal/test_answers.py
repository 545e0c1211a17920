"""What the client does on their page: confirm a phone complaint in writing, answer a request
for information, ask where the complaint stands; each lands in the chronology and the referent
is told."""

import pytest
from django.urls import reverse

from reclamations.complaints.client_access import issue_link
from reclamations.complaints.enums import DocumentRole, EventType, Status
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.models import OutgoingMessage
from tests.factories import make_complaint
from tests.web.helpers import PDF, field_errors, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")

PAGE = reverse("portal_complaint")
MESSAGE = reverse("portal_message")
NEWS = reverse("portal_news")


def _opened(client, complaint):
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]
    client.post(f"/suivi/{path}")
    return client


def _notices():
    return list(OutgoingMessage.objects.filter(kind="staff_notice"))


def test_a_phone_complaint_confirmed_on_the_page_counts_as_its_written_confirmation(
    client, settings, organisation, referent
):
    organisation.phone_clock = "confirmation"
    organisation.save()
    complaint = make_complaint(organisation, referent, channel="phone", client_email="")
    assert complaint.status == Status.AWAITING_CONFIRMATION and complaint.due_date is None
    _opened(client, complaint)

    page = text_of(client.get(PAGE))
    sent = client.post(
        MESSAGE,
        {
            "text": "Je confirme : trois séances annulées sans préavis, je demande un rattrapage.",
            "files": [upload("planning.pdf", PDF)],
        },
        follow=True,
    )

    assert "Confirmer votre réclamation par écrit" in page
    assert "Merci : votre confirmation écrite est enregistrée." in text_of(sent)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.clock_started_on is not None and complaint.due_date is not None
    received, confirmed = complaint.events.order_by("sequence")[2:4]
    assert received.event_type == EventType.MESSAGE_RECEIVED
    assert received.data["via"] == "portal"
    assert received.data["files"][0]["name"] == "planning.pdf"
    assert (confirmed.event_type, confirmed.data["via"]) == (
        EventType.CONFIRMATION_RECEIVED,
        "portal",
    )
    assert complaint.documents.get().role == DocumentRole.CONFIRMATION
    (notice,) = _notices()
    assert "a confirmé sa réclamation par écrit sur son espace" in notice.body_text


def test_an_answer_to_a_request_for_information_reaches_the_referent(
    client, referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Les dates des séances.", "sent_via": "letter"},
    )
    _opened(client, complaint)

    page = text_of(client.get(PAGE))
    client.post(MESSAGE, {"text": "Les 3, 10 et 17 octobre."})

    assert "Nous vous avons demandé : Les dates des séances." in page
    received = complaint.events.get(event_type=EventType.MESSAGE_RECEIVED)
    assert received.data["awaited"] is True
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_INFORMATION  # the referent records it
    (notice,) = _notices()
    assert notice.to == organisation.referent_email
    assert "a répondu sur son espace à la demande d'informations" in notice.body_text
    assert "Les 3, 10 et 17 octobre." in notice.body_text
    staff_page = referent_client.get(reverse("complaint_detail", args=[complaint.reference]))
    assert "Les 3, 10 et 17 octobre." in text_of(staff_page)


def test_an_empty_message_or_a_file_of_another_type_is_refused_and_the_text_kept(
    client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="phone")
    _opened(client, complaint)

    empty = client.post(MESSAGE, {"text": ""})
    wrong = client.post(
        MESSAGE, {"text": "Voici.", "files": [upload("devis.pdf", b"MZ\x90\x00 not a pdf")]}
    )

    assert empty.status_code == 400
    assert field_errors(empty, "text") == ["Écrivez votre message."]
    assert wrong.status_code == 400
    assert "n'est pas un PDF, JPEG ou PNG valide" in field_errors(wrong, "files")[0]
    assert wrong.context["message_form"]["text"].value() == "Voici."
    assert not complaint.events.filter(event_type=EventType.MESSAGE_RECEIVED).exists()


def test_asking_where_it_stands_is_recorded_once_a_day_and_told_to_the_referent(
    client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")
    _opened(client, complaint)

    first = client.post(NEWS, {"question": "Quand aurai-je une réponse ?"}, follow=True)
    again = client.post(NEWS, {}, follow=True)

    assert "Votre demande est transmise" in text_of(first)
    assert "Votre demande est déjà enregistrée" in text_of(again)
    (asked,) = complaint.events.filter(event_type=EventType.PROGRESS_REQUESTED)
    assert asked.data == {"via": "portal", "question": "Quand aurai-je une réponse ?"}
    (notice,) = _notices()
    assert "Répondez avec « Informer le client de l'avancement »" in notice.body_text
    assert "Vous avez demandé où en est votre réclamation" in text_of(client.get(PAGE))


def test_nothing_is_accepted_without_an_opened_page(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone")

    message = client.post(MESSAGE, {"text": "Je confirme."})
    news = client.post(NEWS, {})

    assert message.status_code == news.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONFIRMATION
    assert not _notices()
