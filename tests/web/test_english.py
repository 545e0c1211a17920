"""The staff pages in English (issue 12): a user who chose English reads no French on the pages
translated so far. Each page is rendered as that user, with data typed in English, and its text
is searched for every French message of the catalogue (reclamations/locale/en) left
untranslated, for words with French accents and for common French words.

The pages not translated yet are listed in NOT_TRANSLATED_YET, which a test compares with the
staff pages that exist: translating one moves it from that list to the pages checked."""

import gettext
import html
import re
import urllib.parse
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from reclamations.complaints.actions import ACTIONS, Action
from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.models import ImprovementAction
from reclamations.complaints.organisation_events import organisation_procedure_publish
from reclamations.complaints.services import complaint_apply
from reclamations.core.models import AccessRecord, Organisation, SecurityRecord, User
from reclamations.core.roles import Role
from reclamations.core.security_events import SecurityEvent
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_dismiss
from reclamations.privacy.models import DataRequest
from reclamations.privacy.requests import (
    NewDataRequest,
    data_request_create,
    data_request_decide,
)
from reclamations.web import urls as staff_urls
from tests.accounts import verified_login
from tests.factories import make_complaint
from tests.web.english_admin_pages import ADMIN_PAGES

CATALOGUE_FILE = Path("reclamations/locale/en/LC_MESSAGES/django.mo")

pytestmark = [
    pytest.mark.usefixtures("clock"),
    pytest.mark.skipif(
        not CATALOGUE_FILE.exists(),
        reason="traductions non compilées (msgfmt : apt-get install gettext)",
    ),
]

# Staff pages not translated yet (issue 12, next parts), by URL name.
NOT_TRANSLATED_YET: set[str] = set()
# Addresses that are no page of their own: files (always in French, the organisation's
# records), redirections after a POST, the logout.
NOT_PAGES = {
    "annual_synthesis",
    "audit_pack",
    "improvement_plan_export",
    "register_import_file",
    "journal_export",
    "security_journal_export",
    "statistics_pdf",
    "triage_raw",
    "api_token_create",
    "complaint_file",
    "document_download",
    "logout",
    "password_change",
    "recovery_codes_new",
    "register_export",
    "two_factor_off",
    "account_language",
}

ACCENTED_WORD = re.compile(r"\b\w*[àâçéèêëîïôûùüÿœ]\w*\b", re.IGNORECASE)
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|du|une|est|sont|pour|avec|dans|sur|pas|aucun|aucune|votre|vous|"
    r"nous|ou|et|au|aux|ce|cette|par|qui|que)\b"
)
Render = Callable[[Client, Organisation, User], str]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalogue() -> dict[str, str]:
    with CATALOGUE_FILE.open("rb") as file:
        translations = gettext.GNUTranslations(file)
    return {
        msgid: msgstr
        for msgid, msgstr in translations._catalog.items()  # type: ignore[attr-defined]
        if isinstance(msgid, str) and msgid
    }


def _fragments(message: str) -> list[str]:
    """The fixed parts of a message as a page shows them: tags and placeholders removed."""
    text = re.sub(r"<[^>]+>", " ", message)
    parts = (re.sub(r"\s+", " ", part).strip(" :;,.") for part in PLACEHOLDER.split(text))
    # A part of a few letters ("Le", "à") would match English words or names by chance.
    return [part for part in parts if len(part) >= 4 and re.search(r"[^\W\d_]{4}", part)]


@cache  # the catalogue is the same for the whole run: thousands of searches, once
def _french_fragments() -> tuple[str, ...]:
    """The French parts of the catalogue's messages, less those that read the same in English
    ("Cause", "Version", "Description"): they are found in an English translation."""
    catalogue = _catalogue()
    english = " | ".join(catalogue.values())
    return tuple(
        sorted(
            {
                fragment
                for msgid, msgstr in catalogue.items()
                if msgid != msgstr
                for fragment in _fragments(msgid)
                if fragment not in english
                or not re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", english)
            }
        )
    )


def page_text(page: str) -> str:
    """What a reader meets: the visible text, and the labels of attributes screen readers and
    tooltips read."""
    page = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    # What is marked as French on purpose: a language named in itself ("Français").
    page = re.sub(r'<(\w+)\b[^>]*\blang="fr"[^>]*>.*?</\1>', " ", page, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    visible = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(" ".join([visible, *attributes])))


def french_left(page: str) -> list[str]:
    """The catalogue's French messages, accented words and French words the page shows."""
    text = page_text(page)
    found = []
    for fragment in _french_fragments():
        # The substring first: a regular expression per fragment (thousands) only where it
        # may match, which keeps each page's check to milliseconds.
        if fragment in text and re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text):
            found.append(f"message « {fragment} »")
    found += [f"mot « {word} »" for word in ACCENTED_WORD.findall(text)]
    found += [f"mot « {word} »" for word in FRENCH_WORDS.findall(text)]
    return sorted(set(found))


@pytest.fixture
def english(organisation: Organisation, referent: User) -> User:
    """The referent, who chose English; the organisation's own texts written in English."""
    organisation.procedure_version = "CCS complaints procedure v1"
    organisation.cause_list = ["Planning", "Course content"]
    organisation.save(update_fields=["procedure_version", "cause_list"])
    referent.language = "en"
    referent.first_name, referent.last_name = "Alex", "Taylor"
    referent.save(update_fields=["language", "first_name", "last_name"])
    return referent


@pytest.fixture
def english_client(english: User) -> Client:
    client = Client()
    verified_login(client, english)
    return client


ENGLISH_COMPLAINT = {
    "client_name": "Jane Smith",
    "client_account": "ACME Ltd",
    "description": "Three sessions were cancelled without notice.",
    "client_email": "jane.smith@example.org",
    "client_address": "12 High Street\nBristol BS1 4DJ",
    "training": "Spreadsheet basics",
    "session": "March 2026",
    "trainer": "Sam Brown",
    "funder": "ACME Ltd",
    "remedy_sought": "A new session.",
}


# A complaint's life, its texts typed in English.
ENGLISH_ACTIONS = [
    ("add_note", {"text": "Called the client back."}),
    ("analyse_cause", {"cause": "Planning", "cause_analysis": "The trainer was double-booked."}),
    (
        "reply",
        {
            "resolution": "Three make-up sessions scheduled.",
            "channel": "email",
            "text": "We offer you three make-up sessions.",
            "outcome": "granted",
        },
    ),
    ("close", {"outcome": "granted", "client_acceptance": "accepted"}),
]


def _register(client: Client, organisation: Organisation, user: User) -> str:
    make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    complaint = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS[:3]:
        complaint_apply(complaint=complaint, actor=user, action=action, data=data)
    return client.get(reverse("register")).content.decode()


def _register_empty(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("register")).content.decode()


def _register_filtered_wrong(client: Client, organisation: Organisation, user: User) -> str:
    make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    return client.get(reverse("register"), {"status": "nope", "q": "nothing"}).content.decode()


def _my_work(client: Client, organisation: Organisation, user: User) -> str:
    long_ago = timezone.now() - timedelta(days=30)
    make_complaint(organisation, user, received_at=long_ago, **ENGLISH_COMPLAINT)  # overdue
    make_complaint(organisation, user, **ENGLISH_COMPLAINT)  # due in ten working days: not listed
    replied = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS[:3]:
        complaint_apply(complaint=replied, actor=user, action=action, data=data)
    return client.get(reverse("my_work")).content.decode()


def _my_work_empty(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("my_work")).content.decode()


def _complaint_new(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("complaint_new")).content.decode()


def _complaint_new_errors(client: Client, organisation: Organisation, user: User) -> str:
    return client.post(reverse("complaint_new"), {"channel": "fax"}).content.decode()


def _complaint_detail(client: Client, organisation: Organisation, user: User) -> str:
    complaint = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS:
        complaint_apply(complaint=complaint, actor=user, action=action, data=data)
    return client.get(reverse("complaint_detail", args=[complaint.reference])).content.decode()


def _complaint_detail_open(client: Client, organisation: Organisation, user: User) -> str:
    complaint = make_complaint(organisation, user, **{**ENGLISH_COMPLAINT, "client_account": ""})
    return client.get(reverse("complaint_detail", args=[complaint.reference])).content.decode()


def _account(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("account")).content.decode()


def _two_factor_enrol(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("two_factor_enrol_optional")).content.decode()


def _action_refused(client: Client, organisation: Organisation, user: User) -> str:
    complaint = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS:
        complaint_apply(complaint=complaint, actor=user, action=action, data=data)
    url = reverse("complaint_action", args=[complaint.reference, Action.REPLY])
    return client.get(url).content.decode()


ENGLISH_REPLY = {
    "resolution": "Three make-up sessions scheduled.",
    "text": "We offer you three make-up sessions.",
    "outcome": "granted",
}
# What a complaint goes through (its registration's channel, then the actions taken) before
# each action of the registry can be taken: every action's form is rendered.
REPLIED = [("reply", {**ENGLISH_REPLY, "channel": "email"})]
ACTION_STATES: dict[str, tuple[str, list[tuple[str, dict[str, str]]]]] = {
    "request_confirmation": ("phone", []),
    "record_confirmation": ("phone", []),
    "request_information": ("email", []),
    "record_information": (
        "email",
        [("request_information", {"missing": "The training dates.", "sent_via": "phone"})],
    ),
    "update_details": ("email", []),
    "add_action": ("email", []),
    "analyse_cause": ("email", []),
    "add_note": ("email", []),
    "add_document": ("email", []),
    "reply": ("email", []),
    "declare_not_admissible": ("email", []),
    "send_acknowledgement": ("email", []),
    "send_progress": ("email", []),
    "record_delivery": (
        "email",
        [("reply", {**ENGLISH_REPLY, "channel": "letter", "registered_number": "1A 234"})],
    ),
    "record_posting": ("email", [("reply", {**ENGLISH_REPLY, "channel": "letter"})]),
    "close": ("email", REPLIED),
    "escalate_mediation": ("email", REPLIED),
    "record_mediation_outcome": (
        "email",
        [*REPLIED, ("escalate_mediation", {"mediator": "Training Mediation Service"})],
    ),
    "escalate_litigation": ("email", REPLIED),
    "record_litigation_outcome": (
        "email",
        [*REPLIED, ("escalate_litigation", {"court": "Bristol County Court"})],
    ),
    "reopen": ("email", [*REPLIED, ("close", {"outcome": "granted"})]),
    "send_closure_certificate": ("email", [*REPLIED, ("close", {"outcome": "granted"})]),
}


def _action_form(action: str, *, post: dict[str, str] | None = None) -> Render:
    """The form of `action` on a complaint brought where it can be taken; posted with `post`
    (its errors shown) when given."""

    def render(client: Client, organisation: Organisation, user: User) -> str:
        channel, steps = ACTION_STATES[action]
        complaint = make_complaint(organisation, user, **{**ENGLISH_COMPLAINT, "channel": channel})
        for step, data in steps:
            complaint_apply(complaint=complaint, actor=user, action=step, data=data)
        url = reverse("complaint_action", args=[complaint.reference, action])
        response = client.get(url) if post is None else client.post(url, post)
        assert response.status_code == (200 if post is None else 400), response.status_code
        return response.content.decode()

    render.__name__ = f"{action}{'_errors' if post is not None else ''}"
    return render


# Forms posted wrong: the messages of the inputs' declarations and of the actions' plans.
ACTION_ERRORS = {
    "reply": {"channel": "fax", "outcome": "nope", "replied_on": "2001-01-01", "text": ""},
    "add_action": {"description": "", "done_on": "2999-01-01", "done_by": "x" * 201},
    "analyse_cause": {"cause": "Weather"},
    "request_information": {"missing": "", "sent_via": "pigeon", "sent_on": "not a date"},
    "update_details": {"received_date": "", "reason": ""},
    "close": {"outcome": "", "closed_on": "2001-01-01"},
    "record_posting": {"letter": "999", "posted_on": "2001-01-01"},
}


def _english_email(number: int, subject: str) -> bytes:
    """A message in English that is no complaint: it waits in the triage inbox."""
    return (
        f"From: Jane Smith <jane{number}@example.org>\r\n"
        f"Subject: {subject}\r\n"
        f"Message-ID: <question-{number}@example.org>\r\n"
        "Date: Mon, 26 Oct 2026 09:00:00 +0000\r\n"
        "\r\n"
        "Is the March session still on? Please let me know.\r\n"
    ).encode()


def _waiting(organisation: Organisation, number: int = 1) -> InboundEmail:
    intake_process(
        organisation=organisation,
        raw=_english_email(number, "Question about the March session"),
        arrived_at=None,
        source=IntakeSource.EML,
    )
    return InboundEmail.objects.get(message_id=f"<question-{number}@example.org>")


def _triage(client: Client, organisation: Organisation, user: User) -> str:
    _waiting(organisation, 1)
    dismissed = _waiting(organisation, 2)
    triage_dismiss(inbound=dismissed, actor=user, reason="Advertising.")
    return client.get(reverse("triage")).content.decode()


def _triage_empty(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("triage")).content.decode()


def _triage_message(client: Client, organisation: Organisation, user: User) -> str:
    inbound = _waiting(organisation)
    return client.get(reverse("triage_message", args=[inbound.pk])).content.decode()


def _triage_message_dismissed(client: Client, organisation: Organisation, user: User) -> str:
    inbound = _waiting(organisation)
    triage_dismiss(inbound=inbound, actor=user, reason="Advertising.")
    return client.get(reverse("triage_message", args=[inbound.pk])).content.decode()


def _triage_decision(name: str, data: dict[str, str]) -> Render:
    """A decision posted wrong: the message's page again, with the form's errors."""

    def render(client: Client, organisation: Organisation, user: User) -> str:
        inbound = _waiting(organisation)
        response = client.post(reverse(name, args=[inbound.pk]), data)
        assert response.status_code == 400
        return response.content.decode()

    render.__name__ = name
    return render


def _english_manager(organisation: Organisation) -> tuple[Client, User]:
    """A manager who chose English, logged in (the pages of the users' menu are theirs)."""
    manager = User(
        username="robin.lee",
        role=Role.MANAGER,
        organisation=organisation,
        first_name="Robin",
        last_name="Lee",
        email="robin.lee@example.org",
        language="en",
    )
    manager.set_unusable_password()
    manager.save()
    return verified_login(Client(), manager), manager


def _journal(client: Client, organisation: Organisation, user: User) -> str:
    complaint = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS:
        complaint_apply(complaint=complaint, actor=user, action=action, data=data)
    return client.get(reverse("journal")).content.decode()


def _journal_filtered_wrong(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("journal"), {"recorded_from": "nope", "actor": "x"}).content.decode()


def _access_journal(client: Client, organisation: Organisation, user: User) -> str:
    auditor = User.objects.create(
        username="kim.auditor", role=Role.AUDITOR, organisation=organisation, first_name="Kim"
    )
    AccessRecord.objects.create(
        organisation=organisation,
        user=auditor,
        at=timezone.now(),
        method="GET",
        path="/journal/",
        status=200,
    )
    manager_client, _manager = _english_manager(organisation)
    return manager_client.get(reverse("access_journal")).content.decode()


def _access_journal_empty(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    return manager_client.get(reverse("access_journal")).content.decode()


def _security_journal(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    for kind in SecurityEvent.values:
        SecurityRecord.objects.create(
            organisation=organisation,
            user=manager,
            username=manager.username,
            kind=kind,
            at=timezone.now(),
            address="203.0.113.7",
        )
    return manager_client.get(reverse("security_journal")).content.decode()


def _security_journal_filtered(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    query = {"kind": "token_created", "since": "wrong"}
    return manager_client.get(reverse("security_journal"), query).content.decode()


ENGLISH_PROCEDURE = "1. Any dissatisfaction a client expresses is a complaint.\n2. We reply."


def _published(organisation: Organisation, manager: User, label: str, day: date) -> None:
    organisation_procedure_publish(
        organisation=organisation,
        text=ENGLISH_PROCEDURE,
        label=label,
        in_force_from=day,
        actor=manager,
    )


def _procedure(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    today = timezone.localdate()
    _published(organisation, manager, "Procedure v1", today)
    _published(organisation, manager, "Procedure v2", today + timedelta(days=30))
    return manager_client.get(reverse("procedure")).content.decode()


def _procedure_none(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("procedure")).content.decode()


def _procedure_version(client: Client, organisation: Organisation, user: User) -> str:
    _manager_client, manager = _english_manager(organisation)
    today = timezone.localdate()
    _published(organisation, manager, "Procedure v1", today)
    _published(organisation, manager, "Procedure v2", today + timedelta(days=30))
    return client.get(reverse("procedure_version", args=[2])).content.decode()


def _procedure_new(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    _published(organisation, manager, "Procedure v1", timezone.localdate())
    return manager_client.get(reverse("procedure_new")).content.decode()


def _procedure_new_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    _published(organisation, manager, "Procedure v1", timezone.localdate())
    data = {"label": "Procedure v1", "in_force_from": "2001-01-01", "text": " "}
    return manager_client.post(reverse("procedure_new"), data).content.decode()


def _data_request(organisation: Organisation, manager: User, kind: str) -> DataRequest:
    return data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=kind,
            person_name="Jane Smith",
            person_email="jane.smith@example.org",
            received_on=timezone.localdate(),
            notes="Asked by phone; identity checked.",
        ),
    )


def _data_requests(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    _data_request(organisation, manager, "access")
    answered = _data_request(organisation, manager, "objection")
    data_request_decide(
        request=answered,
        actor=manager,
        decision="refused",
        reason="Legitimate grounds to keep the data.",
        decided_on=timezone.localdate(),
        keep=[],
    )
    return manager_client.get(reverse("data_requests")).content.decode()


def _data_requests_empty(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    return manager_client.get(reverse("data_requests")).content.decode()


def _data_request_new(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    return manager_client.get(reverse("data_request_new")).content.decode()


def _data_request_new_errors(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    data = {"kind": "", "person_name": "", "person_email": "nope", "received_on": "2999-01-01"}
    return manager_client.post(reverse("data_request_new"), data).content.decode()


def _data_request_detail(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, manager = _english_manager(organisation)
    make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    open_one = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    complaint_apply(complaint=open_one, actor=user, action="add_note", data={"text": "Called."})
    item = _data_request(organisation, manager, "erasure")
    return manager_client.get(reverse("data_request_detail", args=[item.pk])).content.decode()


def _data_request_step(name: str, data: dict[str, str]) -> Render:
    """A step of a request posted wrong: the request's page again, the step's form open."""

    def render(client: Client, organisation: Organisation, user: User) -> str:
        manager_client, manager = _english_manager(organisation)
        item = _data_request(organisation, manager, "erasure")
        response = manager_client.post(reverse(name, args=[item.pk]), data)
        assert response.status_code == 400
        return response.content.decode()

    render.__name__ = name
    return render


def _personal_data(client: Client, organisation: Organisation, user: User) -> str:
    manager_client, _manager = _english_manager(organisation)
    return manager_client.get(reverse("personal_data")).content.decode()


def _improvement(organisation: Organisation, user: User, title: str) -> ImprovementAction:
    complaint = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    return improvement_create(
        organisation=organisation,
        actor=user,
        new=NewImprovement(
            title=title,
            description="Book trainers a week ahead and keep a back-up list.",
            complaints=[complaint.reference],
            cause="Planning",
            owner=user.pk,
            due_date=timezone.localdate() + timedelta(days=30),
        ),
    )


def _improvement_list(client: Client, organisation: Organisation, user: User) -> str:
    _improvement(organisation, user, "Plan trainers ahead")
    done = _improvement(organisation, user, "Check the rooms")
    improvement_apply(
        action=done, actor=user, step="record_done", data={"done_summary": "Rooms checked."}
    )
    return client.get(reverse("improvement_list")).content.decode()


def _improvement_list_empty(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("improvement_list"), {"status": "overdue"}).content.decode()


def _improvement_detail(client: Client, organisation: Organisation, user: User) -> str:
    action = _improvement(organisation, user, "Plan trainers ahead")
    improvement_apply(action=action, actor=user, step="start", data={"comment": "Started."})
    improvement_apply(
        action=action, actor=user, step="record_done", data={"done_summary": "Back-up list made."}
    )
    url = reverse("improvement_detail", args=[action.reference])
    return client.get(url).content.decode()


def _improvement_new(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("improvement_new")).content.decode()


def _improvement_new_errors(client: Client, organisation: Organisation, user: User) -> str:
    data = {"title": "", "source": "complaints", "complaints": "REC-1999-1", "due_date": "x"}
    return client.post(reverse("improvement_new"), data).content.decode()


def _improvement_edit(client: Client, organisation: Organisation, user: User) -> str:
    action = _improvement(organisation, user, "Plan trainers ahead")
    url = reverse("improvement_edit", args=[action.reference])
    return client.get(url).content.decode()


def _improvement_step(client: Client, organisation: Organisation, user: User) -> str:
    action = _improvement(organisation, user, "Plan trainers ahead")
    url = reverse("improvement_step", args=[action.reference, "abandon"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    return response.content.decode()


def _login(client: Client, organisation: Organisation, user: User) -> str:
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    return anonymous.post(reverse("login"), {"username": "", "password": ""}).content.decode()


def _anonymous_in_english(name: str, *args: str) -> Render:
    def render(client: Client, organisation: Organisation, user: User) -> str:
        anonymous = Client()
        anonymous.cookies["django_language"] = "en"
        return anonymous.get(reverse(name, args=args)).content.decode()

    render.__name__ = name
    return render


def _as_manager(client: Client, user: User) -> None:
    """The English user made the organisation's manager (who needs a second factor)."""
    user.role = Role.MANAGER
    user.save(update_fields=["role"])
    verified_login(client, user)


def _mailbox(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    return client.get(reverse("organisation_mailbox")).content.decode()


def _mailbox_errors(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    # What the form refuses, and what the service refuses (no password stored or typed).
    client.post(reverse("organisation_mailbox"), {"port": "0"})
    return client.post(
        reverse("organisation_mailbox"),
        {
            "host": "imap.example.org",
            "port": "993",
            "security": "ssl",
            "user": "complaints@example.org",
            "folder": "INBOX",
            "processed": "flag",
            "auth": "password",
            "oauth_provider": "microsoft",
            "oauth_grant": "authorization_code",
        },
    ).content.decode()


def _mailbox_saved(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={"host": "imap.example.org", "user": "complaints@example.org", "active": False},
        secrets={"password": "not-shown"},
    )
    return client.get(reverse("organisation_mailbox")).content.decode()


def _oauth_mailbox(organisation: Organisation) -> None:
    """The organisation's mailbox on Microsoft 365, waiting for its owner's consent."""
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={
            "host": "outlook.office365.com",
            "user": "complaints@example.org",
            "auth": "oauth2",
            "oauth_provider": "microsoft",
            "oauth_client_id": "an-application",
            "oauth_grant": "authorization_code",
        },
        secrets={},
    )


def _mailbox_to_connect(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    _oauth_mailbox(organisation)
    return client.get(reverse("organisation_mailbox")).content.decode()


def _consent_without_oauth(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    return client.post(reverse("mailbox_consent_start"), follow=True).content.decode()


def _consent_return_unasked(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    return client.get(reverse("mailbox_consent_return"), follow=True).content.decode()


def _consent_refused(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    _oauth_mailbox(organisation)
    provider = client.post(reverse("mailbox_consent_start"))["Location"]
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(provider).query))["state"]
    return client.get(
        reverse("mailbox_consent_return"),
        {"error": "access_denied", "state": state},
        follow=True,
    ).content.decode()


def _help(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("help")).content.decode()


def _help_page(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("help_page", args=["auditeur"])).content.decode()


def _help_shortcuts(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("help_shortcuts")).content.decode()


def _statistics(client: Client, organisation: Organisation, user: User) -> str:
    """Every kind of line: months, a list's codes, blanks, the trainings beyond the ten most
    frequent, the open complaints by age, the clients who came back."""
    for number in range(12):  # twelve trainings: ten named, the rest together
        make_complaint(
            organisation,
            user,
            **{
                **ENGLISH_COMPLAINT,
                "training": f"Course {number}",
                "category": "pedagogy",
                "funding": "company",
                "trainer": "" if number % 2 else "Sam Brown",
            },
        )
    closed = make_complaint(organisation, user, **ENGLISH_COMPLAINT)
    for action, data in ENGLISH_ACTIONS:
        complaint_apply(complaint=closed, actor=user, action=action, data=data)
    return client.get(reverse("statistics")).content.decode()


def _statistics_scoped_wrong(client: Client, organisation: Organisation, user: User) -> str:
    """No complaint in the scope, the dates reversed: the empty charts and the period's error."""
    query = {"start": "2026-10-01", "end": "2026-01-01", "trainer": "Nobody", "cause": "Planning"}
    return client.get(reverse("statistics"), query).content.decode()


def _statistics_too_long(client: Client, organisation: Organisation, user: User) -> str:
    query = {"start": "2001-01-01", "end": "2026-01-01"}
    return client.get(reverse("statistics"), query).content.decode()


def _statistics_year_to_come(client: Client, organisation: Organisation, user: User) -> str:
    """The annual synthesis of a year to come: refused, back on the statistics page."""
    url = reverse("annual_synthesis")
    return client.get(url, {"annee": "2999"}, follow=True).content.decode()


def _statistics_year_wrong(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(reverse("annual_synthesis"), {"annee": "x"}, follow=True).content.decode()


# A register kept in English: the columns chosen by hand (their titles are English), lines
# with errors of every kind the reading finds without listing the register's French words.
ENGLISH_REGISTER = (
    b"Ref;Received;Client;Subject;Replied\r\n"
    b"A-1;14/03/2026;Jane Smith;Late start;20/03/2026\r\n"
    b"A-2;15/03/2026;John Doe;No handouts;\r\n"
    b"A-2;16/03/2026;John Doe;No handouts again;\r\n"
    b"A-3;31/02/2026;Ann Lee;Room too small;\r\n"
    b"A-4;14/03/2099;Ann Lee;Room too cold;\r\n"
    b"A-5;14/03/2026;Sam Brown;Trainer late;01/03/2026\r\n"
    b";;Kim Park;No date given;\r\n"
)
ENGLISH_MAPPING = {
    "column_0": "reference",
    "column_1": "received_on",
    "column_2": "client_name",
    "column_3": "subject",
    "column_4": "replied_on",
    "default_channel": "email",
}


def _english_register(client: Client, user: User) -> str:
    """The English register uploaded as the manager the English user became: its mapping's
    address."""
    _as_manager(client, user)
    register = SimpleUploadedFile("complaints-2026.csv", ENGLISH_REGISTER, "text/csv")
    response = client.post(reverse("register_import"), {"file": register})
    assert response.status_code == 302, response.status_code
    return response["Location"]


def _mapping_posted(client: Client, mapping_url: str, data: dict[str, str]) -> HttpResponse:
    """The mapping `data` posted on the columns the page read."""
    page = client.get(mapping_url)
    return client.post(mapping_url, {**data, **_hidden(page.context["form"])})


def _register_import(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    return client.get(reverse("register_import")).content.decode()


def _register_import_refused(client: Client, organisation: Organisation, user: User) -> str:
    _as_manager(client, user)
    empty = SimpleUploadedFile("complaints.csv", b"", "text/csv")
    response = client.post(reverse("register_import"), {"file": empty})
    assert response.status_code == 400
    return response.content.decode()


def _register_import_done(client: Client, organisation: Organisation, user: User) -> str:
    """After an import: the list of the registers imported."""
    _import_mapping_imported(client, organisation, user)
    return client.get(reverse("register_import")).content.decode()


def _hidden(form: forms.Form) -> dict[str, str]:
    """What the page carries from one step to the next (the columns read, the mapping
    simulated)."""
    return {field.html_name: str(field.value() or "") for field in form.hidden_fields()}


def _import_mapping(client: Client, organisation: Organisation, user: User) -> str:
    return client.get(_english_register(client, user)).content.decode()


def _import_mapping_wrong(client: Client, organisation: Organisation, user: User) -> str:
    """No date of reception chosen, a field given by two columns."""
    data = {**ENGLISH_MAPPING, "column_1": "", "column_4": "client_name", "step": "simulate"}
    return _mapping_posted(client, _english_register(client, user), data).content.decode()


def _import_mapping_simulated(client: Client, organisation: Organisation, user: User) -> str:
    """The dry run's report: lines to create, and every line in error."""
    data = {**ENGLISH_MAPPING, "step": "simulate"}
    return _mapping_posted(client, _english_register(client, user), data).content.decode()


def _import_mapping_imported(client: Client, organisation: Organisation, user: User) -> str:
    """Imported: the page of the register imported, and the import's summary."""
    mapping_url = _english_register(client, user)
    simulated = _mapping_posted(client, mapping_url, {**ENGLISH_MAPPING, "step": "simulate"})
    data = {**ENGLISH_MAPPING, **_hidden(simulated.context["form"]), "step": "import"}
    return client.post(mapping_url, data, follow=True).content.decode()


# Each translated page (by URL name), rendered in the states that show most of its text.
TRANSLATED: dict[str, list[Render]] = {
    "register": [_register, _register_empty, _register_filtered_wrong],
    "my_work": [_my_work, _my_work_empty],
    "complaint_new": [_complaint_new, _complaint_new_errors],
    "complaint_detail": [_complaint_detail, _complaint_detail_open],
    "account": [_account],
    "improvement_list": [_improvement_list, _improvement_list_empty],
    "improvement_detail": [_improvement_detail],
    "improvement_new": [_improvement_new, _improvement_new_errors],
    "improvement_edit": [_improvement_edit],
    "improvement_step": [_improvement_step],
    "data_requests": [_data_requests, _data_requests_empty],
    "data_request_new": [_data_request_new, _data_request_new_errors],
    "data_request_detail": [_data_request_detail],
    "data_request_decide": [
        _data_request_step("data_request_decide", {"decide-decision": "", "decide-reason": ""})
    ],
    "data_request_extend": [
        _data_request_step("data_request_extend", {"extend-months": "5", "extend-reason": ""})
    ],
    "data_request_edit": [
        _data_request_step("data_request_edit", {"edit-complaints": "REC-1999-9999"})
    ],
    "personal_data": [_personal_data],
    "procedure": [_procedure, _procedure_none],
    "procedure_version": [_procedure_version],
    "procedure_new": [_procedure_new, _procedure_new_errors],
    "journal": [_journal, _journal_filtered_wrong],
    "access_journal": [_access_journal, _access_journal_empty],
    "security_journal": [_security_journal, _security_journal_filtered],
    "triage": [_triage, _triage_empty],
    "triage_message": [_triage_message, _triage_message_dismissed],
    "triage_register": [
        _triage_decision("triage_register", {"kind": "not_admissible", "client_email": "nope"})
    ],
    "triage_attach": [_triage_decision("triage_attach", {"reference": ""})],
    "triage_dismiss": [_triage_decision("triage_dismiss", {"reason": ""})],
    "complaint_action": [
        *(_action_form(action) for action in ACTION_STATES),
        *(_action_form(action, post=data) for action, data in ACTION_ERRORS.items()),
        _action_refused,
    ],
    "two_factor_enrol_optional": [_two_factor_enrol],
    "login": [_login],
    "organisation_mailbox": [_mailbox, _mailbox_errors, _mailbox_saved, _mailbox_to_connect],
    # Redirections to the mailbox page, whose message says how the consent went.
    "mailbox_consent_start": [_consent_without_oauth],
    "mailbox_consent_return": [_consent_return_unasked, _consent_refused],
    # The guide itself is French (issue 13), marked lang="fr"; the pages around it translated.
    "help": [_help],
    "help_page": [_help_page],
    "help_shortcuts": [_help_shortcuts],
    "register_import": [_register_import, _register_import_refused, _register_import_done],
    "register_import_mapping": [
        _import_mapping,
        _import_mapping_wrong,
        _import_mapping_simulated,
        _import_mapping_imported,
    ],
    "statistics": [
        _statistics,
        _statistics_scoped_wrong,
        _statistics_too_long,
        _statistics_year_to_come,
        _statistics_year_wrong,
    ],
    "password_reset": [_anonymous_in_english("password_reset")],
    "password_reset_done": [_anonymous_in_english("password_reset_done")],
    "password_reset_complete": [_anonymous_in_english("password_reset_complete")],
    "password_reset_confirm": [_anonymous_in_english("password_reset_confirm", "MQ", "wrong")],
    # The manager's, the super-administrator's and the before-login pages (second part).
    **ADMIN_PAGES,
}
# Translated, but reached only in a state these tests do not set up yet (a second factor to
# enter, a provisional password, a role that requires two-factor authentication).
TRANSLATED_NOT_CHECKED_YET = {"login_code", "password_provisional", "two_factor_enrol"}
RENDERS = [
    pytest.param(render, id=f"{name}-{render.__name__.strip('_')}")
    for name, renders in TRANSLATED.items()
    for render in renders
]


@pytest.mark.parametrize("render", RENDERS)
def test_a_translated_page_shows_no_french_to_an_english_user(
    render: Render, english_client: Client, organisation: Organisation, english: User
):
    page = render(english_client, organisation, english)

    assert '<html lang="en">' in page
    assert french_left(page) == [], french_left(page)


def test_the_action_refused_page_reads_in_english(english_client, organisation, english):
    page = _action_refused(english_client, organisation, english)

    assert "Action not possible" in page_text(page)
    assert "Action « Reply to the client » impossible" in page_text(page)  # the domain's reason


def test_the_mailbox_s_consent_reads_in_english(english_client, organisation, english):
    to_connect = page_text(_mailbox_to_connect(english_client, organisation, english))
    refused = page_text(_consent_refused(english_client, organisation, english))

    assert "Mailbox not connected yet: the worker cannot read it." in to_connect
    assert "Connect to Microsoft 365" in to_connect
    assert (
        "The connection did not go through. Connection refused: the consent was not given at the "
        "provider." in refused
    )


def test_every_action_s_form_is_rendered_in_english():
    assert sorted(ACTION_STATES) == sorted(ACTIONS)


def _staff_page_names() -> set[str]:
    def names(patterns: list[URLPattern | URLResolver]) -> set[str]:
        found: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found |= names(pattern.url_patterns)
            elif pattern.name:
                found.add(pattern.name)
        return found

    return names(staff_urls.urlpatterns)


def test_every_staff_page_is_checked_in_english_or_listed_as_not_translated_yet():
    checked = set(TRANSLATED) | TRANSLATED_NOT_CHECKED_YET
    pages = _staff_page_names() - NOT_PAGES

    assert sorted(pages - checked) == sorted(NOT_TRANSLATED_YET)


def test_the_checker_finds_french_left_in_a_page():
    page = '<p>Registre des réclamations</p><p title="Jours restants">Due</p><p>Go: le cas</p>'

    assert french_left(page) == [
        "message « Jours restants »",
        "message « Registre des réclamations »",
        "message « Registre »",
        "mot « des »",
        "mot « le »",
        "mot « réclamations »",
    ]


def test_a_french_user_still_reads_french(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    page = referent_client.get(reverse("complaint_detail", args=[complaint.reference]))

    assert '<html lang="fr">' in page.content.decode()
    assert f"Réclamation {complaint.reference}" in page.content.decode()
