"""Files sent with the reply or a request for information: attached to the e-mail, listed under
the printed letter, each kept in the complaint's documents with its SHA-256 in the event."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reclamations.complaints.apply import MAX_ENCLOSURES
from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Document
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage
from tests.factories import make_complaint
from tests.pdf_text import pdf_text
from tests.web.helpers import PDF

pytestmark = pytest.mark.usefixtures("clock")

REPLY = {
    "resolution": "Devis rectifié.",
    "outcome": "granted",
    "text": "Vous trouverez ci-joint le devis rectifié et l'avoir correspondant.",
}


def _pdf(name: str, extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def _reply(complaint, actor, enclosures, **data):
    return complaint_apply(
        complaint=complaint,
        actor=actor,
        action="reply",
        data={**REPLY, **data},
        enclosures=enclosures,
    )


def test_the_reply_email_carries_the_files_and_the_copy_keeps_them(
    organisation, referent, smtp_server
):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = _reply(
        complaint, referent, [_pdf("devis rectifié.pdf"), _pdf("avoir.pdf", b"%2")], channel="email"
    )
    deliver_due()

    enclosed = Document.objects.filter(complaint=complaint, role=DocumentRole.ENCLOSURE)
    assert sorted(enclosed.values_list("original_name", flat=True)) == [
        "avoir.pdf",
        "devis rectifié.pdf",
    ]
    names = [item["name"] for item in event.data["enclosures"]]
    assert names == ["devis rectifié.pdf", "avoir.pdf"]
    assert event.data["enclosures"][1]["sha256"] == hashlib.sha256(PDF + b"%2").hexdigest()
    (received,) = smtp_server.received
    parts = list(received.message.iter_attachments())
    assert [part.get_filename() for part in parts] == ["devis rectifié.pdf", "avoir.pdf"]
    assert parts[1].get_content() == PDF + b"%2"
    sent = complaint.events.get(event_type=EventType.MESSAGE_SENT)
    assert sent.document.file.read() == received.raw


def test_the_reply_letter_lists_the_files_to_put_in_the_envelope(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = _reply(complaint, referent, [_pdf("devis rectifié.pdf")], channel="letter")

    text = " ".join(pdf_text(event.document.file.read()).split())
    assert "P. J. : devis rectifié.pdf" in text
    assert OutgoingMessage.objects.count() == 0


def test_files_need_a_message_that_goes(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone")

    with pytest.raises(ValidationError) as refused:
        _reply(complaint, referent, [_pdf("devis.pdf")], channel="phone_confirmed")

    assert "Les pièces jointes partent avec la réponse écrite ici" in str(refused.value)
    assert Document.objects.filter(complaint=complaint).count() == 0


def test_too_many_files_are_refused_and_nothing_is_kept(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    files = [_pdf(f"piece-{number}.pdf") for number in range(MAX_ENCLOSURES + 1)]

    with pytest.raises(ValidationError) as refused:
        _reply(complaint, referent, files, channel="email")

    assert f"{MAX_ENCLOSURES + 1} fichiers choisis : {MAX_ENCLOSURES} au plus" in str(refused.value)
    assert Document.objects.filter(complaint=complaint).count() == 0
    assert OutgoingMessage.objects.count() == 0


def test_a_file_of_another_type_is_refused_by_its_content(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    script = SimpleUploadedFile("devis.pdf", b"#!/bin/sh\necho pwned\n")

    with pytest.raises(ValidationError) as refused:
        _reply(complaint, referent, [script], channel="email")

    assert "enclosures" in refused.value.message_dict


def test_an_action_whose_message_sends_no_file_refuses_them(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    with pytest.raises(ValidationError) as refused:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="add_note",
            data={"text": "Vu."},
            enclosures=[_pdf("devis.pdf")],
        )

    assert "n'envoie pas de pièce jointe" in str(refused.value)


def test_the_request_for_information_by_email_carries_the_form_to_fill(
    organisation, referent, smtp_server
):
    complaint = make_complaint(organisation, referent, channel="letter")

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Le formulaire signé.", "sent_via": "email"},
        enclosures=[_pdf("formulaire.pdf")],
    )
    deliver_due()

    (received,) = smtp_server.received
    assert [part.get_filename() for part in received.message.iter_attachments()] == [
        "formulaire.pdf"
    ]


def test_a_request_by_phone_sends_no_file(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    with pytest.raises(ValidationError) as refused:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="request_information",
            data={"missing": "Le formulaire signé.", "sent_via": "phone"},
            enclosures=[_pdf("formulaire.pdf")],
        )

    assert "enclosures" in refused.value.message_dict


def test_the_answer_on_progress_can_carry_a_file_by_email_or_by_post(
    organisation, referent, smtp_server
):
    complaint = make_complaint(organisation, referent, channel="letter")

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_progress",
        data={"channel": "email", "note": "Le planning provisoire est joint."},
        enclosures=[_pdf("planning.pdf")],
    )
    posted = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_progress",
        data={"channel": "letter"},
        enclosures=[_pdf("planning.pdf", b"%v2")],
    )
    deliver_due()

    (received,) = smtp_server.received
    assert [part.get_filename() for part in received.message.iter_attachments()] == ["planning.pdf"]
    assert "P. J. : planning.pdf" in " ".join(pdf_text(posted.document.file.read()).split())
