"""Each organisation's own mailbox (decision 0032), against the real Dovecot: two
organisations, two mailboxes, each message registered in its mailbox's organisation only; a
mailbox that cannot be read stops none of the others; the IMAP_* settings still feed the
organisation that has no mailbox of its own; the secrets are sealed in the database; the
command and the manager's page set, list and test a mailbox."""

import html
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from reclamations.complaints.enums import EventType
from reclamations.complaints.event_reading import event_text
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.catalogue import gettext_noop
from reclamations.core.models import Organisation
from reclamations.core.sealed import PREFIX
from reclamations.core.worded import Phrase, as_json, from_json, said
from reclamations.intake.imap import MailboxError, checked, encode_folder
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.models import InboundEmail, Mailbox
from reclamations.intake.polling import fetch_all_mail
from reclamations.reporting.integrity import verify_all
from reclamations.worker import JOBS
from tests.accounts import verified_login

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]

ARRIVED = datetime(2026, 3, 24, 17, 5, tzinfo=UTC)


def set_mailbox(organisation, server, account, *, password=None, **values):
    return mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": server.host,
            "port": server.port,
            "security": "none",
            "user": account.user,
            "processed": "move:Traitées",
            **values,
        },
        secrets={"password": account.password if password is None else password},
    )


@pytest.fixture
def two_accounts(dovecot):
    return dovecot.new_account(), dovecot.new_account()


def the_job():
    (job,) = [job for job in JOBS if job.name == "fetch-mail"]
    return job


def test_each_mailbox_feeds_its_own_organisation(
    organisation, other_organisation, dovecot, two_accounts
):
    ours, theirs = two_accounts
    set_mailbox(organisation, dovecot, ours)
    set_mailbox(other_organisation, dovecot, theirs)
    dovecot.append(ours, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    dovecot.append(theirs, eml("iso-8859-1-8bit-reclamation.eml"), when=ARRIVED)
    dovecot.append(theirs, eml("not-a-complaint-question.eml"), when=ARRIVED)

    summary = the_job().run()

    assert summary.splitlines()[0].startswith(f"« {organisation.name} » : IMAP : 1 message")
    assert summary.splitlines()[1].startswith("« Autre organisme » : IMAP : 2 messages")
    (ours_complaint,) = Complaint.objects.filter(organisation=organisation)
    (theirs_complaint,) = Complaint.objects.filter(organisation=other_organisation)
    assert ours_complaint.reference.startswith(organisation.reference_prefix)
    assert theirs_complaint.reference.startswith("AUT-")
    assert InboundEmail.objects.filter(organisation=organisation).count() == 1
    assert InboundEmail.objects.filter(organisation=other_organisation).count() == 2
    # Each mailbox's messages were marked in that mailbox only.
    assert len(dovecot.folder_state(ours, encode_folder("Traitées"))) == 1
    assert len(dovecot.folder_state(theirs, encode_folder("Traitées"))) == 2
    for row in Mailbox.objects.all():
        assert row.last_polled_at == row.last_success_at is not None


def test_a_wrong_password_stops_only_its_own_mailbox(
    organisation, other_organisation, dovecot, two_accounts
):
    ours, theirs = two_accounts
    set_mailbox(organisation, dovecot, ours, password="mauvais")
    set_mailbox(other_organisation, dovecot, theirs)
    dovecot.append(ours, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    dovecot.append(theirs, eml("plain-utf8-reclamation.eml"), when=ARRIVED)

    # The job fails (the worker logs it) only once every mailbox was read.
    with pytest.raises(MailboxError) as failure:
        fetch_all_mail()

    lines = str(failure.value).splitlines()
    assert lines[0].startswith(
        f"« {organisation.name} » : ÉCHEC : Connexion IMAP refusée pour {ours.user} : vérifiez "
        "l'identifiant et le mot de passe de la boîte (page Réglages, Boîte des réclamations)"
    )
    assert lines[1].startswith("« Autre organisme » : IMAP : 1 message traité")
    assert not Complaint.objects.filter(organisation=organisation).exists()
    assert Complaint.objects.filter(organisation=other_organisation).count() == 1
    organisation.refresh_from_db()
    other_organisation.refresh_from_db()
    assert organisation.mailbox_failing_since is not None
    assert organisation.mailbox_error.startswith("Connexion IMAP refusée pour")
    assert other_organisation.mailbox_failing_since is None
    ours_row = Mailbox.objects.get(organisation=organisation)
    assert ours_row.last_polled_at is not None and ours_row.last_success_at is None
    # The message waits in its mailbox, unmarked, for the corrected password.
    assert [flags for _subject, flags in dovecot.folder_state(ours, "INBOX")] == [{r"\Recent"}]

    set_mailbox(organisation, dovecot, ours)
    fetch_all_mail()

    organisation.refresh_from_db()
    assert organisation.mailbox_failing_since is None
    assert Complaint.objects.filter(organisation=organisation).count() == 1


def test_a_reply_is_matched_to_its_own_organisation_s_complaints_only(
    organisation, other_organisation, dovecot, two_accounts
):
    """The same reference and the same thread in another organisation: B's complaint is not
    A's, so A's mailbox never adds to it."""
    ours, theirs = two_accounts
    other_organisation.reference_prefix = organisation.reference_prefix
    other_organisation.save(update_fields=["reference_prefix"])
    set_mailbox(organisation, dovecot, ours)
    set_mailbox(other_organisation, dovecot, theirs)
    dovecot.append(theirs, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    fetch_all_mail()
    (theirs_complaint,) = Complaint.objects.filter(organisation=other_organisation)
    reply = eml("reply-with-reference-in-subject.eml").replace(
        b"REC-2026-0042", theirs_complaint.reference.encode()
    )

    dovecot.append(ours, reply, when=ARRIVED + timedelta(minutes=5))
    fetch_all_mail()

    assert not theirs_complaint.events.filter(event_type=EventType.MESSAGE_RECEIVED).exists()
    inbound = InboundEmail.objects.get(message_id="<reply.0017@example.fr>")
    assert inbound.organisation == organisation
    assert inbound.complaint is None or inbound.complaint.organisation == organisation


def test_the_environment_mailbox_still_feeds_the_organisation_without_its_own(
    organisation, other_organisation, dovecot, two_accounts, settings
):
    ours, theirs = two_accounts
    settings.IMAP_HOST = dovecot.host
    settings.IMAP_PORT = dovecot.port
    settings.IMAP_SECURITY = "none"
    settings.IMAP_USER = ours.user
    settings.IMAP_PASSWORD = ours.password
    settings.IMAP_PROCESSED = "flag"
    settings.IMAP_ORGANISATION = organisation.name
    set_mailbox(other_organisation, dovecot, theirs)
    dovecot.append(ours, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    dovecot.append(theirs, eml("iso-8859-1-8bit-reclamation.eml"), when=ARRIVED)

    fetch_all_mail()

    assert Complaint.objects.filter(organisation=organisation).count() == 1
    assert Complaint.objects.filter(organisation=other_organisation).count() == 1

    # A mailbox of its own, even switched off, takes the IMAP_* settings' place.
    dovecot.append(ours, eml("iso-8859-1-8bit-reclamation.eml"), when=ARRIVED)
    set_mailbox(organisation, dovecot, ours, active=False)
    fetch_all_mail()

    assert Complaint.objects.filter(organisation=organisation).count() == 1


def test_the_environment_mailbox_alone_reads_as_before(
    organisation, dovecot, two_accounts, settings
):
    ours, _theirs = two_accounts
    settings.IMAP_HOST = dovecot.host
    settings.IMAP_PORT = dovecot.port
    settings.IMAP_SECURITY = "none"
    settings.IMAP_USER = ours.user
    settings.IMAP_PASSWORD = ours.password
    dovecot.append(ours, eml("plain-utf8-reclamation.eml"), when=ARRIVED)

    assert the_job().run().startswith("IMAP : 1 message traité (réclamations créées : 1,")


def test_the_secrets_are_sealed_in_the_database_and_kept_out_of_the_chronology(
    organisation, dovecot, mailbox_account
):
    set_mailbox(organisation, dovecot, mailbox_account)

    with connection.cursor() as cursor:
        cursor.execute("SELECT password_sealed FROM intake_mailbox")
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT data FROM complaints_complaintevent")
        events = " ".join(str(row[0]) for row in cursor.fetchall())
    assert stored.startswith(PREFIX)
    assert mailbox_account.password not in stored
    assert mailbox_account.password not in events
    event = ComplaintEvent.objects.get(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED
    )
    assert event.data["changes"]["mailbox_host"] == [None, dovecot.host]
    assert event.data["changes"]["mailbox_password_replaced"] == [False, True]
    # The same password typed again changes nothing; a new one is recorded as replaced only.
    assert set_mailbox(organisation, dovecot, mailbox_account) == []
    assert set_mailbox(organisation, dovecot, mailbox_account, password="autre-secret") == [
        "password"
    ]
    last = ComplaintEvent.objects.filter(organisation=organisation).latest("sequence")
    assert last.data == {"changes": {"mailbox_password_replaced": [False, True]}}
    assert "autre-secret" not in str(last.data)
    assert event_text(last.event_type, last.data) == (
        "Modifications : Boîte des réclamations : mot de passe remplacé : non → oui"
    )
    # The chain verifies: the mailbox's keys are recorded, not replayed on the organisation.
    assert all(result.ok for result in verify_all())


def test_a_secret_sealed_under_a_replaced_key(organisation, dovecot, mailbox_account, settings):
    set_mailbox(organisation, dovecot, mailbox_account)
    dovecot.append(mailbox_account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "une-nouvelle-clé-de-l-installation-assez-longue-pour-django"

    # Without the old key: a clear error, recorded; nothing read.
    with pytest.raises(MailboxError, match="Secret illisible avec la clé de l'installation"):
        fetch_all_mail()
    organisation.refresh_from_db()
    assert organisation.mailbox_error.startswith("Secret illisible")

    # With the old key kept as a fallback, it is read; `reseal` moves it to the new key.
    settings.SECRET_KEY_FALLBACKS = [old_key]
    fetch_all_mail()
    call_command("mailbox", "reseal", stdout=StringIO())
    settings.SECRET_KEY_FALLBACKS = []
    dovecot.append(mailbox_account, eml("iso-8859-1-8bit-reclamation.eml"), when=ARRIVED)
    fetch_all_mail()

    assert Complaint.objects.filter(organisation=organisation).count() == 2


def test_the_command_sets_lists_tests_and_fetches_one_organisation(
    organisation, other_organisation, dovecot, two_accounts, tmp_path
):
    ours, theirs = two_accounts
    secret = tmp_path / "mot-de-passe"
    secret.write_text(theirs.password + "\n")
    out = StringIO()

    call_command(
        "mailbox",
        "set",
        "Autre organisme",
        "--host",
        dovecot.host,
        "--port",
        str(dovecot.port),
        "--security",
        "none",
        "--user",
        theirs.user,
        "--password-file",
        str(secret),
        stdout=out,
    )
    set_mailbox(organisation, dovecot, ours)
    call_command("mailbox", "list", stdout=out)
    call_command("mailbox", "test", "Autre organisme", stdout=out)
    dovecot.append(ours, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    dovecot.append(theirs, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    call_command("fetch-mail", "--organisation", "Autre organisme", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Boîte de « Autre organisme » créée."
    assert lines[1].startswith(f"Autre organisme\tactive\t{theirs.user}@{dovecot.host}:")
    assert lines[2].startswith(f"{organisation.name}\tactive\t{ours.user}@")
    assert lines[3] == (
        f"Connexion réussie à {dovecot.host} pour {theirs.user} : 0 message à relever dans "
        "« INBOX »."
    )
    assert lines[4].startswith("« Autre organisme » : IMAP : 1 message traité")
    assert Complaint.objects.filter(organisation=other_organisation).count() == 1
    assert not Complaint.objects.filter(organisation=organisation).exists()
    assert theirs.password not in out.getvalue()


def test_the_command_refuses_what_would_not_work(organisation, dovecot, mailbox_account):
    with pytest.raises(CommandError) as refused:
        call_command("mailbox", "set", organisation.name, "--host", "imap.example.fr")
    assert "user : Indiquez l'identifiant de la boîte" in str(refused.value)
    assert "password : Indiquez le mot de passe de la boîte." in str(refused.value)
    assert not Mailbox.objects.exists()

    set_mailbox(organisation, dovecot, mailbox_account, password="mauvais")
    with pytest.raises(CommandError, match="Connexion IMAP refusée pour"):
        call_command("mailbox", "test", organisation.name, stdout=StringIO())
    with pytest.raises(CommandError, match="Organisme « Inconnu » introuvable"):
        call_command("fetch-mail", "--organisation", "Inconnu")


# --- the manager's page --------------------------------------------------------------------

PAGE = reverse("organisation_mailbox")


def form_for(server, account, **overrides):
    return {
        "active": "on",
        "host": server.host,
        "port": server.port,
        "security": "none",
        "user": account.user,
        "password": account.password,
        "folder": "INBOX",
        "processed": "move:Traitées",
        "since": "",
        "auth": "password",
        "oauth_provider": "microsoft",
        "oauth_tenant": "organizations",
        "oauth_client_id": "",
        "oauth_grant": "authorization_code",
        **overrides,
    }


@pytest.fixture
def manager_page(manager) -> Client:
    return verified_login(Client(), manager)


def test_the_manager_sets_and_tests_the_mailbox_and_never_sees_its_password(
    organisation, manager_page, dovecot, mailbox_account
):
    dovecot.append(mailbox_account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)

    tested = manager_page.post(PAGE, {**form_for(dovecot, mailbox_account), "tester": "1"})
    wrong = manager_page.post(
        PAGE, {**form_for(dovecot, mailbox_account, password="mauvais"), "tester": "1"}
    )
    # Testing saves nothing.
    assert not Mailbox.objects.exists()
    saved = manager_page.post(PAGE, form_for(dovecot, mailbox_account))
    # Left empty: the stored password is kept (and the test uses it).
    kept = manager_page.post(
        PAGE, {**form_for(dovecot, mailbox_account, password="", folder="INBOX"), "tester": "1"}
    )
    page = manager_page.get(PAGE).content.decode()

    assert tested.status_code == 200
    assert "Connexion réussie : 1 message à relever dans « INBOX »." in tested.content.decode()
    assert "Connexion impossible : Connexion IMAP refusée pour" in wrong.content.decode()
    assert saved.status_code == 302
    assert "Connexion réussie : 1 message" in kept.content.decode()
    assert mailbox_account.password not in page
    assert 'name="password"' in page and 'value="' + mailbox_account.password not in page
    assert "Pas encore relevée." in page
    event = ComplaintEvent.objects.get(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED
    )
    assert event.actor.username == "responsable"


def test_the_page_refuses_what_would_not_work(organisation, manager_page, dovecot, mailbox_account):
    no_password = manager_page.post(PAGE, form_for(dovecot, mailbox_account, password=""))
    bad = manager_page.post(
        PAGE, form_for(dovecot, mailbox_account, port="0", processed="ailleurs", since="hier")
    )

    assert (no_password.status_code, bad.status_code) == (400, 400)
    assert "Indiquez le mot de passe de la boîte." in no_password.content.decode()
    assert "supérieure ou égale à 1" in bad.content.decode()
    assert not Mailbox.objects.exists()


def test_a_manager_sees_and_changes_only_their_own_organisation_s_mailbox(
    organisation, other_organisation, manager_page, dovecot, two_accounts
):
    ours, theirs = two_accounts
    set_mailbox(other_organisation, dovecot, theirs, folder="Dossier-de-B")

    page = manager_page.get(PAGE).content.decode()
    manager_page.post(PAGE, form_for(dovecot, ours))

    assert theirs.user not in page and "Dossier-de-B" not in page
    assert "Aucune boîte n'est relevée pour cet organisme" in page
    theirs_row = Mailbox.objects.get(organisation=other_organisation)
    assert (theirs_row.user, theirs_row.folder) == (theirs.user, "Dossier-de-B")
    assert Mailbox.objects.get(organisation=organisation).user == ours.user
    assert not ComplaintEvent.objects.filter(
        organisation=other_organisation, event_type=EventType.SETTINGS_CHANGED, actor__isnull=False
    ).exists()


def test_a_referent_cannot_reach_the_mailbox_page(referent):
    client = verified_login(Client(), referent)

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"host": "imap.example.fr"}).status_code == 403
    assert not Mailbox.objects.exists()


def test_the_platform_shows_each_organisation_s_mailbox(
    organisation, other_organisation, dovecot, two_accounts, settings
):
    from reclamations.core.superadmins import superadmin_create
    from reclamations.core.users import password_chosen

    ours, theirs = two_accounts
    set_mailbox(organisation, dovecot, ours, password="mauvais")
    set_mailbox(other_organisation, dovecot, theirs)
    with pytest.raises(MailboxError):
        fetch_all_mail()
    Organisation.objects.create(name="Sans boîte")
    superadmin = superadmin_create(username="plateforme", email="p@example.fr").account
    password_chosen(user=superadmin)

    page = verified_login(Client(), superadmin).get(reverse("platform")).content.decode()

    assert "Boîte des réclamations" in page
    assert "<strong>en erreur depuis le" in page
    assert "Connexion IMAP refusée pour" in page
    assert "relevée, dernière relève le" in page
    assert "aucune" in page


def test_an_english_manager_reads_why_the_test_failed_in_english(
    manager, manager_page, dovecot, mailbox_account
):
    manager.language = "en"
    manager.save(update_fields=["language"])

    wrong = manager_page.post(
        PAGE, {**form_for(dovecot, mailbox_account, password="mauvais"), "tester": "1"}
    )

    shown = html.unescape(wrong.content.decode())
    assert f"Connection failed: IMAP login refused for {mailbox_account.user}: check the " in shown
    assert "check the mailbox's login and password (Settings page, Complaints mailbox)" in shown
    assert "Connexion IMAP refusée" not in shown


def test_what_the_server_refused_is_said_in_english_too():
    refusal = ("NO", [b"[NOPERM] Permission denied"])

    with pytest.raises(MailboxError) as raised:
        checked(refusal, Phrase(gettext_noop("ouvrir %(folder)s"), {"folder": "Absent"}))

    error = raised.value
    assert str(error) == ("Le serveur IMAP a refusé « ouvrir Absent » : [NOPERM] Permission denied")
    with override("en"):
        assert error.text(gettext) == (
            "The IMAP server refused “open Absent”: [NOPERM] Permission denied"
        )
        # As the banner says it again from what the organisation kept.
        assert said(from_json(as_json(error.parts)), gettext) == error.text(gettext)
