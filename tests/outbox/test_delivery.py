"""Delivery over SMTP to a real server (aiosmtpd), checked on what the server received: claims,
retries, failures, and what the listeners hear. Nothing here is about complaints."""

import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reclamations.outbox.backends import EmlFileBackend
from reclamations.outbox.delivery import (
    PermanentFailure,
    TemporaryFailure,
    accepting_server,
    backoff,
    classify,
    deliver_due,
    listen,
    unlisten,
)
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from reclamations.worker import JOBS
from tests.harness.network import free_port

CLIENT = "julie.martin@example.org"


def _queued(organisation, to: str = CLIENT, **options) -> OutgoingMessage:
    values = {"kind": "reply", "subject": "Réponse", "body_text": "Madame,\nc'est réglé."}
    return outbox_queue(organisation=organisation, to=to, **{**values, **options})


def _unreachable_server(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()


@dataclass
class Heard:
    """A listener of the outbox's deliveries, as an app registers one."""

    sent: list[tuple[int, bytes]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def message_sent(self, outgoing: OutgoingMessage, raw: bytes) -> None:
        self.sent.append((outgoing.pk, raw))

    def message_failed(self, outgoing: OutgoingMessage) -> None:
        self.failed.append(outgoing.pk)


@pytest.fixture
def heard():
    listener = Heard()
    listen(listener)
    yield listener
    unlisten(listener)


def test_a_message_reaches_the_server_as_queued(smtp_server, organisation):
    queued = _queued(organisation, in_reply_to="<Original@Client.Example>")

    report = deliver_due()

    assert report.summary() == "1 envoyé(s), 0 à réessayer, 0 en échec"
    (received,) = smtp_server.received
    message = received.message
    assert received.mail_from == "f.maltese@ccs-legal.fr"
    assert received.rcpt_tos == (CLIENT,)
    assert received.subject == "Réponse"
    assert message["From"] == "f.maltese@ccs-legal.fr"
    assert message["To"] == CLIENT
    assert message["Reply-To"] == "f.maltese@ccs-legal.fr"
    assert message["Message-ID"] == queued.message_id
    assert message["In-Reply-To"] == "<original@client.example>"
    assert message["References"] == "<original@client.example>"
    assert message["Auto-Submitted"] is None
    assert received.body == "Madame,\nc'est réglé.\n"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutgoingStatus.SENT, 1)
    assert queued.sent_at is not None


def test_listeners_hear_each_message_sent_with_the_exact_bytes(smtp_server, organisation, heard):
    queued = _queued(organisation)

    deliver_due()

    (received,) = smtp_server.received
    assert heard.sent == [(queued.pk, received.raw)]
    assert heard.failed == []


def test_automatic_messages_say_so(smtp_server, organisation):
    _queued(organisation, kind="staff_digest", auto_submitted=True)

    deliver_due()

    (received,) = smtp_server.received
    assert received.message["Auto-Submitted"] == "auto-generated"


def test_without_complaints_mailbox_the_default_sender_is_used(smtp_server, settings, organisation):
    settings.DEFAULT_FROM_EMAIL = "reclamations@organisme.example"
    organisation.complaints_email = ""
    organisation.save()
    _queued(organisation)

    deliver_due()

    (received,) = smtp_server.received
    assert received.message["From"] == "reclamations@organisme.example"
    assert received.message["Reply-To"] == "reclamations@organisme.example"


def test_a_message_is_not_sent_before_its_time(smtp_server, organisation):
    _queued(organisation)
    OutgoingMessage.objects.update(next_attempt_at=timezone.now() + timedelta(minutes=5))

    report = deliver_due()

    assert (report.sent, smtp_server.received) == (0, [])


def test_limit_bounds_one_run(smtp_server, organisation):
    for _ in range(3):
        _queued(organisation)

    assert deliver_due(limit=2).sent == 2
    assert deliver_due(limit=2).sent == 1
    assert len(smtp_server.received) == 3


# --- failures and retries ---------------------------------------------------------------------


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


def test_closed_port_then_451_then_550_retries_then_fails(
    settings, smtp_server, organisation, heard
):
    outgoing = _queued(organisation)
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
    assert heard.failed == []

    # 3. The server answers 550: permanent, failed, and the listeners hear it once.
    smtp_server.refuse_recipients("550 5.1.1 Utilisateur inconnu")
    report = deliver_due(now=second + timedelta(minutes=5))
    outgoing.refresh_from_db()
    assert (report.failed, outgoing.status, outgoing.attempts) == (1, OutgoingStatus.FAILED, 3)
    assert outgoing.last_error == (
        f"Destinataire refusé par le serveur ({CLIENT} : 550 5.1.1 Utilisateur inconnu)"
    )
    assert smtp_server.received == []
    assert heard.failed == [outgoing.pk]
    # A failed message is never picked up again.
    assert deliver_due(now=second + timedelta(days=1)).summary() == (
        "0 envoyé(s), 0 à réessayer, 0 en échec"
    )
    assert heard.failed == [outgoing.pk]


def test_after_24_hours_of_temporary_failures_the_message_is_given_up(
    settings, organisation, heard
):
    _unreachable_server(settings)
    outgoing = _queued(organisation)

    just_before = deliver_due(now=outgoing.created_at + timedelta(hours=23, minutes=59))
    outgoing.refresh_from_db()
    assert (just_before.retried, outgoing.status) == (1, OutgoingStatus.QUEUED)

    report = deliver_due(now=outgoing.created_at + timedelta(hours=25))
    outgoing.refresh_from_db()
    assert (report.failed, outgoing.status) == (1, OutgoingStatus.FAILED)
    assert outgoing.last_error.startswith(
        "Abandon après 24 h de tentatives. Serveur SMTP injoignable ("
    )
    assert heard.failed == [outgoing.pk]


def test_a_message_stuck_in_sending_is_requeued_after_ten_minutes(smtp_server, organisation):
    outgoing = _queued(organisation)
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
    outgoing = _queued(organisation)
    now = timezone.now()
    OutgoingMessage.objects.filter(pk=outgoing.pk).update(
        status=OutgoingStatus.SENDING, claimed_at=now - timedelta(minutes=9)
    )

    report = deliver_due(now=now)

    assert (report.requeued, report.sent, smtp_server.received) == (0, 0, [])


def test_a_message_refused_after_data_with_4xx_is_retried_and_5xx_failed(smtp_server, organisation):
    outgoing = _queued(organisation)
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
    _queued(organisation, to="inconnu@example.org")
    _queued(organisation)
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
    _unreachable_server(settings)
    for _ in range(3):
        _queued(organisation)

    report = deliver_due()

    assert (report.retried, report.sent, report.failed) == (1, 0, 0)
    assert sorted(OutgoingMessage.objects.values_list("attempts", flat=True)) == [0, 0, 1]


def test_a_refused_recipient_does_not_stop_the_run(smtp_server, organisation):
    _queued(organisation, to="plein@example.org")
    _queued(organisation)
    smtp_server.handler.refused_addresses["plein@example.org"] = "452 4.2.2 Boîte pleine"

    report = deliver_due()

    assert (report.retried, report.sent) == (1, 1)


# --- commands -------------------------------------------------------------------------------


def test_send_outbox_command_prints_its_summary(smtp_server, organisation, capsys):
    _queued(organisation)

    call_command("send-outbox")

    assert capsys.readouterr().out == "1 envoyé(s), 0 à réessayer, 0 en échec\n"
    assert len(smtp_server.received) == 1


def test_worker_job_delivers_and_returns_the_summary(smtp_server, organisation):
    _queued(organisation)
    (job,) = [job for job in JOBS if job.name == "send-outbox"]

    assert job.run() == "1 envoyé(s), 0 à réessayer, 0 en échec"
    assert len(smtp_server.received) == 1


def test_without_smtp_server_the_file_backend_writes_one_eml_per_message(
    settings, tmp_path, organisation
):
    settings.EMAIL_BACKEND = "reclamations.outbox.backends.EmlFileBackend"
    settings.SENT_MAIL_DIR = tmp_path / "sent-mail"
    outgoing = _queued(organisation)

    deliver_due()

    (written,) = (tmp_path / "sent-mail").iterdir()
    assert written.name.endswith(f"-{outgoing.message_id.strip('<>').replace('@', '_')}.eml")
    assert f"Message-ID: {outgoing.message_id}" in written.read_text()


def test_the_proof_of_sending_names_who_accepted_the_message(tmp_path):
    folder = EmlFileBackend(directory=tmp_path)

    assert accepting_server(folder) == (
        f"fichier .eml dans {tmp_path} (aucun serveur SMTP configuré)"
    )
