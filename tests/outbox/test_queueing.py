"""Which workflow change queues which message, inside the change's own transaction."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.complaints.workflow import Action, WorkflowError
from reclamations.outbox.models import MessageKind, OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from tests.factories import make_complaint

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
CLIENT = "julie.martin@example.org"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _registered_event(complaint) -> ComplaintEvent:
    return complaint.events.get(event_type=EventType.REGISTERED)


def _queued(complaint) -> list[tuple[str, str]]:
    return list(complaint.outgoing_messages.order_by("id").values_list("kind", "to"))


@pytest.mark.parametrize("channel", ["email", "web", "api"])
def test_written_registration_queues_the_acknowledgement(organisation, referent, channel):
    complaint = make_complaint(organisation, referent, channel=channel)

    message = OutgoingMessage.objects.get()
    assert (message.kind, message.to, message.status, message.complaint) == (
        MessageKind.ACKNOWLEDGEMENT,
        CLIENT,
        OutgoingStatus.QUEUED,
        complaint,
    )
    assert message.subject == "Accusé de réception de votre réclamation [REC-2026-0001]"
    assert message.next_attempt_at == NOW
    assert message.attempts == 0
    assert message.message_id.endswith("@ccs-legal.fr>")
    assert message.message_id == message.message_id.lower()
    data = _registered_event(complaint).data
    assert data["email"] == f"accusé de réception en file d'envoi pour {CLIENT}"
    assert data["email_message_id"] == message.message_id


@pytest.mark.parametrize("channel", ["email", "web", "api"])
def test_written_registration_without_address_queues_nothing_and_says_so(
    organisation, referent, channel
):
    complaint = make_complaint(organisation, referent, channel=channel, client_email="")

    assert OutgoingMessage.objects.count() == 0
    assert _registered_event(complaint).data["email"] == "aucune adresse"


def test_letter_registration_waits_for_the_one_click_acknowledgement(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    assert OutgoingMessage.objects.count() == 0
    assert "email" not in _registered_event(complaint).data


def test_not_admissible_registration_is_not_acknowledged(organisation, referent):
    complaint = make_complaint(
        organisation, referent, kind="not_admissible", not_admissible_reason="Simple question."
    )

    assert complaint.status == Status.CLOSED
    assert OutgoingMessage.objects.count() == 0


def test_phone_registration_asks_for_written_confirmation_by_email(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone")

    assert _queued(complaint) == [(MessageKind.CONFIRMATION_REQUEST, CLIENT)]
    requested = complaint.events.get(event_type=EventType.CONFIRMATION_REQUESTED)
    assert requested.data["sent_via"] == "email"
    assert requested.data["email"] == (
        f"demande de confirmation écrite en file d'envoi pour {CLIENT}"
    )
    assert "email" not in _registered_event(complaint).data


def test_phone_registration_with_confirmation_by_letter_sends_nothing(organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=NewComplaint(
            channel="phone",
            received_at=NOW,
            client_name="Paul",
            client_email=CLIENT,
            confirmation_requested_via="letter",
        ),
    )

    assert _queued(complaint) == []
    requested = complaint.events.get(event_type=EventType.CONFIRMATION_REQUESTED)
    assert requested.data == {"sent_via": "letter"}


def test_phone_registration_without_address_says_so_on_the_request(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone", client_email="")

    requested = complaint.events.get(event_type=EventType.CONFIRMATION_REQUESTED)
    assert requested.data == {"sent_via": "email", "email": "aucune adresse"}


def test_acknowledgement_answers_the_message_that_opened_the_complaint(organisation):
    complaint = complaint_register(
        organisation=organisation,
        actor=None,
        complaint=NewComplaint(
            channel="email",
            received_at=NOW,
            client_name="Julie Martin",
            client_email=CLIENT,
            extra={"message_id": "<CAF00D@Mail.Example.org>"},
        ),
    )

    message = OutgoingMessage.objects.get()
    assert message.in_reply_to == "<caf00d@mail.example.org>"
    assert message.references == "<caf00d@mail.example.org>"
    assert _registered_event(complaint).data["message_id"] == "<CAF00D@Mail.Example.org>"


def test_later_messages_thread_with_the_original_and_our_previous_ones(organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=NewComplaint(
            channel="email",
            received_at=NOW,
            client_name="Julie Martin",
            client_email=CLIENT,
            description="Séances annulées.",
            client_account="CLI-1",
            extra={"message_id": "<first@client.example>"},
        ),
    )
    acknowledgement = OutgoingMessage.objects.get()

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Les dates.", "sent_via": "email"},
    )

    request = OutgoingMessage.objects.exclude(pk=acknowledgement.pk).get()
    assert request.in_reply_to == "<first@client.example>"
    assert request.references == f"<first@client.example> {acknowledgement.message_id}"


def test_request_information_by_email_queues_the_request(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Le numéro de session.", "sent_via": "email", "message": "Merci."},
    )

    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.INFORMATION_REQUEST
    assert "\n\nLe numéro de session.\n\nMerci.\n\n" in message.body_text
    assert event.data["email"] == f"demande d'informations en file d'envoi pour {CLIENT}"
    assert event.data["email_message_id"] == message.message_id


def test_request_information_by_letter_queues_nothing(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Le numéro de session.", "sent_via": "letter"},
    )

    assert OutgoingMessage.objects.count() == 0
    assert "email" not in event.data


def test_request_information_by_email_without_address_says_so(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Votre adresse.", "sent_via": "email"},
    )

    assert OutgoingMessage.objects.count() == 0
    assert event.data["email"] == "aucune adresse"


def _reply(complaint, actor, **data):
    values = {"text": "Madame, les séances sont reprogrammées.", "resolution": "Reprogrammées."}
    return complaint_apply(
        complaint=complaint, actor=actor, action="reply", data={**values, **data}
    )


def test_reply_by_email_queues_the_reply_with_the_recourse(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", funding="cpf")

    event = _reply(complaint, referent, channel="email", outcome="partly_granted")

    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.REPLY
    assert message.subject == "Réponse à votre réclamation [REC-2026-0001]"
    assert "\n\nMadame, les séances sont reprogrammées.\n\nSi cette réponse ne vous donne pas" in (
        message.body_text
    )
    assert event.data["email"] == f"réponse en file d'envoi pour {CLIENT}"
    assert event.data["announced_outcome"] == "partly_granted"
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED


def test_reply_announced_as_fully_granted_states_no_recourse(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", funding="cpf")

    _reply(complaint, referent, channel="email", outcome="granted")

    body = OutgoingMessage.objects.get().body_text
    assert "médiateur" not in body
    assert "Tribunal" not in body


def test_reply_by_letter_queues_nothing(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = _reply(complaint, referent, channel="letter")

    assert OutgoingMessage.objects.count() == 0
    assert "email" not in event.data


def test_reply_with_an_unknown_outcome_is_refused_and_nothing_changes(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    with pytest.raises(ValidationError) as raised:
        _reply(complaint, referent, channel="email", outcome="maybe")

    assert list(raised.value.message_dict) == ["outcome"]
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert OutgoingMessage.objects.count() == 0


def test_a_refused_action_queues_nothing(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    with pytest.raises(ValidationError):
        _reply(complaint, referent, channel="email", resolution="")

    assert OutgoingMessage.objects.count() == 0
    assert complaint.events.count() == 1


def test_one_click_acknowledgement_queues_it_and_keeps_the_status(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(complaint=complaint, actor=referent, action="send_acknowledgement")

    assert event.event_type == EventType.ACKNOWLEDGEMENT_QUEUED
    assert (event.status_before, event.status_after) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.ACKNOWLEDGEMENT
    assert event.data == {
        "email": f"accusé de réception en file d'envoi pour {CLIENT}",
        "email_message_id": message.message_id,
    }


def test_one_click_acknowledgement_without_address_is_refused(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    with pytest.raises(ValidationError) as raised:
        complaint_apply(complaint=complaint, actor=referent, action="send_acknowledgement")

    assert raised.value.message_dict == {
        "__all__": [
            "Aucune adresse e-mail n'est connue pour ce client : ajoutez-la avec « Modifier la "
            "fiche », puis recommencez."
        ]
    }
    assert complaint.events.count() == 1


def test_one_click_acknowledgement_is_refused_once_closed(organisation, referent):
    complaint = make_complaint(
        organisation, referent, kind="not_admissible", not_admissible_reason="Question."
    )

    with pytest.raises(WorkflowError):
        complaint_apply(complaint=complaint, actor=referent, action=Action.SEND_ACKNOWLEDGEMENT)


def test_progress_answer_carries_the_note(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_progress",
        data={"note": "Le formateur a été entendu."},
    )

    assert event.event_type == EventType.PROGRESS_QUEUED
    assert event.data["note"] == "Le formateur a été entendu."
    message = OutgoingMessage.objects.get()
    assert message.kind == MessageKind.PROGRESS
    assert "\n\nLe formateur a été entendu.\n\n" in message.body_text


def test_queue_adds_the_reference_to_a_subject_without_it(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    message = outbox_queue(
        organisation=organisation,
        complaint=complaint,
        kind="staff_notice",
        to="f.maltese@ccs-legal.fr",
        subject="Un message du client est arrivé",
        body_text="Voir le dossier.",
    )

    assert message.subject == "Un message du client est arrivé [REC-2026-0001]"
    assert message.body_text == "Voir le dossier.\n"
    # Staff messages are not part of the client's conversation.
    assert (message.in_reply_to, message.references) == ("", "")


def test_queue_without_complaint_for_staff_reminders(organisation):
    message = outbox_queue(
        organisation=organisation,
        complaint=None,
        kind="staff_digest",
        to=["f.maltese@ccs-legal.fr", "direction@ccs-legal.fr"],
        subject="Récapitulatif du jour",
        body_text="3 réclamations ouvertes.\r\n",
    )

    assert message.to == "f.maltese@ccs-legal.fr, direction@ccs-legal.fr"
    assert message.recipients == ["f.maltese@ccs-legal.fr", "direction@ccs-legal.fr"]
    assert message.subject == "Récapitulatif du jour"
    assert message.body_text == "3 réclamations ouvertes.\n"


def test_queue_refuses_an_invalid_address(organisation):
    with pytest.raises(ValidationError) as raised:
        outbox_queue(
            organisation=organisation,
            complaint=None,
            kind="staff_reminder",
            to="pas-une-adresse",
            subject="Rappel",
            body_text="x",
        )

    assert raised.value.message_dict == {
        "to": ["Adresse e-mail invalide : « pas-une-adresse ». Corrigez-la puis réessayez."]
    }


def test_queue_normalises_given_threading_headers(organisation):
    message = outbox_queue(
        organisation=organisation,
        complaint=None,
        kind="staff_notice",
        to="f.maltese@ccs-legal.fr",
        subject="Avis",
        body_text="x",
        in_reply_to=" <AbC@X.org> ",
        references="<One@X.org> <AbC@X.org>",
    )

    assert (message.in_reply_to, message.references) == (
        "<abc@x.org>",
        "<one@x.org> <abc@x.org>",
    )


def test_message_id_domain_falls_back_without_complaints_mailbox(organisation):
    organisation.complaints_email = ""
    organisation.save()

    message = outbox_queue(
        organisation=organisation,
        complaint=None,
        kind="staff_notice",
        to="a@example.org",
        subject="Avis",
        body_text="x",
    )

    assert message.message_id.endswith("@reclamations.local>")


def test_an_overlong_subject_is_shortened_but_keeps_the_reference(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    message = outbox_queue(
        organisation=organisation,
        complaint=complaint,
        kind="progress",
        to=CLIENT,
        subject="[REC-2026-0001] " + "Très long objet " * 30,
        body_text="x",
    )

    assert len(message.subject) == 300
    assert message.subject.endswith(" Très long o… [REC-2026-0001]")
    assert message.subject.startswith("Très long objet Très long objet")


def test_an_overlong_inbound_message_id_is_left_out_of_the_threading(organisation):
    overlong = "<" + "x" * 300 + "@client.example>"

    complaint = complaint_register(
        organisation=organisation,
        actor=None,
        complaint=NewComplaint(
            channel="email",
            received_at=NOW,
            client_name="Julie Martin",
            client_email=CLIENT,
            extra={"message_id": overlong},
        ),
    )

    message = complaint.outgoing_messages.get()
    assert (message.in_reply_to, message.references) == ("", "")
