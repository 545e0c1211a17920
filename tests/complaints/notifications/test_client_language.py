"""Each client's language (issue 12): recorded on the complaint, changed through the door (an
event of the chronology), and the messages to the client written in it; the staff e-mails in
each staff member's own language. What reaches the in-process SMTP server is what is read."""

import re
from datetime import datetime
from email.message import EmailMessage

import pytest
import time_machine
from django.urls import reverse

from reclamations.complaints.client_access import issue_link
from reclamations.complaints.client_requests import client_asks_for_news
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.wording import template_spec
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import IntakeSource
from reclamations.intake.services import intake_process
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import MessageTemplate, OutgoingMessage
from reclamations.outbox.services import message_template_save
from reclamations.portal.filing import confirm_pending, file_pending
from reclamations.reminders.services import reminder_settings_update, send_reminders
from reclamations.reporting.integrity import verify_all
from reclamations.web.forms.account import password_reset_send
from tests.clock import PARIS
from tests.factories import make_complaint
from tests.web.test_english import CATALOGUE_FILE, french_left

pytestmark = [
    pytest.mark.usefixtures("clock"),
    pytest.mark.skipif(
        not CATALOGUE_FILE.exists(),
        reason="traductions non compilées (msgfmt : apt-get install gettext)",
    ),
]

CLIENT = "jane.smith@example.org"
URL = re.compile(r"https?://\S+")


def english_words(text: str) -> list[str]:
    """What test_english finds French in `text`, less the links (a personal link's random
    part may spell "le" or "et")."""
    return french_left(URL.sub(" ", text))


@pytest.fixture
def english_organisation(organisation):
    """The organisation's own texts (its signature, mediator, court) typed in English, as
    test_english does for the pages: what the product writes is what is checked."""
    organisation.address = "1 Main Street\nBristol BS1 4DJ"
    organisation.referent_title = "Quality lead"
    organisation.mediator_name = "Consumer Mediation Service"
    organisation.mediator_address = "10 Park Lane, London"
    organisation.mediator_website = "https://mediation.example.org"
    organisation.court_name = "Commercial Court of Grasse"
    organisation.save()
    return organisation


def english_complaint(organisation, actor=None, **fields) -> Complaint:
    values = {
        "client_name": "Jane Smith",
        "client_account": "ACME Ltd",
        "client_email": CLIENT,
        "client_address": "12 High Street\nBristol BS1 4DJ",
        "description": "Three sessions were cancelled without notice.",
        "client_language": "en",
        **fields,
    }
    return make_complaint(organisation, actor, **values)


def test_an_english_client_gets_the_acknowledgement_in_english(smtp_server, english_organisation):
    complaint = english_complaint(english_organisation)

    deliver_due()

    (received,) = smtp_server.received
    assert received.subject == f"Acknowledgement of your complaint [{complaint.reference}]"
    body = received.body
    assert body.startswith("Dear Jane Smith,\n\nWe received your complaint on Monday 2 November")
    assert f"registered under the reference {complaint.reference}." in body
    assert "We will reply by Saturday 14 November 2026 at the latest." in body
    assert "simply reply to this message, keeping the reference" in body
    assert "Kind regards,\n\nFanny Maltese\nQuality lead" in body
    assert "Follow your complaint online (personal link, valid for" in body
    assert english_words(received.subject + "\n" + body) == []
    # The copy kept is what was sent, in English; the chronology's own words stay French.
    assert complaint.client_language == "en"
    sent = complaint.events.get(event_type=EventType.MESSAGE_SENT)
    with sent.document.file.open("rb") as stored:
        assert stored.read() == received.raw
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["email"] == f"accusé de réception en file d'envoi pour {CLIENT}"
    assert registered.data["fields"]["client_language"] == "en"


def test_a_french_client_is_written_to_in_french_and_registered_as_before(
    smtp_server, organisation
):
    complaint = make_complaint(organisation)

    deliver_due()

    (received,) = smtp_server.received
    assert received.subject == f"Accusé de réception de votre réclamation [{complaint.reference}]"
    assert "Nous vous répondrons au plus tard le samedi 14 novembre 2026." in received.body
    assert complaint.client_language == "fr"
    # French is the default: the registration event names no language, as before.
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert "client_language" not in registered.data["fields"]


def test_every_message_to_an_english_client_is_in_english(english_organisation, referent):
    complaint = english_complaint(english_organisation, referent, channel="letter")
    for action, data in (
        ("send_acknowledgement", {}),
        ("send_progress", {"note": "The trainer was heard today."}),
        (
            "reply",
            {
                "text": "The three sessions will be held again in March.",
                "resolution": "Sessions rescheduled.",
                "channel": "email",
                "outcome": "partly_granted",
            },
        ),
    ):
        complaint.refresh_from_db()
        complaint_apply(complaint=complaint, actor=referent, action=action, data=data)
    asked = english_complaint(english_organisation, referent, channel="letter")
    complaint_apply(
        complaint=asked,
        actor=referent,
        action="request_information",
        data={"missing": "Your training dates.", "sent_via": "email"},
    )

    messages = list(OutgoingMessage.objects.order_by("id"))
    assert [message.kind for message in messages] == [
        "acknowledgement",
        "progress",
        "reply",
        "information_request",
    ]
    for message in messages:
        assert english_words(message.subject + "\n" + message.body_text) == [], message.kind
    reply = messages[2]
    # What staff typed goes as typed; the wording around it and the recourse are English.
    assert reply.subject == f"Reply to your complaint [{complaint.reference}]"
    assert "The three sessions will be held again in March." in reply.body_text
    assert "refer the matter free of charge to the consumer mediator" in reply.body_text
    assert "Your opinion on how your complaint was handled (two minutes):" in reply.body_text
    assert "we need the following information:\n\nYour training dates." in messages[3].body_text


def test_an_edited_english_wording_is_used_for_english_clients_only(
    organisation, manager, referent
):
    message_template_save(
        organisation=organisation,
        actor=manager,
        spec=template_spec(organisation, ClientMessage.ACKNOWLEDGEMENT, language="en"),
        subject="We have your complaint [{{ reference }}]",
        body="Hello {{ client_name }}, {{ reference }} will be answered by {{ due_date }}.\n",
    )

    english = english_complaint(organisation, referent)
    french = make_complaint(organisation, referent)

    assert MessageTemplate.objects.get().language == "en"
    sent = {message.to: message for message in OutgoingMessage.objects.all()}
    assert sent[CLIENT].subject == f"We have your complaint [{english.reference}]"
    assert sent[CLIENT].body_text.startswith(
        f"Hello Jane Smith, {english.reference} will be answered by Saturday 14 November 2026.\n"
    )
    assert sent[french.client_email].subject == (
        f"Accusé de réception de votre réclamation [{french.reference}]"
    )


def test_the_english_default_is_used_when_only_the_french_wording_was_edited(
    english_organisation, manager, referent
):
    message_template_save(
        organisation=english_organisation,
        actor=manager,
        spec=template_spec(english_organisation, ClientMessage.ACKNOWLEDGEMENT),
        subject="Votre réclamation est bien arrivée [{{ reference }}]",
        body="Bonjour, réponse à {{ reference }} le {{ due_date }}.\n",
    )

    english = english_complaint(english_organisation, referent)
    french = make_complaint(english_organisation, referent)

    sent = {message.to: message for message in OutgoingMessage.objects.all()}
    assert sent[CLIENT].subject == f"Acknowledgement of your complaint [{english.reference}]"
    assert english_words(sent[CLIENT].body_text) == []
    assert sent[french.client_email].subject == (
        f"Votre réclamation est bien arrivée [{french.reference}]"
    )


def test_a_language_change_is_an_event_and_the_register_still_verifies(organisation, referent):
    complaint = make_complaint(organisation, referent)

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="update_details",
        data={"client_language": "en"},
    )

    complaint.refresh_from_db()
    assert complaint.client_language == "en"
    event = complaint.events.get(event_type=EventType.DETAILS_UPDATED)
    assert event.data["changes"] == {"client_language": ["fr", "en"]}
    complaint_apply(complaint=complaint, actor=referent, action="send_progress", data={})
    progress = OutgoingMessage.objects.filter(kind="progress").get()
    assert progress.subject == f"Progress of your complaint [{complaint.reference}]"
    assert "Here is where your complaint" in progress.body_text
    (result,) = verify_all()
    assert result.ok, result


@pytest.mark.tampered
def test_a_language_changed_behind_the_register_s_back_is_found(organisation, referent):
    complaint = english_complaint(organisation, referent)
    Complaint.objects.filter(pk=complaint.pk).update(client_language="fr")

    (result,) = verify_all()

    assert not result.ok
    assert "langue du client" in str(result.report) + " ".join(map(str, result.findings))


def test_the_client_s_switch_on_their_page_records_their_language(client, organisation):
    complaint = make_complaint(organisation, channel="letter")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]
    client.get(f"/suivi/{path}")
    client.post(f"/suivi/{path}")

    switched = client.post(
        reverse("portal_language"), {"language": "en", "next": reverse("portal_complaint")}
    )

    assert switched.status_code == 302
    assert switched["Location"] == reverse("portal_complaint")
    complaint.refresh_from_db()
    assert complaint.client_language == "en"
    event = complaint.events.get(event_type=EventType.DETAILS_UPDATED)
    assert event.actor is None
    assert event.data["changes"] == {"client_language": ["fr", "en"]}
    # Switching again to the same language records nothing more.
    client.post(reverse("portal_language"), {"language": "en"})
    assert complaint.events.filter(event_type=EventType.DETAILS_UPDATED).count() == 1
    (result,) = verify_all()
    assert result.ok, result


def test_the_switch_before_any_complaint_is_opened_records_nothing(client, organisation):
    complaint = make_complaint(organisation, channel="letter")

    response = client.post(reverse("portal_language"), {"language": "en", "next": "/suivi/"})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.client_language == "fr"


def test_an_email_in_english_by_its_content_language_is_registered_so(organisation):
    message = EmailMessage()
    message["From"] = f"Jane Smith <{CLIENT}>"
    message["To"] = "reclamations@ccs.fr"
    message["Subject"] = "Complaint / réclamation about my training"
    message["Message-ID"] = "<english@example.org>"
    message.set_content("Three sessions were cancelled without notice.")
    # After set_content, which drops every Content-* header it finds.
    message["Content-Language"] = "en-GB"

    result = intake_process(
        organisation=organisation, raw=message.as_bytes(), arrived_at=None, source=IntakeSource.EML
    )

    complaint = Complaint.objects.get(reference=result.reference)
    assert complaint.client_language == "en"
    acknowledgement = OutgoingMessage.objects.get(kind="acknowledgement")
    assert acknowledgement.subject.startswith("Acknowledgement of your complaint")


def test_the_portal_form_filed_in_english_registers_an_english_client(organisation):
    file_pending(
        organisation=organisation,
        fields={"client_name": "Jane Smith", "description": "Cancelled sessions."},
        email=CLIENT,
        files=[],
        ip="127.0.0.1",
        now=datetime.now(PARIS),
        language="en",
    )
    asking = OutgoingMessage.objects.get(kind="filing_confirm")
    assert asking.subject == "Confirm your complaint"
    assert english_words(asking.body_text) == []
    secret = URL.findall(asking.body_text)[0].rstrip("/").rsplit("/", 1)[-1]

    confirmed = confirm_pending(secret, datetime.now(PARIS))

    assert confirmed.complaint is not None
    assert confirmed.complaint.client_language == "en"


def _english_user(user, organisation):
    user.language = "en"
    user.save(update_fields=["language"])
    organisation.referent_email = user.email
    organisation.save(update_fields=["referent_email"])
    return user


def test_a_staff_reminder_to_an_english_user_is_in_english(organisation, referent, manager):
    _english_user(referent, organisation)
    received = datetime(2026, 11, 2, 10, tzinfo=PARIS)
    with time_machine.travel(received, tick=False):
        complaint = make_complaint(organisation, referent, received_at=received)

    with time_machine.travel(datetime(2026, 11, 12, 9, tzinfo=PARIS), tick=False):
        send_reminders()

    messages = list(
        OutgoingMessage.objects.filter(
            kind__in=["staff_reminder", "staff_digest"], to=referent.email
        ).order_by("id")
    )
    assert messages, "no reminder queued"
    reminder = messages[0]
    assert reminder.to == referent.email
    assert reminder.subject.startswith(f"Reminder: complaint {complaint.reference}")
    assert "Due date: Saturday 14 November 2026" in reminder.body_text
    for message in messages:
        assert english_words(message.subject + "\n" + message.body_text) == [], message.subject


def test_a_staff_reminder_goes_once_per_language(organisation, referent, manager):
    _english_user(referent, organisation)
    reminder_settings_update(organisation=organisation, include_managers=True)
    received = datetime(2026, 11, 2, 10, tzinfo=PARIS)
    with time_machine.travel(received, tick=False):
        complaint = make_complaint(organisation, referent, received_at=received)

    with time_machine.travel(datetime(2026, 11, 12, 9, tzinfo=PARIS), tick=False):
        send_reminders()

    reminders = {
        message.to: message.subject
        for message in OutgoingMessage.objects.filter(kind="staff_reminder")
    }
    assert reminders == {
        referent.email: f"Reminder: complaint {complaint.reference} to handle within 2 working "
        "days (Monday to Saturday)",
        manager.email: f"Rappel : réclamation {complaint.reference} à traiter sous 2 jours "
        "ouvrables",
    }


def test_a_notice_to_an_english_referent_is_in_english(organisation, referent):
    _english_user(referent, organisation)
    complaint = make_complaint(organisation, referent)
    client_asks_for_news(complaint=complaint, question="Any news?")

    notice = OutgoingMessage.objects.get(kind="staff_notice")
    assert notice.subject == (
        f"The client asks where their complaint stands [{complaint.reference}]"
    )
    assert english_words(notice.subject + "\n" + notice.body_text) == []


def test_the_password_reset_of_an_english_user_is_in_english(organisation, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    password_reset_send(user=referent)

    message = OutgoingMessage.objects.get()
    assert message.subject == f"New password for the complaints register of {organisation.name}"
    assert message.body_text.startswith("Hello,\n\nSomeone, probably you, asked")
    assert english_words(message.subject + "\n" + message.body_text) == []
