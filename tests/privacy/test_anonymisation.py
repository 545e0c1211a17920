"""Anonymising a complaint removes the client from everything the installation keeps (its row,
its events, its documents, the outbox's messages, the emails it came from, its search text),
keeps its line of the register, and leaves a register that still verifies (decision 0024)."""

from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from reclamations.complaints.anonymisation import (
    RetentionRefused,
    anonymise_complaint,
    archive_complaint,
)
from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.complaints.related import related_complaints
from reclamations.complaints.search import matching
from reclamations.complaints.services import complaint_apply
from reclamations.complaints.workflow import WorkflowError
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_register
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage
from reclamations.reporting.integrity import complaint_integrity, verify_all
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import compute
from tests.factories import REPLY, complaint_in_state, make_complaint
from tests.tampering import alter_event

TODAY = date(2031, 6, 1)
# What names Ondine, or holds her words: none of it may survive anywhere.
HER = (
    "Ondine Verhaeghe",
    "ondine.verhaeghe@example.net",
    "Capucines",
    "badge perdu",
    "convocation-ondine",
)


def _email(subject: str, body: str, attachment: bytes = b"") -> bytes:
    message = EmailMessage()
    message["From"] = "Ondine Verhaeghe <ondine.verhaeghe@example.net>"
    message["To"] = "reclamations@ccs-legal.fr"
    message["Subject"] = subject
    message["Message-ID"] = f"<{abs(hash(subject))}@example.net>"
    message.set_content(body)
    if attachment:
        message.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="convocation-ondine.pdf"
        )
    return message.as_bytes()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def hers(organisation, referent):
    """Ondine's complaint, from triage: an email with a PDF, registered by a person, replied to
    by email (delivered), closed; beside it, another client's complaint."""
    result = intake_process(
        organisation=organisation,
        raw=_email(
            "Question sur ma session",
            "Bonjour, mon badge perdu m'empêche d'entrer. Ondine Verhaeghe, 3 rue des Capucines.",
            PDF,
        ),
        arrived_at=None,
        source=IntakeSource.EML,
    )
    assert result.outcome == IntakeOutcome.TRIAGE
    complaint = triage_register(
        inbound=result.inbound,
        actor=referent,
        details={
            "client_name": "Ondine Verhaeghe",
            "client_email": "ondine.verhaeghe@example.net",
            "client_account": "CLI-007",
            "description": "Badge perdu, accès refusé deux fois.",
        },
    )
    complaint_apply(complaint=complaint, actor=referent, action="reply", data=REPLY)
    complaint_apply(
        complaint=complaint, actor=referent, action="close", data={"outcome": "granted"}
    )
    deliver_due()
    make_complaint(organisation, referent)  # Julie Martin's, untouched
    return Complaint.objects.get(pk=complaint.pk)


def _texts_everywhere() -> str:
    """Every text of every row of every table of the application, and every stored file."""
    found = []
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("reclamations."):
            continue
        names = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*names):
            found.append(repr(row))
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            found.append(path.read_bytes().decode("latin-1"))
    return "\n".join(found)


def test_nothing_names_the_client_once_her_complaint_is_anonymised(
    hers, django_capture_on_commit_callbacks
):
    everywhere = _texts_everywhere()
    assert all(trace in everywhere for trace in HER)  # the test sees where she was

    with django_capture_on_commit_callbacks(execute=True):  # its files go once committed
        anonymise_complaint(hers, actor=None, today=TODAY, reason="durée de conservation échue")

    everywhere = _texts_everywhere()
    assert [trace for trace in HER if trace in everywhere] == []
    assert "Julie Martin" in everywhere  # the other client's complaint is untouched


def test_the_register_line_and_what_the_statistics_read_stay(hers):
    before = Complaint.objects.values(
        "reference", "status", "channel", "received_at", "due_date", "replied_on",
        "replied_on_time", "outcome", "closed_on", "kind",
    ).get(pk=hers.pk)  # fmt: skip

    done = anonymise_complaint(hers, actor=None, today=TODAY, reason="durée de conservation échue")

    after = Complaint.objects.values(*before).get(pk=hers.pk)
    assert after == before
    hers.refresh_from_db()
    assert (hers.client_name, hers.client_email, hers.description) == (
        PLACEHOLDER,
        PLACEHOLDER,
        PLACEHOLDER,
    )
    assert hers.anonymised_on == TODAY
    assert done.event.event_type == EventType.ANONYMISED
    assert done.event.data["reason"] == "durée de conservation échue"
    # The email as received, its PDF, the reply's letter and the copy of the email sent.
    assert done.documents == Document.objects.filter(complaint=hers).count() == 4
    assert done.messages >= 1 and done.others == 1


def test_the_anonymised_register_verifies(hers):
    anonymise_complaint(hers, actor=None, today=TODAY, reason="durée de conservation échue")

    results = verify_all()

    assert [(r.organisation.name, r.ok, r.findings) for r in results] == [("CCS", True, ())]
    assert complaint_integrity(hers) == []


def test_its_events_and_the_triage_decision_are_redacted_and_attested(hers):
    done = anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")

    redacted = ComplaintEvent.objects.filter(redacted_by=done.event.sequence)
    assert redacted.filter(complaint=hers).count() == hers.events.count() - 1
    triage = redacted.get(event_type=EventType.TRIAGE_DECIDED)
    assert triage.data["subject"] == PLACEHOLDER and triage.data["outcome"]
    assert sorted(done.event.data["redacted_events"]) == sorted(
        str(sequence) for sequence in redacted.values_list("sequence", flat=True)
    )


def test_its_files_are_deleted_once_committed_and_the_rows_keep_their_fingerprints(
    hers, django_capture_on_commit_callbacks
):
    documents = list(Document.objects.filter(complaint=hers))
    paths = [Path(document.file.path) for document in documents]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")
    assert all(path.exists() for path in paths)  # kept while the change could roll back
    for callback in callbacks:
        callback()

    assert not any(path.exists() for path in paths)
    for document in Document.objects.filter(complaint=hers):
        assert (document.file.name, document.original_name) == ("", PLACEHOLDER)
        assert document.sha256 in {stored.sha256 for stored in documents}


def test_the_outbox_and_the_intake_keep_no_copy(hers):
    anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")

    for message in OutgoingMessage.objects.filter(complaint_link__complaint=hers):
        assert (message.to, message.subject, message.body_text) == (PLACEHOLDER,) * 3
    email = InboundEmail.objects.get(complaint=hers)
    assert (email.sender_address, email.subject, email.raw.name) == (PLACEHOLDER, PLACEHOLDER, "")
    assert email.message_id  # the same message fetched again is still known


def test_the_search_no_longer_finds_her(hers, referent):
    def found():
        return matching(Complaint.objects.all(), "Verhaeghe", organisation_id=hers.organisation_id)

    assert found().filter(pk=hers.pk).exists()

    anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")

    assert not found().exists()


def test_an_anonymised_or_archived_complaint_takes_no_more_action(hers, referent):
    anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")

    with pytest.raises(WorkflowError, match="anonymisée"):
        complaint_apply(complaint=hers, actor=referent, action="reopen", data={"reason": "x"})


def test_archiving_is_an_event_and_freezes_the_complaint(organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")

    event = archive_complaint(complaint, actor=None, today=TODAY)

    assert event.event_type == EventType.ARCHIVED
    assert complaint.archived_on == TODAY
    with pytest.raises(WorkflowError, match="archivée"):
        complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "x"})
    assert all(result.ok for result in verify_all())


def test_an_open_complaint_is_neither_archived_nor_anonymised(organisation, referent):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(RetentionRefused, match="en cours de traitement"):
        archive_complaint(complaint, actor=None, today=TODAY)
    with pytest.raises(RetentionRefused, match="clôturez-la"):
        anonymise_complaint(complaint, actor=None, today=TODAY, reason="retention")
    assert complaint.status != Status.CLOSED


def test_a_message_still_queued_postpones_the_anonymisation(organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")  # its reply not yet sent

    with pytest.raises(RetentionRefused, match="en file d'envoi"):
        anonymise_complaint(complaint, actor=None, today=TODAY, reason="retention")


def test_anonymising_twice_is_refused(hers):
    anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")

    with pytest.raises(RetentionRefused, match="déjà anonymisée"):
        anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")


@pytest.mark.tampered
def test_an_event_altered_before_is_not_laundered_by_the_anonymisation(hers):
    note = hers.events.order_by("sequence").last()
    alter_event(note, data={**note.data, "comment": "Ajouté hors de l'application."})

    with pytest.raises(RetentionRefused, match=f"l'événement n° {note.sequence}"):
        anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")
    assert Complaint.objects.get(pk=hers.pk).anonymised_on is None


@pytest.mark.tampered
def test_a_redacted_event_altered_afterwards_is_found(hers):
    done = anonymise_complaint(hers, actor=None, today=TODAY, reason="retention")
    registration = hers.events.get(event_type=EventType.REGISTERED)
    alter_event(registration, data={**registration.data, "channel": "phone"})

    report = next(r for r in verify_all() if r.organisation == hers.organisation).report

    assert report.broken_sequence == registration.sequence
    assert "anonymisé" in report.problem
    assert any("atteste" in problem for problem in complaint_integrity(hers))
    assert done.event.sequence > registration.sequence


@pytest.mark.tampered
def test_a_document_deleted_without_an_anonymisation_is_still_found(hers):
    document = Document.objects.filter(complaint=hers).first()
    Path(document.file.path).unlink()

    assert any("introuvable" in problem for problem in complaint_integrity(hers))


def test_the_statistics_are_the_same_and_the_placeholder_is_no_repeat_complainant(
    organisation, referent
):
    complaints = [complaint_in_state(organisation, referent, "closed") for _ in range(2)]
    deliver_due()
    period = Period(date(2020, 1, 1), date(2031, 12, 31))
    before = compute(organisation, period, today=TODAY)
    assert [(r.what, r.value) for r in before.repeats][:1] == [("client", "Julie Martin")]

    for complaint in complaints:
        anonymise_complaint(complaint, actor=None, today=TODAY, reason="retention")

    after = compute(organisation, period, today=TODAY)
    assert (after.received, after.replied, after.replied_on_time, after.breakdowns) == (
        before.received,
        before.replied,
        before.replied_on_time,
        before.breakdowns,
    )
    assert [r.what for r in after.repeats if r.what in ("client", "account")] == []


def test_anonymised_complaints_are_not_related_to_one_another(organisation, referent):
    complaints = [complaint_in_state(organisation, referent, "closed") for _ in range(2)]
    deliver_due()
    for complaint in complaints:
        anonymise_complaint(complaint, actor=None, today=TODAY, reason="retention")

    related = related_complaints(Complaint.objects.get(pk=complaints[0].pk), today=TODAY)

    assert [group.reason for group in related if group.value == PLACEHOLDER] == []
