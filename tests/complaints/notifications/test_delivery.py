"""What the complaint domain records when the outbox delivers its messages to a real SMTP server
(aiosmtpd): the copy sent, byte for byte, or the failure, in the complaint's chronology."""

import hashlib
from datetime import timedelta

from django.utils import timezone

from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import ComplaintMessage
from reclamations.complaints.notifications.sending import notify_staff
from reclamations.complaints.services import (
    NewComplaint,
    ReceivedEmail,
    complaint_apply,
    complaint_register,
)
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from reclamations.reporting.integrity import verify_all
from tests.factories import make_complaint
from tests.harness.network import free_port

CLIENT = "julie.martin@example.org"


def _reply(complaint, actor, **data):
    values = {
        "text": "Madame, les trois séances seront reprogrammées en mars.",
        "resolution": "Séances reprogrammées.",
        "channel": "email",
    }
    complaint_apply(complaint=complaint, actor=actor, action="reply", data={**values, **data})


def _unreachable_server(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()


def test_acknowledgement_reaches_the_server_with_reference_and_threading(smtp_server, organisation):
    complaint = complaint_register(
        organisation=organisation,
        actor=None,
        complaint=NewComplaint(
            channel="email",
            received_at=timezone.now(),
            client_name="Julie Martin",
            client_email=CLIENT,
            email=ReceivedEmail("<Original@Client.Example>", "Réclamation", CLIENT),
        ),
    )
    queued = OutgoingMessage.objects.get()

    report = deliver_due()

    assert report.summary() == "1 envoyé(s), 0 à réessayer, 0 en échec"
    (received,) = smtp_server.received
    message = received.message
    assert received.mail_from == "f.maltese@ccs-legal.fr"
    assert received.rcpt_tos == (CLIENT,)
    assert received.subject == f"Accusé de réception de votre réclamation [{complaint.reference}]"
    assert message["Message-ID"] == queued.message_id
    assert message["In-Reply-To"] == "<original@client.example>"
    assert message["References"] == "<original@client.example>"
    assert message["Auto-Submitted"] is None
    assert f"sous la référence {complaint.reference}." in received.body
    assert "Nous vous répondrons au plus tard le " in received.body


def test_sent_copy_is_stored_byte_for_byte_and_recorded_in_the_chronology(
    smtp_server, organisation
):
    complaint = make_complaint(organisation, channel="web")

    deliver_due()

    (received,) = smtp_server.received
    link = ComplaintMessage.objects.select_related("outgoing", "copy").get()
    outgoing, document = link.outgoing, link.copy
    assert (outgoing.status, outgoing.attempts) == (OutgoingStatus.SENT, 1)
    assert document.role == DocumentRole.SENT_MESSAGE
    assert document.content_type == "message/rfc822"
    assert document.sha256 == hashlib.sha256(received.raw).hexdigest()
    with document.file.open("rb") as stored:
        assert stored.read() == received.raw
    event = complaint.events.get(event_type=EventType.MESSAGE_SENT)
    assert event.document == document
    assert event.actor is None
    assert event.data == {
        "message_kind": "acknowledgement",
        "to": CLIENT,
        "subject": outgoing.subject,
        "message_id": outgoing.message_id,
        "attempts": 1,
        "accepted_by": f"serveur SMTP 127.0.0.1:{smtp_server.port}",
        "document": {
            "name": f"acknowledgement-{outgoing.pk}.eml",
            "type": "message/rfc822",
            "size": len(received.raw),
            "sha256": hashlib.sha256(received.raw).hexdigest(),
        },
    }
    assert all(result.report.ok for result in verify_all())


def test_reply_to_a_consumer_names_the_mediator_and_is_kept_as_the_copy_of_the_reply(
    smtp_server, organisation, referent
):
    organisation.mediator_address = "Palais de justice\n06000 Nice"
    organisation.save()
    complaint = make_complaint(organisation, referent, channel="letter", funding="cpf")
    _reply(complaint, referent, outcome="rejected")

    deliver_due()

    (received,) = smtp_server.received
    assert received.subject == f"Réponse à votre réclamation [{complaint.reference}]"
    assert received.body.startswith(
        "Bonjour Julie Martin,\n\nVoici notre réponse à votre réclamation "
    )
    assert "Madame, les trois séances seront reprogrammées en mars.\n" in received.body
    assert (
        "vous pouvez recourir gratuitement au médiateur de la consommation : Alpes-Maritimes "
        "Médiation, Palais de justice, 06000 Nice, http://alpesmaritimes-mediation.fr. La "
        "médiation doit être demandée dans un délai d'un an à compter de votre réclamation "
        "écrite" in received.body
    )
    assert "Tribunal" not in received.body
    assert "europa.eu" not in received.body
    assert ComplaintMessage.objects.get().copy.role == DocumentRole.REPLY_COPY


def test_reply_to_a_professional_names_the_court_and_not_the_mediator(
    smtp_server, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", funding="opco")
    _reply(complaint, referent, outcome="partly_granted")

    deliver_due()

    (received,) = smtp_server.received
    assert (
        "En cas de désaccord persistant, le Tribunal judiciaire de Grasse est seul compétent "
        "pour trancher le litige." in received.body
    )
    assert "médiat" not in received.body


def test_second_message_threads_after_the_first(smtp_server, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="email")
    deliver_due()
    _reply(complaint, referent)

    deliver_due()

    first, second = smtp_server.received
    assert second.message["In-Reply-To"] == first.message["Message-ID"]
    assert second.message["References"] == first.message["Message-ID"]


def test_staff_messages_are_auto_submitted_and_stay_out_of_the_chronology(
    smtp_server, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")
    outbox_queue(
        organisation=organisation,
        kind="staff_digest",
        to="f.maltese@ccs-legal.fr",
        subject="Récapitulatif",
        body_text="Rien d'urgent.",
        auto_submitted=True,
    )
    notify_staff(
        complaint,
        kind="staff_notice",
        to="f.maltese@ccs-legal.fr",
        subject="Message du client",
        body_text="Voir la chronologie.",
    )

    report = deliver_due()

    assert report.sent == 2
    digest, notice = smtp_server.received
    assert digest.message["Auto-Submitted"] == "auto-generated"
    assert notice.message["Auto-Submitted"] == "auto-generated"
    assert notice.subject == f"Message du client [{complaint.reference}]"
    assert complaint.events.count() == 1
    assert ComplaintMessage.objects.get().copy is None


def test_a_message_given_up_is_recorded_once_in_the_chronology(settings, smtp_server, organisation):
    complaint = make_complaint(organisation, channel="web")
    outgoing = OutgoingMessage.objects.get()
    smtp_server.refuse_recipients("550 5.1.1 Utilisateur inconnu")

    report = deliver_due(now=outgoing.created_at)

    outgoing.refresh_from_db()
    assert (report.failed, outgoing.status) == (1, OutgoingStatus.FAILED)
    event = complaint.events.get(event_type=EventType.MESSAGE_FAILED)
    assert event.data == {
        "message_kind": "acknowledgement",
        "to": CLIENT,
        "subject": outgoing.subject,
        "message_id": outgoing.message_id,
        "attempts": 1,
        "error": f"Destinataire refusé par le serveur ({CLIENT} : 550 5.1.1 Utilisateur inconnu)",
    }
    # The referent is told (a notice, itself refused by this server: out of the chronology).
    (notice,) = OutgoingMessage.objects.filter(kind="staff_notice")
    assert notice.subject.startswith("E-mail non remis au client")
    deliver_due(now=outgoing.created_at + timedelta(days=1))
    assert complaint.events.filter(event_type=EventType.MESSAGE_FAILED).count() == 1


def test_after_24_hours_of_temporary_failures_the_chronology_says_so(settings, organisation):
    _unreachable_server(settings)
    complaint = make_complaint(organisation, channel="web")
    outgoing = OutgoingMessage.objects.get()

    deliver_due(now=outgoing.created_at + timedelta(hours=23, minutes=59))
    assert not complaint.events.filter(event_type=EventType.MESSAGE_FAILED).exists()

    deliver_due(now=outgoing.created_at + timedelta(hours=25))
    (event,) = complaint.events.filter(event_type=EventType.MESSAGE_FAILED)
    assert event.data["error"].startswith("Abandon après 24 h de tentatives.")


def test_complaint_page_and_register_show_an_undelivered_message(
    settings, organisation, referent, referent_client
):
    _unreachable_server(settings)
    complaint = make_complaint(organisation, referent, channel="web")
    outgoing = OutgoingMessage.objects.get()
    deliver_due(now=outgoing.created_at + timedelta(hours=25))

    page = referent_client.get(f"/reclamations/{complaint.reference}/").content.decode()
    register = referent_client.get("/").content.decode()

    assert f"E-mail non envoyé : accusé de réception</strong> à {CLIENT}" in page
    assert "Abandon après 24 h de tentatives." in page
    assert "E-mails au client non envoyés</strong> pour : " in register
    assert f'href="/reclamations/{complaint.reference}/">{complaint.reference}</a>' in register


def test_a_later_successful_message_of_the_same_kind_clears_the_warning(
    smtp_server, organisation, referent, referent_client
):
    complaint = make_complaint(organisation, referent, channel="web")
    OutgoingMessage.objects.update(status=OutgoingStatus.FAILED, last_error="550 inconnu")
    complaint_apply(complaint=complaint, actor=referent, action="send_acknowledgement")
    deliver_due()

    page = referent_client.get(f"/reclamations/{complaint.reference}/").content.decode()

    assert "E-mail non envoyé" not in page


def test_the_file_backend_writes_what_the_chronology_keeps(settings, tmp_path, organisation):
    settings.EMAIL_BACKEND = "reclamations.outbox.backends.EmlFileBackend"
    settings.SENT_MAIL_DIR = tmp_path / "sent-mail"
    make_complaint(organisation, channel="web")

    deliver_due()

    link = ComplaintMessage.objects.select_related("outgoing", "copy").get()
    (written,) = (tmp_path / "sent-mail").iterdir()
    assert written.name.endswith(f"-{link.outgoing.message_id.strip('<>').replace('@', '_')}.eml")
    assert hashlib.sha256(written.read_bytes()).hexdigest() == link.copy.sha256
