"""Which change of a complaint queues which message to the client, inside the change's own
transaction, threaded with the complaint's conversation."""

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.actions import Action
from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import ComplaintEvent, ComplaintMessage
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.sending import (
    MAX_REFERENCES,
    Thread,
    notify_staff,
    subject_with_reference,
    thread_of,
)
from reclamations.complaints.notifications.wording import template_spec
from reclamations.complaints.services import (
    NewComplaint,
    ReceivedEmail,
    complaint_apply,
    complaint_register,
)
from reclamations.complaints.workflow import WorkflowError
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import message_template_save
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")

CLIENT = "julie.martin@example.org"


def _registered_event(complaint) -> ComplaintEvent:
    return complaint.events.get(event_type=EventType.REGISTERED)


def _queued(complaint) -> list[tuple[str, str]]:
    return list(
        ComplaintMessage.objects.filter(complaint=complaint)
        .order_by("outgoing_id")
        .values_list("outgoing__kind", "outgoing__to")
    )


@pytest.mark.parametrize("channel", ["email", "web", "api"])
def test_written_registration_queues_the_acknowledgement(organisation, referent, channel):
    complaint = make_complaint(organisation, referent, channel=channel)

    message = OutgoingMessage.objects.get()
    assert (message.kind, message.to, message.status, message.complaint_link.complaint) == (
        ClientMessage.ACKNOWLEDGEMENT,
        CLIENT,
        OutgoingStatus.QUEUED,
        complaint,
    )
    assert message.complaint_link.to_client is True
    assert message.auto_submitted is False
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

    assert _queued(complaint) == [(ClientMessage.CONFIRMATION_REQUEST, CLIENT)]
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
    assert requested.data["sent_via"] == "letter"
    assert requested.data["letter"].startswith("non imprimée.")


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
            email=ReceivedEmail("<CAF00D@Mail.Example.org>", "Réclamation", CLIENT),
        ),
    )

    message = OutgoingMessage.objects.get()
    assert message.in_reply_to == "<caf00d@mail.example.org>"
    assert message.references == "<caf00d@mail.example.org>"
    assert _registered_event(complaint).data["message_id"] == "<CAF00D@Mail.Example.org>"


def test_later_messages_thread_with_the_original_and_our_previous_ones(organisation, referent):
    complaint = make_complaint(
        organisation,
        referent,
        received_at=NOW,
        client_email=CLIENT,
        email=ReceivedEmail("<first@client.example>", "Réclamation", CLIENT),
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
    assert message.kind == ClientMessage.INFORMATION_REQUEST
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
    assert message.kind == ClientMessage.REPLY
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
    assert not OutgoingMessage.objects.filter(kind=ClientMessage.REPLY).exists()


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
    assert message.kind == ClientMessage.ACKNOWLEDGEMENT
    assert event.data == {
        "channel": "email",
        "email": f"accusé de réception en file d'envoi pour {CLIENT}",
        "email_message_id": message.message_id,
    }


def test_one_click_acknowledgement_without_address_is_refused(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    with pytest.raises(ValidationError) as raised:
        complaint_apply(complaint=complaint, actor=referent, action="send_acknowledgement")

    assert raised.value.message_dict == {
        "channel": [
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
    assert message.kind == ClientMessage.PROGRESS
    assert "\n\nLe formateur a été entendu.\n\n" in message.body_text


def test_a_notice_to_staff_carries_the_reference_and_stays_out_of_the_thread(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")

    message = notify_staff(
        complaint,
        kind="staff_notice",
        to="f.maltese@ccs-legal.fr",
        subject="Un message du client est arrivé",
        body_text="Voir le dossier.",
    )

    assert message.subject == "Un message du client est arrivé [REC-2026-0001]"
    assert message.body_text == "Voir le dossier.\n"
    assert message.auto_submitted is True
    # Staff messages are not part of the client's conversation.
    assert (message.in_reply_to, message.references) == ("", "")
    assert (message.complaint_link.complaint, message.complaint_link.to_client) == (
        complaint,
        False,
    )
    assert thread_of(complaint).ids == ()


def test_an_overlong_subject_is_shortened_but_keeps_the_reference(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    subject = subject_with_reference("[REC-2026-0001] " + "Très long objet " * 30, complaint)

    assert len(subject) == 300
    assert subject.endswith(" Très long o… [REC-2026-0001]")
    assert subject.startswith("Très long objet Très long objet")


def test_a_subject_already_carrying_the_reference_is_kept(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    assert subject_with_reference("Re:  votre  dossier [REC-2026-0001]", complaint) == (
        "Re: votre dossier [REC-2026-0001]"
    )


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
            email=ReceivedEmail(overlong, "Réclamation", CLIENT),
        ),
    )

    message = OutgoingMessage.objects.get(complaint_link__complaint=complaint)
    assert (message.in_reply_to, message.references) == ("", "")


def test_a_long_thread_keeps_its_first_message_and_the_latest_ones(organisation, referent):
    thread = Thread(tuple(f"<{number}@x.org>" for number in range(30)), "")

    references = thread.references().split()

    assert len(references) == MAX_REFERENCES
    assert references[0] == "<0@x.org>"
    assert references[1:] == [f"<{number}@x.org>" for number in range(11, 30)]


def test_a_reply_by_email_that_greets_and_signs_itself_is_refused_and_nothing_changes(
    organisation, referent
):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(ValidationError) as raised:
        _reply(
            complaint,
            referent,
            channel="email",
            text="Bonjour,\n\nLes séances sont reprogrammées.\n\nCordialement,\nFanny Maltese",
        )

    assert raised.value.message_dict["text"] == [
        "Le message commence déjà par « Bonjour Julie Martin, » : retirez « Bonjour, » du "
        "début de votre texte.",
        "Le message se termine déjà par « Cordialement, » suivi de la signature : retirez "
        "« Cordialement, » et ce qui suit de la fin de votre texte.",
    ]
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert not OutgoingMessage.objects.filter(kind=ClientMessage.REPLY).exists()


def test_an_organisation_whose_wording_adds_no_sign_off_lets_the_referent_sign(
    organisation, referent, manager
):
    message_template_save(
        organisation=organisation,
        actor=manager,
        spec=template_spec(organisation, ClientMessage.REPLY),
        subject="Réponse [{{ reference }}]",
        body="{{ reply_text }}\n\n{{ recourse }}\n",
    )
    complaint = make_complaint(organisation, referent)

    _reply(complaint, referent, channel="email", text="Madame,\n\nC'est réglé.\n\nCordialement,")

    reply = OutgoingMessage.objects.get(kind=ClientMessage.REPLY)
    assert reply.body_text.startswith("Madame,\n\nC'est réglé.")


@pytest.mark.parametrize("missing", ["mediator_name", "mediator_website"])
def test_a_reply_owing_the_mediator_is_refused_while_the_settings_lack_it(
    organisation, referent, missing
):
    setattr(organisation, missing, "")
    organisation.save()
    complaint = make_complaint(organisation, referent, funding="cpf")

    with pytest.raises(ValidationError) as raised:
        _reply(complaint, referent, channel="email", outcome="partly_granted")

    label = {"mediator_name": "le nom du médiateur", "mediator_website": "son site internet"}
    assert raised.value.message_dict["outcome"] == [
        "Cette réponse doit indiquer au client le médiateur de la consommation, mais les "
        f"réglages n'en donnent pas {label[missing]} : un responsable doit les compléter "
        "(Réglages, rubrique Recours) avant qu'elle parte."
    ]
    assert not OutgoingMessage.objects.filter(kind=ClientMessage.REPLY).exists()


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [({"funding": "cpf"}, "granted"), ({"client_type": "professional"}, "rejected")],
)
def test_a_reply_that_owes_no_mediator_goes_without_one(organisation, referent, fields, outcome):
    organisation.mediator_name = organisation.mediator_website = ""
    organisation.save()
    complaint = make_complaint(organisation, referent, **fields)

    _reply(complaint, referent, channel="email", outcome=outcome)

    assert OutgoingMessage.objects.filter(kind=ClientMessage.REPLY).exists()
