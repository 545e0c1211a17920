"""The retention run: what is due in each organisation is archived, then anonymised, on the
organisation's settings; what a mediation or a litigation holds is kept and named."""

from datetime import date
from email.message import EmailMessage
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.complaints.services import complaint_apply
from reclamations.core.localtime import local_date
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_dismiss
from reclamations.outbox.delivery import deliver_due
from reclamations.privacy.retention import run_retention
from reclamations.privacy.rules import add_months
from reclamations.reporting.integrity import verify_all
from reclamations.worker import JOBS
from tests.factories import complaint_in_state, make_complaint
from tests.tampering import alter_complaint


@pytest.fixture
def closed(organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")
    deliver_due()
    return complaint


def _on(complaint: Complaint, months: int) -> date:
    """The day `months` after the complaint's closure."""
    return add_months(complaint.closed_on, months)


def test_nothing_is_due_the_day_before_the_archiving(closed):
    report = run_retention(today=_on(closed, 11))

    assert (report.archived, report.anonymised, report.held) == ([], [], [])


def test_archived_after_its_months_then_anonymised_after_its_years(closed):
    archived = run_retention(today=_on(closed, 12))
    closed.refresh_from_db()

    assert archived.archived == [closed.reference]
    assert closed.archived_on == _on(closed, 12) and closed.anonymised_on is None

    assert run_retention(today=_on(closed, 59)).archived == []  # not twice
    anonymised = run_retention(today=_on(closed, 60))
    closed.refresh_from_db()

    assert anonymised.anonymised == [closed.reference]
    assert closed.client_name == PLACEHOLDER
    assert all(result.ok for result in verify_all())


def test_the_organisation_s_settings_say_when(closed, organisation):
    organisation.retention_archive_months = 3
    organisation.retention_anonymise_months = 24
    organisation.save()

    assert run_retention(today=_on(closed, 3)).archived == [closed.reference]
    assert run_retention(today=_on(closed, 24)).anonymised == [closed.reference]


def test_a_dry_run_lists_and_changes_nothing(closed):
    report = run_retention(today=_on(closed, 60), dry_run=True)

    assert report.anonymised == [closed.reference]
    assert report.lines()[0] == (
        "0 réclamation(s) à archiver, 1 à anonymiser, 0 retenue(s) (gel légal), 0 en échec ; "
        "0 e-mail(s) sans réclamation à anonymiser."
    )
    closed.refresh_from_db()
    assert closed.anonymised_on is None and closed.client_name == "Julie Martin"


def test_a_mediation_under_way_holds_the_complaint(organisation, referent):
    held = complaint_in_state(organisation, referent, "mediation")
    complaint_apply(complaint=held, actor=referent, action="close", data={"outcome": "granted"})
    deliver_due()
    held.refresh_from_db()

    report = run_retention(today=_on(held, 60))

    assert report.anonymised == []
    assert report.held == [
        (held.reference, f"médiateur saisi le {held.mediation_seized_on:%d/%m/%Y}, sans issue "
         "enregistrée")
    ]  # fmt: skip
    assert Complaint.objects.get(pk=held.pk).anonymised_on is None


@pytest.mark.tampered
def test_open_complaints_are_never_touched(organisation, referent):
    open_one = make_complaint(organisation, referent)
    # Reopened after an old closure: its date stays, but it is being handled again.
    alter_complaint(open_one, closed_on=date(2020, 1, 1))

    report = run_retention(today=date(2031, 1, 1))

    assert report.archived == report.anonymised == []


@pytest.mark.usefixtures("closed")
def test_a_complaint_that_cannot_be_anonymised_is_reported_and_the_others_go_on(
    organisation, referent
):
    waiting = complaint_in_state(organisation, referent, "closed")  # its reply still queued

    report = run_retention(today=date(2032, 1, 1))

    assert [reference for reference, _ in report.refused] == [waiting.reference]
    assert len(report.anonymised) == 1


def test_each_organisation_on_its_own_policy(closed, other_organisation, outsider):
    other_organisation.retention_archive_months = 1
    # Its reply names the consumer mediator: the settings must give one.
    other_organisation.mediator_name = "Médiateur de la formation"
    other_organisation.mediator_website = "https://mediateur.example.org"
    other_organisation.mediator_cecmc_listed = True
    other_organisation.save()
    theirs = complaint_in_state(other_organisation, outsider, "closed")
    deliver_due()

    report = run_retention(today=_on(theirs, 1))

    assert report.archived == [theirs.reference]


def test_the_command_prints_what_it_did_and_refuses_a_date_outside_a_dry_run(closed):
    out = StringIO()
    day = _on(closed, 60).isoformat()

    call_command("retention", "--dry-run", "--date", day, stdout=out)

    assert out.getvalue().splitlines() == [
        "0 réclamation(s) à archiver, 1 à anonymiser, 0 retenue(s) (gel légal), 0 en échec ; "
        "0 e-mail(s) sans réclamation à anonymiser.",
        f"  {closed.reference} : à anonymiser",
    ]
    with pytest.raises(CommandError, match="--date ne s'emploie qu'avec --dry-run"):
        call_command("retention", "--date", day)


def test_the_worker_runs_it_every_day():
    job = next(job for job in JOBS if job.name == "retention")

    assert job.every.days == 1


def _emailed(organisation, subject: str) -> InboundEmail:
    message = EmailMessage()
    message["From"] = "Oscar Lenoir <oscar.lenoir@example.net>"
    message["To"] = "reclamations@ccs-legal.fr"
    message["Subject"] = subject
    message["Message-ID"] = f"<{subject.replace(' ', '.')}@example.net>"
    message.set_content("Bonjour, je voudrais le programme de la formation. Oscar Lenoir")
    result = intake_process(
        organisation=organisation, raw=message.as_bytes(), arrived_at=None, source=IntakeSource.EML
    )
    assert result.outcome == IntakeOutcome.TRIAGE
    return result.inbound


def test_an_e_mail_that_became_no_complaint_is_anonymised_after_the_archiving_duration(
    organisation, manager, django_capture_on_commit_callbacks
):
    dismissed = _emailed(organisation, "Programme de la formation")
    triage_dismiss(inbound=dismissed, actor=manager, reason="Demande d'information d'Oscar.")
    waiting = _emailed(organisation, "Une autre question")
    raw = Path(InboundEmail.objects.get(pk=dismissed.pk).raw.path)
    # The organisation's day (Paris), as retention counts it: the UTC date is the day before
    # between 23:00 and midnight UTC.
    decided = local_date(organisation, InboundEmail.objects.get(pk=dismissed.pk).decided_at)

    assert run_retention(today=add_months(decided, 11)).emails == []
    with django_capture_on_commit_callbacks(execute=True):
        report = run_retention(today=add_months(decided, 12))

    assert report.emails == [dismissed.pk]
    dismissed.refresh_from_db()
    assert (dismissed.sender_address, dismissed.decision_reason, dismissed.raw.name) == (
        PLACEHOLDER,
        PLACEHOLDER,
        "",
    )
    assert not raw.exists()
    triage = ComplaintEvent.objects.get(event_type="triage_decided")
    assert triage.redacted_by is not None and triage.data["sender"] == PLACEHOLDER
    assert InboundEmail.objects.get(pk=waiting.pk).anonymised_on is None  # not decided yet
    assert all(result.ok for result in verify_all())
