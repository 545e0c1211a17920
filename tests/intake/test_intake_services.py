"""intake_process on the .eml corpus: every route, idempotence, evidence kept byte for byte."""

import hashlib
from datetime import UTC, date, datetime
from email.message import EmailMessage

import pytest

from reclamations.complaints.enums import Channel, DocumentRole, EventType, Status
from reclamations.complaints.models import (
    Complaint,
    ComplaintEvent,
    Document,
    ReferenceCounter,
)
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.sending import send_to_client
from reclamations.complaints.notifications.staff import STAFF_NOTICE
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.parsing import UnparseableMessage, parse_message
from reclamations.intake.services import DUPLICATE, intake_process
from reclamations.outbox.models import OutgoingMessage
from reclamations.reporting.integrity import verify_organisation
from tests.clock import PARIS, at

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]


def process(organisation, name: str, **kwargs):
    return intake_process(
        organisation=organisation,
        raw=eml(name),
        arrived_at=kwargs.pop("arrived_at", None),
        source=kwargs.pop("source", IntakeSource.EML),
        **kwargs,
    )


def arrival(name: str) -> datetime:
    """When the fixture says it reached the mailbox (its newest Received: header)."""
    arrived_at = parse_message(eml(name)).arrived_at
    assert arrived_at is not None
    return arrived_at


def read(field_file) -> bytes:
    with field_file.open("rb") as stream:
        return stream.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def start_counter_at(organisation, number: int) -> None:
    """The next complaint of 2026 gets `number`: the corpus answers REC-2026-0042."""
    ReferenceCounter.objects.create(organisation=organisation, year=2026, last_number=number - 1)


# --- new complaints ---------------------------------------------------------------------------


def test_complaint_created_from_plain_message_with_sender_and_body(organisation):
    raw = eml("plain-utf8-reclamation.eml")

    result = process(organisation, "plain-utf8-reclamation.eml")

    assert (result.outcome, result.reference) == (IntakeOutcome.CREATED, "REC-2026-0001")
    complaint = Complaint.objects.get(reference="REC-2026-0001")
    message = parse_message(raw)
    assert complaint.channel == Channel.EMAIL
    assert complaint.client_name == "Jeanne Dupont"
    assert complaint.client_email == "jeanne.dupont@example.fr"
    assert complaint.description == message.text.strip()
    arrived = arrival("plain-utf8-reclamation.eml").astimezone(PARIS)
    assert complaint.received_at == arrived
    assert complaint.status == Status.INCOMPLETE  # no client account in an e-mail
    # Registered the next day, with no reason to give: the moment is the message's own.
    assert complaint.backdating_reason == ""
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["reception_witness"] == "import d'un fichier .eml"


def test_raw_message_kept_unchanged_as_original_with_its_hash(organisation):
    raw = eml("plain-utf8-reclamation.eml")

    result = process(organisation, "plain-utf8-reclamation.eml")

    (document,) = Document.objects.filter(complaint__reference=result.reference)
    assert document.role == DocumentRole.ORIGINAL
    assert document.content_type == "message/rfc822"
    assert read(document.file) == raw
    assert (document.size, document.sha256) == (len(raw), sha256(raw))
    registered = ComplaintEvent.objects.get(
        complaint=document.complaint, event_type=EventType.REGISTERED
    )
    assert registered.document == document
    assert registered.data["message_id"] == "<caf=plain.0001@mail.example.fr>"
    assert registered.data["document"]["sha256"] == sha256(raw)
    assert registered.data["subject"] == "Réclamation formation Excel avancé"
    assert registered.data["sender"] == "Jeanne Dupont <jeanne.dupont@example.fr>"
    inbound = result.inbound
    assert (inbound.outcome, inbound.complaint, inbound.document) == (
        IntakeOutcome.CREATED,
        document.complaint,
        document,
    )
    assert (inbound.sha256, inbound.message_id) == (sha256(raw), registered.data["message_id"])
    assert verify_organisation(organisation).ok


def test_reception_is_the_mailbox_arrival_time_when_given(organisation):
    arrived = datetime(2026, 3, 24, 17, 5, tzinfo=UTC)

    result = process(organisation, "plain-utf8-reclamation.eml", arrived_at=arrived)

    complaint = Complaint.objects.get(reference=result.reference)
    assert complaint.received_at == arrived
    assert complaint.received_on == date(2026, 3, 24)
    assert complaint.backdating_reason == ""


def test_message_arrived_today_needs_no_backdating_reason(organisation):
    arrived = at(2026, 3, 25, 8)

    result = process(organisation, "plain-utf8-reclamation.eml", arrived_at=arrived)

    complaint = Complaint.objects.get(reference=result.reference)
    assert (complaint.received_at, complaint.backdating_reason) == (arrived, "")


def test_date_in_the_future_is_taken_as_now(organisation):
    result = process(
        organisation,
        "plain-utf8-reclamation.eml",
        arrived_at=at(2026, 3, 27, 8),
    )

    assert Complaint.objects.get(reference=result.reference).received_at == AFTER_THE_CORPUS


def test_latin1_8bit_message_registered_with_correct_accents(organisation):
    result = process(organisation, "iso-8859-1-8bit-reclamation.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    assert complaint.client_name == "Hélène Martin"
    assert complaint.description.startswith(
        "Bonjour,\n\nJe n'ai toujours pas reçu mon attestation de fin de formation"
    )
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["subject"] == "Réclamation : attestation de fin de formation non reçue"


def test_reply_to_wins_over_from_for_the_client(organisation):
    result = process(organisation, "reply-to-wins.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    message = parse_message(eml("reply-to-wins.eml"))
    assert (complaint.client_name, complaint.client_email) == (
        message.sender_name,
        message.sender_address,
    )
    assert complaint.client_email == "paul.durand@entreprise.example"


def test_pdf_attachment_kept_as_a_document_of_the_complaint(organisation):
    message = parse_message(eml("attachment-pdf.eml"))
    (attachment,) = message.attachments

    result = process(organisation, "attachment-pdf.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    kept = Document.objects.get(complaint=complaint, role=DocumentRole.ATTACHMENT)
    assert (kept.original_name, kept.content_type) == ("facture-2026-117.pdf", "application/pdf")
    assert read(kept.file) == attachment.payload
    assert kept.sha256 == attachment.sha256
    assert list(complaint.events.values_list("event_type", flat=True)) == [
        EventType.REGISTERED,
        EventType.DOCUMENT_ADDED,
    ]
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == ["facture-2026-117.pdf : conservée comme document"]


def test_attachments_of_other_types_stay_inside_the_raw_message(organisation):
    result = process(organisation, "rfc2231-filename.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    names = set(
        Document.objects.filter(complaint=complaint, role=DocumentRole.ATTACHMENT).values_list(
            "original_name", flat=True
        )
    )
    assert names == {"Relevé de présence \u2013 juin 2026.pdf", "photo de la salle.png"}
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        "Relevé de présence \u2013 juin 2026.pdf : conservée comme document",
        "résumé.txt : gardée dans le message d'origine "
        "(seuls PDF, JPEG et PNG sont conservés à part)",
        "photo de la salle.png : conservée comme document",
    ]
    original = Document.objects.get(complaint=complaint, role=DocumentRole.ORIGINAL)
    assert read(original.file) == eml("rfc2231-filename.eml")


def test_a_booby_trapped_attachment_stays_inside_the_raw_message_only(organisation):
    polyglot = b"%PDF-1.4\n1 0 obj << >> endobj\n<html><script>alert(1)</script></html>\n%%EOF\n"
    message = EmailMessage()
    message["From"] = "Julie Martin <julie.martin@example.org>"
    message["To"] = "reclamations@ccs.fr"
    message["Subject"] = "Réclamation : facture"
    message["Message-ID"] = "<piege@example.org>"
    message["Date"] = "Tue, 24 Mar 2026 09:00:00 +0100"
    message.set_content("Voici la facture.")
    message.add_attachment(polyglot, maintype="application", subtype="pdf", filename="facture.pdf")
    raw = message.as_bytes()

    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    complaint = Complaint.objects.get(reference=result.reference)
    assert not Document.objects.filter(complaint=complaint, role=DocumentRole.ATTACHMENT).exists()
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        "facture.pdf : gardée dans le message d'origine (fichier piégé : il contient du code)"
    ]
    original = Document.objects.get(complaint=complaint, role=DocumentRole.ORIGINAL)
    assert read(original.file) == raw


@pytest.mark.parametrize(
    "name",
    [
        "complaint-without-accent.eml",
        "complaint-subject-lowercase-accent.eml",
        "windows-1252-quotes.eml",
        "html-only-with-script-and-remote-image.eml",
        "missing-date.eml",
        "very-long-line.eml",
    ],
)
def test_complaint_subjects_of_the_corpus_create_complaints(organisation, name):
    result = process(organisation, name)

    assert (result.outcome, result.reference) == (IntakeOutcome.CREATED, "REC-2026-0001")


# --- replies ------------------------------------------------------------------------------------


def test_reply_with_reference_in_subject_appended_to_that_complaint(organisation):
    start_counter_at(organisation, 42)
    process(organisation, "plain-utf8-reclamation.eml")
    raw = eml("reply-with-reference-in-subject.eml")

    result = process(organisation, "reply-with-reference-in-subject.eml")

    assert (result.outcome, result.reference) == (IntakeOutcome.APPENDED, "REC-2026-0042")
    complaint = Complaint.objects.get(reference="REC-2026-0042")
    assert complaint.status == Status.INCOMPLETE  # unchanged
    event = complaint.events.get(event_type=EventType.MESSAGE_RECEIVED)
    assert event.actor is None
    assert (event.status_before, event.status_after) == (Status.INCOMPLETE, Status.INCOMPLETE)
    assert event.data["subject"] == "RE: Votre réclamation REC-2026-0042"
    assert event.data["sender"] == "Jeanne Dupont <jeanne.dupont@example.fr>"
    assert event.data["message_id"] == "<reply.0017@example.fr>"
    assert event.data["excerpt"].startswith(
        "Voici les informations demandées : session du 12 février, groupe B."
    )
    assert event.data["awaited"] is False
    assert event.data["document"]["sha256"] == sha256(raw)
    assert event.document.role == DocumentRole.RECEIVED_MESSAGE
    assert read(event.document.file) == raw
    assert result.inbound.complaint == complaint
    assert result.inbound.document == event.document
    assert not OutgoingMessage.objects.filter(kind=STAFF_NOTICE).exists()


def test_reply_threaded_by_references_only_appended(organisation):
    process(organisation, "plain-utf8-reclamation.eml")  # its Message-ID is in References

    result = process(organisation, "reply-in-reply-to-only.eml")

    assert (result.outcome, result.reference) == (IntakeOutcome.APPENDED, "REC-2026-0001")


def test_reply_to_one_of_our_sent_messages_appended(organisation, referent):
    complaint = Complaint.objects.get(
        reference=process(organisation, "plain-utf8-reclamation.eml").reference
    )
    send_to_client(
        complaint,
        ClientMessage.INFORMATION_REQUEST,
        extra={"missing_information": "Précisez la session, s'il vous plaît."},
    )
    sent = OutgoingMessage.objects.get(kind=ClientMessage.INFORMATION_REQUEST)
    raw = (
        "From: Jeanne Dupont <jeanne.dupont@example.fr>\r\n"
        "To: reclamations@ccs-legal.fr\r\n"
        "Subject: Re: Votre demande\r\n"
        "Message-ID: <answer.1@example.fr>\r\n"
        f"In-Reply-To: {sent.message_id}\r\n"
        "Date: Tue, 24 Mar 2026 10:00:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "La session du 12 février.\r\n"
    ).encode()

    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    assert (result.outcome, result.reference) == (IntakeOutcome.APPENDED, complaint.reference)


def test_our_own_message_coming_back_is_a_duplicate(organisation):
    complaint = Complaint.objects.get(
        reference=process(organisation, "plain-utf8-reclamation.eml").reference
    )
    send_to_client(complaint, ClientMessage.REPLY, extra={"reply_text": "Réponse."})
    sent = OutgoingMessage.objects.get(kind=ClientMessage.REPLY)
    raw = (
        "From: reclamations@ccs-legal.fr\r\n"
        f"Subject: Votre réclamation [{complaint.reference}]\r\n"
        f"Message-ID: {sent.message_id}\r\n"
        "\r\n"
        "Réponse.\r\n"
    ).encode()

    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    assert (result.outcome, result.reference) == (DUPLICATE, complaint.reference)
    assert not complaint.events.filter(event_type=EventType.MESSAGE_RECEIVED).exists()


def test_awaited_answer_flagged_and_referent_notified(organisation, referent):
    start_counter_at(organisation, 42)
    process(organisation, "plain-utf8-reclamation.eml")
    complaint = Complaint.objects.get(reference="REC-2026-0042")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "La session concernée.", "sent_via": "phone"},
    )
    assert complaint.status == Status.AWAITING_INFORMATION

    result = process(organisation, "reply-with-reference-in-subject.eml")

    complaint.refresh_from_db()
    assert (result.outcome, complaint.status) == (
        IntakeOutcome.APPENDED,
        Status.AWAITING_INFORMATION,
    )
    event = complaint.events.get(event_type=EventType.MESSAGE_RECEIVED)
    assert event.data["awaited"] is True
    (notice,) = OutgoingMessage.objects.filter(kind=STAFF_NOTICE)
    assert notice.to == organisation.referent_email
    assert (notice.complaint_link.complaint, notice.complaint_link.to_client) == (complaint, False)
    assert notice.auto_submitted is True
    assert notice.subject == "Message du client reçu [REC-2026-0042]"
    assert "qui attendait les informations complémentaires demandées" in notice.body_text
    assert "http://127.0.0.1:8000/reclamations/REC-2026-0042/" in notice.body_text


# --- not registered -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "auto-reply-auto-submitted.eml",
        "auto-reply-x-autoreply.eml",
        "out-of-office-precedence-bulk.eml",
        "bounce-dsn.eml",
        "mailing-list.eml",
    ],
)
def test_automatic_messages_recorded_as_ignored_never_answered(organisation, name):
    start_counter_at(organisation, 42)
    process(organisation, "plain-utf8-reclamation.eml")  # some of them quote REC-2026-0042
    events_before = ComplaintEvent.objects.count()
    sent_before = OutgoingMessage.objects.count()

    result = process(organisation, name)

    assert result.outcome == IntakeOutcome.AUTO_REPLY
    inbound = result.inbound
    assert (inbound.outcome, inbound.complaint) == (IntakeOutcome.AUTO_REPLY, None)
    auto_reason = parse_message(eml(name)).auto_reason
    assert inbound.reason == f"{auto_reason} : ignoré, aucune réponse envoyée"
    assert read(inbound.raw) == eml(name)
    assert ComplaintEvent.objects.count() == events_before
    assert OutgoingMessage.objects.count() == sent_before


def test_message_that_is_not_a_complaint_waits_in_triage(organisation):
    result = process(organisation, "not-a-complaint-question.eml")

    assert (result.outcome, result.reference) == (IntakeOutcome.TRIAGE, None)
    inbound = InboundEmail.objects.get()
    assert inbound.outcome == IntakeOutcome.TRIAGE
    assert inbound.subject == "Dates de la prochaine session ?"
    assert (inbound.sender_name, inbound.sender_address) == (
        "Julie Blanc",
        "julie.blanc@example.fr",
    )
    assert inbound.excerpt.startswith("Bonjour, quelles sont les dates de la prochaine session")
    assert inbound.received_at == arrival("not-a-complaint-question.eml")
    assert read(inbound.raw) == eml("not-a-complaint-question.eml")
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("name", ["garbage.bin.eml", "empty.eml"])
def test_unparseable_message_quarantined_with_raw_bytes_kept(organisation, name):
    raw = eml(name)
    with pytest.raises(UnparseableMessage) as parsing_error:
        parse_message(raw)

    result = process(organisation, name)

    assert (result.outcome, result.reason) == (IntakeOutcome.QUARANTINED, str(parsing_error.value))
    inbound = InboundEmail.objects.get()
    assert (inbound.outcome, inbound.message_id, inbound.sha256, inbound.size) == (
        IntakeOutcome.QUARANTINED,
        None,
        sha256(raw),
        len(raw),
    )
    assert read(inbound.raw) == raw
    assert inbound.received_at == AFTER_THE_CORPUS


# --- idempotence --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("plain-utf8-reclamation.eml", IntakeOutcome.CREATED),
        ("missing-message-id.eml", IntakeOutcome.CREATED),
        ("not-a-complaint-question.eml", IntakeOutcome.TRIAGE),
        ("auto-reply-x-autoreply.eml", IntakeOutcome.AUTO_REPLY),
        ("garbage.bin.eml", IntakeOutcome.QUARANTINED),
    ],
)
def test_same_message_processed_twice_is_a_duplicate_the_second_time(organisation, name, first):
    assert process(organisation, name).outcome == first
    counts = (
        InboundEmail.objects.count(),
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        Document.objects.count(),
    )

    again = process(organisation, name, source=IntakeSource.IMAP)

    assert again.outcome == DUPLICATE
    assert again.inbound is None
    assert counts == (
        InboundEmail.objects.count(),
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        Document.objects.count(),
    )


def test_duplicate_of_an_appended_reply_names_its_complaint(organisation):
    process(organisation, "plain-utf8-reclamation.eml")
    process(organisation, "reply-in-reply-to-only.eml")

    again = process(organisation, "reply-in-reply-to-only.eml")

    assert (again.outcome, again.reference) == (DUPLICATE, "REC-2026-0001")
    complaint = Complaint.objects.get(reference="REC-2026-0001")
    assert complaint.events.filter(event_type=EventType.MESSAGE_RECEIVED).count() == 1


def test_message_without_message_id_recognised_by_its_hash(organisation):
    process(organisation, "missing-message-id.eml")
    inbound = InboundEmail.objects.get()
    assert (inbound.message_id, inbound.sha256) == (
        None,
        sha256(eml("missing-message-id.eml")),
    )

    assert process(organisation, "missing-message-id.eml").outcome == DUPLICATE


def test_same_message_in_two_organisations_registered_in_each(organisation, other_organisation):
    first = process(organisation, "plain-utf8-reclamation.eml")
    second = process(other_organisation, "plain-utf8-reclamation.eml")

    assert (first.reference, second.reference) == ("REC-2026-0001", "AUT-2026-0001")


def test_mailbox_position_recorded_for_imap_messages(organisation):
    result = process(
        organisation,
        "not-a-complaint-question.eml",
        source=IntakeSource.IMAP,
        mailbox_uid=17,
        mailbox_uidvalidity=1795617380,
    )

    inbound = InboundEmail.objects.get(pk=result.inbound.pk)
    assert (inbound.source, inbound.mailbox_uid, inbound.mailbox_uidvalidity) == (
        IntakeSource.IMAP,
        17,
        1795617380,
    )


def test_message_with_an_overlong_message_id_recognised_by_its_hash(organisation):
    raw = (
        "From: Client <client@example.fr>\r\n"
        "Subject: Réclamation\r\n"
        f"Message-ID: <{'x' * 600}@example.fr>\r\n"
        "\r\n"
        "Texte.\r\n"
    ).encode()

    first = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )
    again = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    assert (first.outcome, again.outcome) == (IntakeOutcome.CREATED, DUPLICATE)
    assert InboundEmail.objects.get().message_id is None


def test_overlong_sender_fields_are_cut_to_fit_the_register(organisation):
    long_name = "N" * 300
    long_address = "a" * 250 + "@example.fr"
    raw = (
        f"From: {long_name} <{long_address}>\r\n"
        f"Subject: Réclamation {'s' * 600}\r\n"
        "Message-ID: <long-fields@example.fr>\r\n"
        "\r\n"
        "Texte.\r\n"
    ).encode()

    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    complaint = Complaint.objects.get(reference=result.reference)
    assert (complaint.client_name, complaint.client_email) == ("N" * 200, "")
    inbound = InboundEmail.objects.get()
    assert (len(inbound.subject), inbound.sender_address) == (500, long_address)


def test_another_message_reusing_a_message_id_is_kept_and_registered(organisation):
    """Mailers and forwarders reuse Message-IDs: only the same message is a duplicate."""
    first = process(organisation, "plain-utf8-reclamation.eml")

    other = process(organisation, "message-id-reused-by-another-message.eml")

    assert (first.outcome, other.outcome) == (IntakeOutcome.CREATED, IntakeOutcome.CREATED)
    assert first.reference != other.reference
    complaint = Complaint.objects.get(reference=other.reference)
    assert complaint.client_email == "paul.martin@example.org"
    assert "Ma facture de février compte deux fois" in complaint.description
    kept = InboundEmail.objects.get(complaint=complaint)
    assert read(kept.document.file) == eml("message-id-reused-by-another-message.eml")
    assert "déjà porté par un autre message reçu" in kept.reason


def test_the_same_message_delivered_again_with_other_headers_is_a_duplicate(organisation):
    process(organisation, "plain-utf8-reclamation.eml")

    again = process(organisation, "plain-utf8-reclamation-delivered-again.eml")

    assert again.outcome == DUPLICATE
    assert Complaint.objects.count() == 1


def test_a_delivery_report_about_our_acknowledgement_fails_it_and_tells_the_referent(
    organisation,
):
    """The client did not get the acknowledgement: the complaint says so, the referent knows."""
    created = process(organisation, "plain-utf8-reclamation.eml")
    complaint = Complaint.objects.get(reference=created.reference)
    acknowledgement = OutgoingMessage.objects.get(kind=ClientMessage.ACKNOWLEDGEMENT)
    report = eml("bounce-dsn.eml").replace(
        b"<rec-2026-0042.ack@ccs-legal.fr>", acknowledgement.message_id.encode()
    )

    result = intake_process(
        organisation=organisation, raw=report, arrived_at=None, source=IntakeSource.EML
    )

    assert result.outcome == IntakeOutcome.AUTO_REPLY
    acknowledgement.refresh_from_db()
    assert acknowledgement.status == "failed"
    assert acknowledgement.last_error == ("Avis de non-remise reçu (inconnu@example.fr : 5.1.1).")
    failed = complaint.events.get(event_type=EventType.MESSAGE_FAILED)
    assert failed.data["error"] == acknowledgement.last_error
    (notice,) = OutgoingMessage.objects.filter(kind=STAFF_NOTICE)
    assert notice.subject.startswith("E-mail non remis au client")
    assert "le délai de réponse court toujours" in notice.body_text
    inbound = InboundEmail.objects.get(outcome=IntakeOutcome.AUTO_REPLY)
    assert inbound.complaint == complaint
    assert inbound.reason.startswith("avis de non-remise du message")


def test_a_delivery_report_about_no_message_of_ours_is_only_ignored(organisation):
    result = process(organisation, "bounce-dsn.eml")

    assert result.outcome == IntakeOutcome.AUTO_REPLY
    assert not OutgoingMessage.objects.exists()


@pytest.mark.parametrize(
    ("name", "client", "address", "received", "says"),
    [
        (
            "forward-outlook-fr-inline.eml",
            "Julie Martin",
            "julie.martin@example.org",
            datetime(2026, 3, 5, 17, 42, tzinfo=UTC),  # 18:42 in Paris
            "La formation Excel du 2 mars a été annulée sans préavis.",
        ),
        (
            "forward-gmail-en-inline.eml",
            "John Smith",
            "john.smith@example.co.uk",
            datetime(2026, 3, 6, 15, 5, tzinfo=UTC),  # 4:05 PM in Paris
            "The invoice counts the session twice.",
        ),
        (
            "forward-apple-mail-fr.eml",
            "Louis Girard",
            "louis.girard@example.fr",
            datetime(2026, 3, 4, 19, 10, tzinfo=UTC),  # 20:10 in Paris
            "Le planning de la session d'avril change sans cesse.",
        ),
        (
            "forward-attached-message.eml",
            "Anne Bernard",
            "anne.bernard@example.fr",
            datetime(2026, 3, 3, 7, 30, tzinfo=UTC),
            "Je n'ai jamais reçu mon attestation de formation.",
        ),
    ],
)
def test_a_forwarded_complaint_is_the_clients_received_when_they_wrote(
    organisation, name, client, address, received, says
):
    result = process(organisation, name)

    assert result.outcome == IntakeOutcome.CREATED
    complaint = Complaint.objects.get(reference=result.reference)
    assert (complaint.client_name, complaint.client_email) == (client, address)
    assert complaint.received_at == received
    assert says in complaint.description
    registration = complaint.events.get(event_type=EventType.REGISTERED)
    assert registration.data["reception_witness"].startswith("e-mail du client transféré par ")
    original = complaint.documents.get(role=DocumentRole.ORIGINAL)
    assert read(original.file) == eml(name)  # the forward kept whole, the original inside


def test_a_client_who_attaches_an_email_to_their_complaint_stays_the_client(organisation):
    raw = eml("forward-attached-message.eml").replace(
        b"Subject: =?utf-8?Q?TR=3A_R=C3=A9clamation_de_Mme_Bernard?=",
        b"Subject: =?utf-8?Q?R=C3=A9clamation_de_Mme_Bernard?=",
    )

    result = intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )

    complaint = Complaint.objects.get(reference=result.reference)
    assert complaint.client_email == "f.maltese@ccs-legal.fr"
