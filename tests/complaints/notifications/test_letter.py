"""A reply by post: the letter printed from the composer's text, kept as the copy of the reply,
saying what the email would say, with the recourse the client's case calls for."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reclamations.complaints.enums import DocumentRole, EventType, Status
from reclamations.complaints.models import Document
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.letter import client_letter
from reclamations.complaints.notifications.wording import render_client_message
from reclamations.complaints.services import WorkflowError, complaint_apply
from reclamations.letters.printing import MISSING_PANGO
from reclamations.outbox.models import OutgoingMessage
from tests.clock import at
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages, pdf_text
from tests.web.helpers import PDF

pytestmark = pytest.mark.usefixtures("clock")

TEXT = "Vos trois séances sont reprogrammées les 20, 21 et 22 mars, aux mêmes horaires."
MEDIATION = "vous pouvez recourir gratuitement au médiateur de la consommation"
COURT = "le Tribunal judiciaire de Grasse est seul compétent"


def _reply_by_letter(complaint, actor, **data):
    values = {"channel": "letter", "resolution": "Reprogrammées.", "text": TEXT, **data}
    return complaint_apply(complaint=complaint, actor=actor, action="reply", data=values)


def test_the_letter_is_printed_and_kept_as_the_copy_of_the_reply(organisation, referent):
    complaint = make_complaint(organisation, referent, funding="cpf")

    event = _reply_by_letter(complaint, referent, outcome="partly_granted")

    document = event.document
    assert document.role == DocumentRole.REPLY_COPY
    assert document.content_type == "application/pdf"
    assert document.original_name == "reponse-REC-2026-0001-2026-11-02.pdf"
    content = document.file.read()
    assert (
        hashlib.sha256(content).hexdigest() == document.sha256 == event.data["document"]["sha256"]
    )
    (page,) = pdf_pages(content)
    assert "JULIE MARTIN" not in page and "Julie Martin" in page
    assert [line for line in page if line in ("12 rue des Lilas", "06400 CANNES")] == [
        "12 rue des Lilas",
        "06400 CANNES",
    ]
    assert "Mouans-Sartoux, le 2 novembre 2026" in page
    assert "Réf. : REC-2026-0001" in page
    assert MEDIATION in " ".join(page)
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED
    assert not OutgoingMessage.objects.filter(kind=ClientMessage.REPLY).exists()


def test_the_letter_says_word_for_word_what_the_email_would_say(organisation, referent):
    complaint = make_complaint(organisation, referent, funding="cpf")

    event = _reply_by_letter(complaint, referent, outcome="rejected")

    extra = {"reply_text": TEXT, "outcome": "rejected"}
    email = render_client_message(complaint, ClientMessage.REPLY, extra).body
    # Read back, a line may break a link at its hyphen (pdftotext joins the halves without it).
    printed = "".join(pdf_text(event.document.file.read()).split()).replace("-", "")
    assert "".join(email.split()).replace("-", "") in printed
    assert (
        client_letter(complaint, ClientMessage.REPLY, dated=event.occurred_on, extra=extra).body
        == email
    )


@pytest.mark.parametrize(
    ("fields", "outcome", "mediation", "court"),
    [
        ({"client_type": "consumer"}, "partly_granted", True, False),
        ({"funding": "self_funded"}, "", True, False),
        ({"client_type": "professional"}, "rejected", False, True),
        ({"client_type": "consumer"}, "granted", False, False),
        ({"client_type": "professional"}, "granted", False, False),
    ],
)
def test_the_letter_states_the_recourse_of_the_case(
    organisation, referent, fields, outcome, mediation, court
):
    complaint = make_complaint(organisation, referent, **fields)

    event = _reply_by_letter(complaint, referent, outcome=outcome)

    text = " ".join(pdf_text(event.document.file.read()).split())
    assert (MEDIATION in text) is mediation
    assert (COURT in text) is court
    assert "règlement en ligne des litiges" not in text  # the EU platform closed in July 2025


def test_no_letter_without_a_postal_address_and_nothing_changes(organisation, referent):
    complaint = make_complaint(organisation, referent, client_address="")

    with pytest.raises(ValidationError) as raised:
        _reply_by_letter(complaint, referent)

    assert raised.value.message_dict["channel"] == [
        "Pour imprimer la lettre, il manque son adresse postale : complétez la fiche avec "
        "« Modifier la fiche »."
    ]
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert not Document.objects.filter(role=DocumentRole.REPLY_COPY).exists()


def test_why_no_letter_is_read_in_the_reader_s_language(organisation, referent):
    complaint = make_complaint(organisation, referent, client_address="")

    with pytest.raises(ValidationError) as raised:
        _reply_by_letter(complaint, referent)

    problem = raised.value.error_dict["channel"][0].message
    with translation.override("en"):
        assert str(problem) == (
            "To print the letter, the client's postal address is missing: complete the record "
            "with “Edit the record”."
        )
    with translation.override("fr"):
        assert str(problem).startswith("Pour imprimer la lettre, il manque son adresse postale")


def test_a_copy_given_is_the_copy_kept_and_no_letter_is_printed(organisation, referent):
    complaint = make_complaint(organisation, referent, client_address="")
    pdf_upload = SimpleUploadedFile("copie-envoyee.pdf", PDF, content_type="application/pdf")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={"channel": "letter", "resolution": "Reprogrammées.", "text": TEXT},
        document=pdf_upload,
    )

    assert event.document.original_name == "copie-envoyee.pdf"
    assert Document.objects.filter(complaint=complaint, role=DocumentRole.REPLY_COPY).count() == 1


def test_a_reply_by_letter_that_greets_itself_is_refused_like_an_email(organisation, referent):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(ValidationError) as raised:
        _reply_by_letter(complaint, referent, text=f"Chère Madame,\n\n{TEXT}")

    assert raised.value.message_dict["text"] == [
        "Le message commence déjà par « Bonjour Julie Martin, » : retirez « Chère Madame, » du "
        "début de votre texte."
    ]
    assert not complaint.events.filter(event_type=EventType.REPLIED).exists()


def test_a_server_without_pango_says_so_instead_of_failing(organisation, referent, monkeypatch):
    # Removing the system library is not possible here: its absence is simulated.
    monkeypatch.setattr(
        "reclamations.complaints.notifications.letter.printing_problem", lambda: MISSING_PANGO
    )
    complaint = make_complaint(organisation, referent)

    with pytest.raises(ValidationError) as raised:
        _reply_by_letter(complaint, referent)

    assert raised.value.message_dict["channel"] == [MISSING_PANGO]
    assert not complaint.documents.exists()


def test_the_acknowledgement_of_a_postal_complaint_goes_by_post_with_its_due_date(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )

    document = event.document
    assert (document.role, document.original_name) == (
        DocumentRole.SENT_LETTER,
        "accuse-de-reception-REC-2026-0001-2026-11-02.pdf",
    )
    text = " ".join(pdf_text(document.file.read()).split())
    assert "Nous vous répondrons au plus tard le samedi 14 novembre 2026." in text
    assert "Objet : Accusé de réception de votre réclamation" in text
    assert event.data["channel"] == "letter"
    assert not OutgoingMessage.objects.exists()


def test_no_acknowledgement_letter_without_a_postal_address(organisation, referent):
    complaint = make_complaint(organisation, referent, client_address="")

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="send_acknowledgement",
            data={"channel": "letter"},
        )

    assert raised.value.message_dict["channel"] == [
        "Pour imprimer la lettre, il manque son adresse postale : complétez la fiche avec "
        "« Modifier la fiche »."
    ]


def test_a_request_for_information_by_post_prints_what_is_missing(organisation, referent):
    complaint = make_complaint(
        organisation, referent, channel="letter", received_at=at(2026, 10, 28)
    )

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={
            "missing": "La date exacte des séances annulées.",
            "sent_via": "letter",
            "sent_on": "2026-10-30",
            "message": "Une copie de votre convocation nous aiderait.",
        },
    )

    assert event.document.role == DocumentRole.SENT_LETTER
    assert event.document.original_name == "demande-d-informations-REC-2026-0001-2026-10-30.pdf"
    text = " ".join(pdf_text(event.document.file.read()).split())
    assert "La date exacte des séances annulées." in text
    assert "Une copie de votre convocation nous aiderait." in text
    assert "Mouans-Sartoux, le 30 octobre 2026" in text
    assert (
        "Merci de nous les transmettre par e-mail à f.maltese@ccs-legal.fr ou par courrier à "
        "l'adresse ci-dessus, en rappelant la référence REC-2026-0001." in text
    )
    assert "répondant à ce message" not in text


def test_an_answer_on_progress_by_post_prints_the_note(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_progress",
        data={"channel": "letter", "note": "Le formateur a été entendu ce jour."},
    )

    assert event.document.role == DocumentRole.SENT_LETTER
    assert "Le formateur a été entendu ce jour." in pdf_text(event.document.file.read())
    assert not OutgoingMessage.objects.filter(kind=ClientMessage.PROGRESS).exists()


def test_a_letter_says_how_to_answer_by_post_where_the_email_says_reply(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )

    text = " ".join(pdf_text(event.document.file.read()).split())
    assert (
        "écrivez-nous par e-mail à f.maltese@ccs-legal.fr ou par courrier à l'adresse ci-dessus, "
        "en rappelant la référence REC-2026-0001." in text
    )
    assert "répondez simplement à ce message" not in text
    assert "Vous pouvez aussi la suivre en ligne sur http://127.0.0.1:8000/suivi/ avec cette " in (
        text
    )


@pytest.mark.parametrize("channel", ["email", "letter"])
def test_a_closed_complaint_gets_its_certificate_of_closure(organisation, referent, channel):
    complaint = make_complaint(organisation, referent, funding="cpf")
    _reply_by_letter(complaint, referent, outcome="granted")
    complaint_apply(
        complaint=complaint, actor=referent, action="close", data={"outcome": "granted"}
    )

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_closure_certificate",
        data={"channel": channel},
    )

    if channel == "email":
        message = OutgoingMessage.objects.get(kind=ClientMessage.CLOSURE)
        text = " ".join(message.body_text.split())
        assert message.subject == "Clôture de votre réclamation [REC-2026-0001]"
    else:
        assert event.document.original_name == (
            "attestation-de-cloture-REC-2026-0001-2026-11-02.pdf"
        )
        text = " ".join(pdf_text(event.document.file.read()).split())
    assert (
        "Nous attestons que votre réclamation REC-2026-0001, reçue le lundi 2 novembre 2026, a "
        "été traitée (notre réponse vous a été adressée le lundi 2 novembre 2026) et qu'elle "
        "est close depuis le lundi 2 novembre 2026 : fondée, satisfaite." in text
    )


def test_a_phone_complaint_registered_with_a_request_by_post_prints_it(organisation, referent):
    complaint = make_complaint(
        organisation, referent, channel="phone", confirmation_requested_via="letter"
    )

    requested = complaint.events.get(event_type=EventType.CONFIRMATION_REQUESTED)
    assert requested.document.role == DocumentRole.SENT_LETTER
    assert requested.data["document"]["sha256"] == requested.document.sha256
    text = " ".join(pdf_text(requested.document.file.read()).split())
    assert "réclamation par téléphone le lundi 2 novembre 2026." in text
    assert (
        "merci de nous la confirmer par écrit par e-mail à f.maltese@ccs-legal.fr ou par courrier "
        "à l'adresse ci-dessus, en rappelant la référence REC-2026-0001" in text
    )
    assert "Trois séances annulées sans préavis." in text  # what was noted during the call
    assert not OutgoingMessage.objects.exists()


def test_the_request_for_written_confirmation_can_be_sent_again_by_post(organisation, referent):
    complaint = make_complaint(
        organisation,
        referent,
        channel="phone",
        client_email="",
        client_address="",
        confirmation_requested_via="letter",
    )
    registered = complaint.events.get(event_type=EventType.CONFIRMATION_REQUESTED)
    assert registered.document is None
    assert registered.data["letter"].startswith("non imprimée. Pour imprimer la lettre")

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="update_details",
        data={"client_address": "12 rue des Lilas\n06400 Cannes"},
    )
    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_confirmation",
        data={"channel": "letter"},
    )

    assert event.data["sent_via"] == "letter"
    assert event.document.original_name.startswith("demande-de-confirmation-REC-2026-0001")
    complaint.refresh_from_db()
    assert complaint.status == Status.AWAITING_CONFIRMATION


def test_the_request_for_written_confirmation_by_email_reminds_the_client(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="phone")

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_confirmation",
        data={"channel": "email"},
    )

    sent = OutgoingMessage.objects.filter(kind=ClientMessage.CONFIRMATION_REQUEST)
    assert sent.count() == 2  # at registration, then again
    assert "en répondant à ce message, en conservant la référence REC-2026-0001" in (
        sent.last().body_text
    )
    assert event.document is None


def test_the_request_for_written_confirmation_is_only_for_a_call_not_yet_confirmed(
    organisation, referent
):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(WorkflowError, match="Demander la confirmation écrite"):
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="request_confirmation",
            data={"channel": "email"},
        )


def test_a_printed_letter_waits_to_be_posted_then_its_posting_is_recorded(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    printed = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )
    complaint.refresh_from_db()
    assert complaint.letters_to_post == 1
    assert printed.document.to_post

    posted = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_posting",
        data={"letter": str(printed.document.pk), "posted_on": "2026-11-02"},
    )

    assert posted.event_type == EventType.LETTER_POSTED
    assert posted.data["letter"] == {
        "id": printed.document.pk,
        **printed.data["document"],
    }
    complaint.refresh_from_db()
    assert complaint.letters_to_post == 0
    with pytest.raises(WorkflowError, match="Aucun courrier imprimé n'attend d'être posté"):
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="record_posting",
            data={"letter": str(printed.document.pk)},
        )


def test_a_reply_posted_by_registered_letter_can_then_have_its_receipt(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    reply = _reply_by_letter(complaint, referent, outcome="granted")

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_posting",
        data={"letter": str(reply.document.pk), "registered_number": "1A 234 567 8901 2"},
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_delivery",
        data={"delivered_on": "2026-11-02"},
    )

    complaint.refresh_from_db()
    assert complaint.reply_registered_number == "1A 234 567 8901 2"
    assert complaint.reply_delivered_on.isoformat() == "2026-11-02"


def test_a_letter_cannot_be_posted_before_it_was_printed_nor_a_file_staff_attached(
    organisation, referent
):
    complaint = make_complaint(
        organisation, referent, channel="letter", received_at=at(2026, 10, 28)
    )
    printed = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )
    attached = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={"role": "reply_copy"},
        document=SimpleUploadedFile("copie.pdf", PDF, content_type="application/pdf"),
    )

    with pytest.raises(ValidationError) as refused:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="record_posting",
            data={"letter": str(printed.document.pk), "posted_on": "2026-10-30"},
        )
    assert refused.value.message_dict["posted_on"] == [
        "Ce courrier a été imprimé le 02/11/2026 : il n'a pu être posté avant."
    ]
    with pytest.raises(ValidationError) as not_a_letter:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="record_posting",
            data={"letter": str(attached.document.pk)},
        )
    assert "letter" in not_a_letter.value.message_dict


def test_a_reply_by_email_and_letter_sends_one_and_prints_the_other_with_the_same_words(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", funding="cpf")

    event = _reply_by_letter(
        complaint,
        referent,
        channel="email_letter",
        outcome="rejected",
        registered_number="1A 234",
    )

    email = OutgoingMessage.objects.get(kind=ClientMessage.REPLY)
    assert TEXT in email.body_text and MEDIATION in email.body_text
    assert event.document.role == DocumentRole.REPLY_COPY and event.document.to_post
    printed = " ".join(pdf_text(event.document.file.read()).split())
    assert TEXT in printed and MEDIATION in printed
    complaint.refresh_from_db()
    assert (complaint.reply_channel, complaint.reply_registered_number) == (
        "email_letter",
        "1A 234",
    )


def test_a_reply_by_email_and_letter_needs_both_addresses(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    with pytest.raises(ValidationError) as refused:
        _reply_by_letter(complaint, referent, channel="email_letter")

    assert refused.value.message_dict["channel"][0].startswith(
        "Aucune adresse e-mail n'est connue pour ce client"
    )
