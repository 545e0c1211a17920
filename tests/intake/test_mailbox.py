"""fetch_mail against a real Dovecot: messages appended over IMAP, processed, then marked."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reclamations.complaints.enums import Channel
from reclamations.complaints.models import Complaint
from reclamations.intake.imap import (
    PROCESSED_KEYWORD,
    MailboxError,
    MailboxSettings,
    encode_folder,
    mark_processed,
    since_criteria,
)
from reclamations.intake.mailbox import fetch_mail
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.worker import JOBS

from .conftest import eml

ARRIVED = datetime(2026, 3, 24, 17, 5, tzinfo=UTC)
SEEN_AND_OURS = {r"\Seen", PROCESSED_KEYWORD}


def config_for(server, account, **overrides) -> MailboxSettings:
    values = {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "user": account.user,
        "password": account.password,
        "folder": "INBOX",
        "processed": "move:Traitées",
        "batch": 50,
        "timeout": 10,
    }
    return MailboxSettings(**{**values, **overrides})


def summary(created=0, appended=0, duplicate=0, auto=0, triage=0, quarantined=0) -> str:
    total = created + appended + duplicate + auto + triage + quarantined
    plural = "s" if total > 1 else ""
    return (
        f"IMAP : {total} message{plural} traité{plural} (réclamations créées : {created}, "
        f"ajoutés à une réclamation : {appended}, doublons : {duplicate}, réponses "
        f"automatiques ignorées : {auto}, à trier : {triage}, illisibles (quarantaine) : "
        f"{quarantined})"
    )


def flags_of(state) -> list[set[str]]:
    # \Recent is the server's business (first session to see the message), not ours.
    return [flags - {r"\Recent"} for _subject, flags in state]


@pytest.fixture
def three_messages(dovecot, mailbox_account):
    for name in (
        "plain-utf8-reclamation.eml",
        "not-a-complaint-question.eml",
        "auto-reply-x-autoreply.eml",
    ):
        dovecot.append(mailbox_account, eml(name), when=ARRIVED)
    return mailbox_account


def test_new_messages_registered_then_moved_to_the_processed_folder(
    organisation, dovecot, three_messages
):
    config = config_for(dovecot, three_messages)

    result = fetch_mail(config=config, organisation=organisation)

    assert result == summary(created=1, auto=1, triage=1)
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.client_email, complaint.received_at) == (
        Channel.EMAIL,
        "jeanne.dupont@example.fr",
        ARRIVED,
    )
    assert dovecot.folder_state(three_messages, "INBOX") == []
    moved = dovecot.folder_state(three_messages, "Trait&AOk-es")
    assert flags_of(moved) == [SEEN_AND_OURS] * 3
    rows = InboundEmail.objects.order_by("mailbox_uid")
    assert [(row.source, row.mailbox_uid, row.outcome) for row in rows] == [
        (IntakeSource.IMAP, 1, IntakeOutcome.CREATED),
        (IntakeSource.IMAP, 2, IntakeOutcome.TRIAGE),
        (IntakeSource.IMAP, 3, IntakeOutcome.AUTO_REPLY),
    ]
    assert len({row.mailbox_uidvalidity for row in rows}) == 1
    assert rows[0].mailbox_uidvalidity is not None


def test_second_run_finds_nothing_to_do(organisation, dovecot, three_messages):
    config = config_for(dovecot, three_messages)
    fetch_mail(config=config, organisation=organisation)

    assert fetch_mail(config=config, organisation=organisation) == summary()
    assert (Complaint.objects.count(), InboundEmail.objects.count()) == (1, 3)


def test_flag_mode_leaves_messages_in_place_seen_and_marked(organisation, dovecot, three_messages):
    config = config_for(dovecot, three_messages, processed="flag")

    assert fetch_mail(config=config, organisation=organisation) == summary(
        created=1, auto=1, triage=1
    )

    assert flags_of(dovecot.folder_state(three_messages, "INBOX")) == [SEEN_AND_OURS] * 3
    assert fetch_mail(config=config, organisation=organisation) == summary()


@pytest.mark.django_db(transaction=True)
def test_crash_between_commit_and_marking_registers_nothing_twice(
    organisation, dovecot, mailbox_account
):
    dovecot.append(mailbox_account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    config = config_for(dovecot, mailbox_account)

    def crash(connection, uid, config):
        # As if the process died right after the commit: the connection goes, unmarked.
        connection.shutdown()
        raise SystemExit("arrêt brutal")

    with pytest.raises(SystemExit):
        fetch_mail(config=config, organisation=organisation, mark=crash)
    assert Complaint.objects.count() == 1  # committed before the crash
    assert flags_of(dovecot.folder_state(mailbox_account, "INBOX")) == [set()]

    assert fetch_mail(config=config, organisation=organisation, mark=mark_processed) == summary(
        duplicate=1
    )

    assert Complaint.objects.count() == 1
    assert InboundEmail.objects.count() == 1
    assert dovecot.folder_state(mailbox_account, "INBOX") == []
    assert flags_of(dovecot.folder_state(mailbox_account, "Trait&AOk-es")) == [SEEN_AND_OURS]


def test_batch_limits_one_run(organisation, dovecot, three_messages):
    config = config_for(dovecot, three_messages, batch=2)

    assert fetch_mail(config=config, organisation=organisation) == summary(created=1, triage=1)
    assert fetch_mail(config=config, organisation=organisation) == summary(auto=1)


def test_reply_appended_to_the_complaint_it_answers(organisation, dovecot, mailbox_account):
    dovecot.append(mailbox_account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    dovecot.append(mailbox_account, eml("reply-in-reply-to-only.eml"), when=ARRIVED)

    result = fetch_mail(config=config_for(dovecot, mailbox_account), organisation=organisation)

    assert result == summary(created=1, appended=1)
    complaint = Complaint.objects.get()
    assert complaint.events.filter(event_type="message_received").count() == 1


def test_wrong_password_is_a_clear_error(organisation, dovecot, mailbox_account):
    config = config_for(dovecot, mailbox_account, password="mauvais")

    with pytest.raises(MailboxError) as error:
        fetch_mail(config=config, organisation=organisation)

    assert str(error.value).startswith(
        f"Connexion IMAP refusée pour {mailbox_account.user} : vérifiez IMAP_USER et IMAP_PASSWORD"
    )


def test_fetch_mail_command_reads_the_settings(organisation, dovecot, three_messages, settings):
    settings.IMAP_HOST = dovecot.host
    settings.IMAP_PORT = dovecot.port
    settings.IMAP_SECURITY = "none"
    settings.IMAP_USER = three_messages.user
    settings.IMAP_PASSWORD = three_messages.password
    settings.IMAP_PROCESSED = "flag"
    out = StringIO()

    call_command("fetch-mail", stdout=out)

    assert out.getvalue() == summary(created=1, auto=1, triage=1) + "\n"


def test_fetch_mail_command_fails_clearly_when_the_server_is_unreachable(organisation, settings):
    settings.IMAP_HOST = "127.0.0.1"
    settings.IMAP_PORT = 1  # nothing listens there
    settings.IMAP_SECURITY = "none"

    with pytest.raises(CommandError) as error:
        call_command("fetch-mail", stdout=StringIO())

    assert str(error.value).startswith("Serveur IMAP injoignable (")
    assert str(error.value).endswith(": vérifiez IMAP_HOST, IMAP_PORT et IMAP_SECURITY.")


def test_unconfigured_mailbox_is_not_an_error(organisation, settings):
    settings.IMAP_HOST = ""

    (job,) = [job for job in JOBS if job.name == "fetch-mail"]

    assert job.run() == "IMAP non configuré (IMAP_HOST vide) : aucune boîte à relever."


def test_a_mailbox_without_organisation_is_not_read_and_says_to_run_init(db, settings):
    settings.IMAP_HOST = "imap.example.org"
    settings.IMAP_ORGANISATION = ""

    (job,) = [job for job in JOBS if job.name == "fetch-mail"]

    assert job.run() == (
        "Boîte non relevée. Aucun organisme enregistré : créez-le avec « reclamations init » "
        "(ou la page de première installation) ; pour essayer l'application, « reclamations "
        "demo » sur un dossier de données à part."
    )


def test_a_mailbox_for_an_unknown_organisation_says_which(organisation, settings):
    settings.IMAP_HOST = "imap.example.org"
    settings.IMAP_ORGANISATION = "Inconnu"

    (job,) = [job for job in JOBS if job.name == "fetch-mail"]

    assert job.run() == "Organisme « Inconnu » (IMAP_ORGANISATION) introuvable : boîte non relevée."


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("INBOX", '"INBOX"'),
        ("Traitées", '"Trait&AOk-es"'),
        ("R&D", '"R&-D"'),
        ('Dossier "spécial"', '"Dossier \\"sp&AOk-cial\\""'),
        ("日本", '"&ZeVnLA-"'),
    ],
)
def test_folder_names_written_in_imap_modified_utf7(name, encoded):
    assert encode_folder(name) == encoded


def test_imap_since_reads_only_what_arrived_from_that_day(organisation, dovecot, mailbox_account):
    dovecot.append(
        mailbox_account, eml("plain-utf8-reclamation.eml"), when=datetime(2025, 6, 1, tzinfo=UTC)
    )
    dovecot.append(mailbox_account, eml("windows-1252-quotes.eml"), when=ARRIVED)

    result = fetch_mail(
        config=config_for(dovecot, mailbox_account, since=ARRIVED.date().isoformat()),
        organisation=organisation,
    )

    assert result == summary(created=1)
    assert InboundEmail.objects.count() == 1


def test_a_first_reading_of_a_full_mailbox_asks_for_a_start_day(
    organisation, dovecot, mailbox_account, monkeypatch
):
    monkeypatch.setattr("reclamations.intake.mailbox.FIRST_READING_LIMIT", 2)
    for name in ("plain-utf8-reclamation.eml", "windows-1252-quotes.eml", "reply-to-wins.eml"):
        dovecot.append(mailbox_account, eml(name), when=ARRIVED)

    with pytest.raises(MailboxError, match="Première relève : la boîte contient 3 messages"):
        fetch_mail(config=config_for(dovecot, mailbox_account), organisation=organisation)
    everything = fetch_mail(
        config=config_for(dovecot, mailbox_account, since="all"), organisation=organisation
    )

    assert not everything.startswith("IMAP : 0")
    assert InboundEmail.objects.count() == 3


def test_imap_since_in_the_imap_date_form():
    assert since_criteria("2026-03-01") == ["SINCE", "1-Mar-2026"]
    assert since_criteria("all") == since_criteria("") == []


def test_a_message_another_worker_took_before_it_was_read_is_left_to_it(
    organisation, dovecot, three_messages
):
    config = config_for(dovecot, three_messages)
    taken: list[str] = []

    def and_meanwhile_another_worker_takes_the_next(connection, uid, config):
        mark_processed(connection, uid, config)
        if not taken:
            other = dovecot.client(three_messages)
            try:
                other.select("INBOX")
                _status, data = other.uid("SEARCH", "UNKEYWORD", PROCESSED_KEYWORD)
                taken.append(data[0].split()[0].decode())
                other.uid("MOVE", taken[0], encode_folder("Traitées"))
            finally:
                other.logout()

    result = fetch_mail(
        config=config, organisation=organisation, mark=and_meanwhile_another_worker_takes_the_next
    )

    # The first and the third read here; the second is the other worker's to register.
    assert result.startswith("IMAP : 2 messages traités (")
    assert InboundEmail.objects.count() == 2
    organisation.refresh_from_db()
    assert organisation.mailbox_failing_since is None
