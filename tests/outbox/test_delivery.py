"""Delivery over SMTP to a real server (aiosmtpd), checked on what the server received."""

import hashlib
import smtplib
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.outbox.delivery import (
    PermanentFailure,
    TemporaryFailure,
    backoff,
    classify,
    deliver_due,
)
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from reclamations.reporting.integrity import verify_all
from reclamations.worker import JOBS
from tests.factories import make_complaint

from .smtp import free_port

CLIENT = "julie.martin@example.org"


def _reply(complaint, actor, **data):
    values = {
        "text": "Madame, les trois séances seront reprogrammées en mars.",
        "resolution": "Séances reprogrammées.",
        "channel": "email",
    }
    complaint_apply(complaint=complaint, actor=actor, action="reply", data={**values, **data})


def test_acknowledgement_reaches_the_server_with_reference_and_threading(smtp_server, organisation):
    complaint = complaint_register(
        organisation=organisation,
        actor=None,
        complaint=NewComplaint(
            channel="email",
            received_at=timezone.now(),
            client_name="Julie Martin",
            client_email=CLIENT,
            extra={"message_id": "<Original@Client.Example>"},
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
    assert message["From"] == "f.maltese@ccs-legal.fr"
    assert message["To"] == CLIENT
    assert message["Reply-To"] == "f.maltese@ccs-legal.fr"
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
    outgoing = OutgoingMessage.objects.select_related("eml").get()
    assert outgoing.status == OutgoingStatus.SENT
    assert outgoing.attempts == 1
    assert outgoing.sent_at is not None
    document = outgoing.eml
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
    assert received.body.startswith(f"Réponse à votre réclamation {complaint.reference} reçue le ")
    assert "Madame, les trois séances seront reprogrammées en mars.\n" in received.body
    assert (
        "vous pouvez recourir gratuitement au médiateur de la consommation : Alpes-Maritimes "
        "Médiation, Palais de justice, 06000 Nice, http://alpesmaritimes-mediation.fr. La "
        "médiation doit être demandée dans un délai d'un an à compter de votre réclamation "
        "écrite" in received.body
    )
    assert "Tribunal" not in received.body
    assert "europa.eu" not in received.body
    assert OutgoingMessage.objects.get().eml.role == DocumentRole.REPLY_COPY


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
        complaint=None,
        kind="staff_digest",
        to="f.maltese@ccs-legal.fr",
        subject="Récapitulatif",
        body_text="Rien d'urgent.",
    )
    outbox_queue(
        organisation=organisation,
        complaint=complaint,
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
    assert list(OutgoingMessage.objects.values_list("eml", flat=True)) == [None, None]


def test_without_complaints_mailbox_the_default_sender_is_used(smtp_server, settings, organisation):
    settings.DEFAULT_FROM_EMAIL = "reclamations@organisme.example"
    organisation.complaints_email = ""
    organisation.save()
    make_complaint(organisation, channel="web")

    deliver_due()

    (received,) = smtp_server.received
    assert received.message["From"] == "reclamations@organisme.example"
    assert received.message["Reply-To"] == "reclamations@organisme.example"


def test_a_message_is_not_sent_before_its_time(smtp_server, organisation):
    make_complaint(organisation, channel="web")
    OutgoingMessage.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    report = deliver_due()

    assert (report.sent, smtp_server.received) == (0, [])


def test_limit_bounds_one_run(smtp_server, organisation):
    for _ in range(3):
        make_complaint(organisation, channel="web")

    assert deliver_due(limit=2).sent == 2
    assert deliver_due(limit=2).sent == 1
    assert len(smtp_server.received) == 3


# --- failures and retries ---------------------------------------------------------------------


def _queued_acknowledgement(organisation) -> OutgoingMessage:
    make_complaint(organisation, channel="web")
    return OutgoingMessage.objects.get()


def test_backoff_grows_then_stays_hourly():
    assert [backoff(n) for n in range(1, 8)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
        timedelta(hours=1),
    ]


def test_closed_port_then_451_then_550_retries_then_fails(settings, smtp_server, organisation):
    outgoing = _queued_acknowledgement(organisation)
    start = outgoing.created_at

    # 1. Nothing listens: temporary, retried in 1 minute.
    settings.EMAIL_PORT = free_port()
    report = deliver_due(now=start)
    outgoing.refresh_from_db()
    assert (report.retried, report.failed) == (1, 0)
    assert (outgoing.status, outgoing.attempts) == (OutgoingStatus.QUEUED, 1)
    assert outgoing.next_attempt_at == start + timedelta(minutes=1)
    assert outgoing.last_error.startswith("Serveur SMTP injoignable (")

    # Not due yet: nothing happens.
    assert deliver_due(now=start + timedelta(seconds=30)).retried == 0

    # 2. The server answers 451 to the recipient: temporary, retried 5 minutes later.
    settings.EMAIL_PORT = smtp_server.port
    smtp_server.refuse_recipients("451 4.3.0 Boîte temporairement indisponible")
    second = start + timedelta(minutes=1)
    report = deliver_due(now=second)
    outgoing.refresh_from_db()
    assert (report.retried, outgoing.status, outgoing.attempts) == (1, OutgoingStatus.QUEUED, 2)
    assert outgoing.next_attempt_at == second + timedelta(minutes=5)
    assert outgoing.last_error == (
        f"Destinataire refusé par le serveur ({CLIENT} : 451 4.3.0 Boîte temporairement "
        "indisponible)"
    )

    # 3. The server answers 550: permanent, failed, shown in the chronology.
    smtp_server.refuse_recipients("550 5.1.1 Utilisateur inconnu")
    report = deliver_due(now=second + timedelta(minutes=5))
    outgoing.refresh_from_db()
    assert (report.failed, outgoing.status, outgoing.attempts) == (1, OutgoingStatus.FAILED, 3)
    assert outgoing.last_error == (
        f"Destinataire refusé par le serveur ({CLIENT} : 550 5.1.1 Utilisateur inconnu)"
    )
    assert smtp_server.received == []
    event = outgoing.complaint.events.get(event_type=EventType.MESSAGE_FAILED)
    assert event.data == {
        "message_kind": "acknowledgement",
        "to": CLIENT,
        "subject": outgoing.subject,
        "message_id": outgoing.message_id,
        "attempts": 3,
        "error": outgoing.last_error,
    }
    # A failed message is never picked up again.
    assert deliver_due(now=second + timedelta(days=1)).summary() == (
        "0 envoyé(s), 0 à réessayer, 0 en échec"
    )


def test_after_24_hours_of_temporary_failures_the_message_is_given_up(settings, organisation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    outgoing = _queued_acknowledgement(organisation)

    just_before = deliver_due(now=outgoing.created_at + timedelta(hours=23, minutes=59))
    outgoing.refresh_from_db()
    assert (just_before.retried, outgoing.status) == (1, OutgoingStatus.QUEUED)

    report = deliver_due(now=outgoing.created_at + timedelta(hours=25))
    outgoing.refresh_from_db()
    assert (report.failed, outgoing.status) == (1, OutgoingStatus.FAILED)
    assert outgoing.last_error.startswith(
        "Abandon après 24 h de tentatives. Serveur SMTP injoignable ("
    )
    assert outgoing.complaint.events.filter(event_type=EventType.MESSAGE_FAILED).count() == 1


def test_a_message_stuck_in_sending_is_requeued_after_ten_minutes(smtp_server, organisation):
    outgoing = _queued_acknowledgement(organisation)
    now = timezone.now()
    OutgoingMessage.objects.filter(pk=outgoing.pk).update(
        status=OutgoingStatus.SENDING, claimed_at=now - timedelta(minutes=11), attempts=1
    )

    report = deliver_due(now=now)

    assert (report.requeued, report.sent) == (1, 1)
    assert report.summary() == (
        "1 envoyé(s), 0 à réessayer, 0 en échec, 1 remis en file après un arrêt brutal"
    )
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingStatus.SENT, 2)


def test_a_message_being_sent_by_another_worker_is_left_alone(smtp_server, organisation):
    outgoing = _queued_acknowledgement(organisation)
    now = timezone.now()
    OutgoingMessage.objects.filter(pk=outgoing.pk).update(
        status=OutgoingStatus.SENDING, claimed_at=now - timedelta(minutes=9)
    )

    report = deliver_due(now=now)

    assert (report.requeued, report.sent, smtp_server.received) == (0, 0, [])


def test_complaint_page_and_register_show_an_undelivered_message(
    settings, organisation, referent, referent_client
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
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


# --- commands -------------------------------------------------------------------------------


def test_send_outbox_command_prints_its_summary(smtp_server, organisation, capsys):
    make_complaint(organisation, channel="web")

    call_command("send-outbox")

    assert capsys.readouterr().out == "1 envoyé(s), 0 à réessayer, 0 en échec\n"
    assert len(smtp_server.received) == 1


def test_worker_runs_send_outbox_every_30_seconds():
    (job,) = [job for job in JOBS if job.name == "send-outbox"]

    assert job.every == timedelta(seconds=30)


def test_worker_job_delivers_and_returns_the_summary(smtp_server, organisation):
    make_complaint(organisation, channel="web")
    (job,) = [job for job in JOBS if job.name == "send-outbox"]

    assert job.run() == "1 envoyé(s), 0 à réessayer, 0 en échec"
    assert len(smtp_server.received) == 1


def test_without_smtp_server_the_file_backend_writes_one_eml_per_message(
    settings, tmp_path, organisation
):
    settings.EMAIL_BACKEND = "reclamations.outbox.backends.EmlFileBackend"
    settings.SENT_MAIL_DIR = tmp_path / "sent-mail"
    make_complaint(organisation, channel="web")

    deliver_due()

    outgoing = OutgoingMessage.objects.select_related("eml").get()
    (written,) = (tmp_path / "sent-mail").iterdir()
    assert written.name.endswith(f"-{outgoing.message_id.strip('<>').replace('@', '_')}.eml")
    assert hashlib.sha256(written.read_bytes()).hexdigest() == outgoing.eml.sha256


def test_a_message_refused_after_data_with_4xx_is_retried_and_5xx_failed(smtp_server, organisation):
    outgoing = _queued_acknowledgement(organisation)
    smtp_server.refuse_data("421 4.3.2 Service en cours d'arrêt")

    deliver_due(now=outgoing.created_at)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.last_error) == (
        OutgoingStatus.QUEUED,
        "Réponse du serveur SMTP : 421 4.3.2 Service en cours d'arrêt",
    )

    smtp_server.refuse_data("554 5.7.1 Message refusé comme indésirable")
    deliver_due(now=outgoing.next_attempt_at)
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.last_error) == (
        OutgoingStatus.FAILED,
        "Réponse du serveur SMTP : 554 5.7.1 Message refusé comme indésirable",
    )


def test_one_refused_message_does_not_stop_the_others(smtp_server, organisation):
    make_complaint(organisation, channel="web", client_email="inconnu@example.org")
    make_complaint(organisation, channel="web")
    smtp_server.handler.refused_addresses["inconnu@example.org"] = "550 5.1.1 Utilisateur inconnu"

    report = deliver_due()

    assert (report.sent, report.failed) == (1, 1)
    assert [received.rcpt_tos for received in smtp_server.received] == [(CLIENT,)]


def test_classify_tells_configuration_problems_from_refusals():
    login = classify(smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"))
    gone = classify(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    bug = classify(ValueError("Header values may not contain linefeed"))

    assert isinstance(login, TemporaryFailure)
    assert str(login) == (
        "Authentification refusée par le serveur SMTP (535 5.7.8 Bad credentials) : vérifiez "
        "EMAIL_HOST_USER et EMAIL_HOST_PASSWORD."
    )
    assert isinstance(gone, TemporaryFailure)
    assert str(gone) == "Connexion au serveur SMTP interrompue (Connection unexpectedly closed)."
    assert isinstance(bug, PermanentFailure)
    assert str(bug) == (
        "Message impossible à envoyer (ValueError : Header values may not contain linefeed)."
    )


def test_an_unreachable_server_stops_the_run_after_one_attempt(settings, organisation):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    for _ in range(3):
        make_complaint(organisation, channel="web")

    report = deliver_due()

    assert (report.retried, report.sent, report.failed) == (1, 0, 0)
    assert sorted(OutgoingMessage.objects.values_list("attempts", flat=True)) == [0, 0, 1]


def test_a_refused_recipient_does_not_stop_the_run(smtp_server, organisation):
    make_complaint(organisation, channel="web", client_email="plein@example.org")
    make_complaint(organisation, channel="web")
    smtp_server.handler.refused_addresses["plein@example.org"] = "452 4.2.2 Boîte pleine"

    report = deliver_due()

    assert (report.retried, report.sent) == (1, 1)
