"""Queueing a message: the outbox checks, normalises and stores it; it knows nothing of what the
message is about."""

import pytest
from django.core.exceptions import ValidationError

from reclamations.outbox.models import OutgoingStatus
from reclamations.outbox.services import outbox_queue


def test_queue_stores_the_message_ready_to_send(organisation):
    message = outbox_queue(
        organisation=organisation,
        kind="staff_digest",
        to=["f.maltese@ccs-legal.fr", "direction@ccs-legal.fr"],
        subject="Récapitulatif  du jour",
        body_text="3 réclamations ouvertes.\r\n",
        auto_submitted=True,
    )

    assert message.to == "f.maltese@ccs-legal.fr, direction@ccs-legal.fr"
    assert message.recipients == ["f.maltese@ccs-legal.fr", "direction@ccs-legal.fr"]
    assert message.subject == "Récapitulatif du jour"
    assert message.body_text == "3 réclamations ouvertes.\n"
    assert (message.status, message.attempts, message.auto_submitted) == (
        OutgoingStatus.QUEUED,
        0,
        True,
    )
    assert message.message_id.endswith("@ccs-legal.fr>")
    assert message.message_id == message.message_id.lower()


def test_queue_refuses_an_invalid_address(organisation):
    with pytest.raises(ValidationError) as raised:
        outbox_queue(
            organisation=organisation,
            kind="staff_reminder",
            to="pas-une-adresse",
            subject="Rappel",
            body_text="x",
        )

    assert raised.value.message_dict == {
        "to": ["Adresse e-mail invalide : « pas-une-adresse ». Corrigez-la puis réessayez."]
    }


def test_queue_refuses_no_recipient(organisation):
    with pytest.raises(ValidationError) as raised:
        outbox_queue(organisation=organisation, kind="x", to=" , ", subject="s", body_text="b")

    assert raised.value.message_dict == {
        "to": ["Aucun destinataire : indiquez au moins une adresse."]
    }


def test_queue_normalises_given_threading_headers(organisation):
    message = outbox_queue(
        organisation=organisation,
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


def test_an_answer_without_references_refers_to_what_it_answers(organisation):
    message = outbox_queue(
        organisation=organisation,
        kind="reply",
        to="julie.martin@example.org",
        subject="Réponse",
        body_text="x",
        in_reply_to="<First@Client.example>",
    )

    assert (message.in_reply_to, message.references) == (
        "<first@client.example>",
        "<first@client.example>",
    )


def test_threading_ids_too_long_for_a_header_are_left_out(organisation):
    overlong = "<" + "x" * 300 + "@client.example>"

    message = outbox_queue(
        organisation=organisation,
        kind="reply",
        to="julie.martin@example.org",
        subject="Réponse",
        body_text="x",
        in_reply_to=overlong,
        references=f"<a@x.org> {overlong}",
    )

    assert (message.in_reply_to, message.references) == ("", "<a@x.org>")


def test_message_id_domain_falls_back_without_complaints_mailbox(organisation):
    organisation.complaints_email = ""
    organisation.save()

    message = outbox_queue(
        organisation=organisation,
        kind="staff_notice",
        to="a@example.org",
        subject="Avis",
        body_text="x",
    )

    assert message.message_id.endswith("@reclamations.local>")


def test_an_overlong_subject_is_shortened_to_fit(organisation):
    message = outbox_queue(
        organisation=organisation,
        kind="staff_notice",
        to="a@example.org",
        subject="Très long objet " * 30,
        body_text="x",
    )

    assert len(message.subject) == 300
    assert message.subject.endswith("…")
