"""The retention run: each organisation's closed complaints archived, then anonymised, when their
time has come (privacy.rules), each an event; those on legal hold kept and named. Run daily by
the worker and by `reclamations retention [--dry-run]`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models.functions import Coalesce

from reclamations.complaints.anonymisation import (
    RetentionRefused,
    anonymise_complaint,
    archive_complaint,
)
from reclamations.complaints.enums import OPEN_STATUSES
from reclamations.complaints.models import Complaint
from reclamations.core.localtime import local_today, local_zone
from reclamations.core.models import Organisation
from reclamations.intake.models import WAITING_OUTCOMES, InboundEmail
from reclamations.intake.retention import anonymise_email
from reclamations.privacy import rules
from reclamations.register_import.purge import register_file_purge, register_files_due

RETENTION_REASON = "durée de conservation échue"
_READ = (
    "id",
    "reference",
    "closed_on",
    "archived_on",
    "anonymised_on",
    "mediation_seized_on",
    "mediation_outcome",
    "litigation_started_on",
    "litigation_outcome",
)


@dataclass
class RetentionReport:
    """What a run did (or, dry, would do): references, and why each held one is kept."""

    dry_run: bool = False
    archived: list[str] = field(default_factory=list)
    anonymised: list[str] = field(default_factory=list)
    held: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    # E-mails that became no complaint (dismissed, automatic replies...), anonymised by number.
    emails: list[int] = field(default_factory=list)
    # Imported registers' files deleted, their complaints all anonymised (register_import.purge).
    register_files: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report in French, one line per complaint after a summary."""
        verbs = ("à archiver", "à anonymiser") if self.dry_run else ("archivées", "anonymisées")
        lines = [
            f"{len(self.archived)} réclamation(s) {verbs[0]}, {len(self.anonymised)} "
            f"{verbs[1]}, {len(self.held)} retenue(s) (gel légal), {len(self.refused)} en échec ; "
            f"{len(self.emails)} e-mail(s) sans réclamation {verbs[1].replace('ées', 'és')}."
        ]
        lines += [f"  {reference} : {verbs[0]}" for reference in self.archived]
        lines += [f"  {reference} : {verbs[1]}" for reference in self.anonymised]
        lines += [f"  {reference} : conservée, {reason}" for reference, reason in self.held]
        lines += [f"  {reference} : ÉCHEC, {reason}" for reference, reason in self.refused]
        if self.register_files:
            verb = "à supprimer" if self.dry_run else "supprimé(s)"
            lines.append(
                f"{len(self.register_files)} fichier(s) de registre importé {verb}, leurs "
                "réclamations toutes anonymisées :"
            )
            lines += [f"  {name}" for name in self.register_files]
        return lines

    def summary(self) -> str:
        return self.lines()[0]


def policy_of(organisation: Organisation) -> rules.Policy:
    return rules.Policy(
        archive_months=organisation.retention_archive_months,
        anonymise_months=organisation.retention_anonymise_months,
    )


def _standing(row: dict[str, Any]) -> rules.Standing:
    return rules.Standing(
        closed_on=row["closed_on"],
        archived_on=row["archived_on"],
        anonymised_on=row["anonymised_on"],
        mediation_seized_on=row["mediation_seized_on"],
        mediation_outcome=row["mediation_outcome"],
        litigation_started_on=row["litigation_started_on"],
        litigation_outcome=row["litigation_outcome"],
    )


def run_retention(
    *,
    organisation: Organisation | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> RetentionReport:
    """Archive and anonymise what is due in each organisation (or one), on its own today."""
    report = RetentionReport(dry_run=dry_run)
    organisations = [organisation] if organisation else Organisation.objects.order_by("id")
    for current in organisations:
        _run_for(current, today or local_today(current), dry_run, report)
    return report


def _run_for(
    organisation: Organisation, today: date, dry_run: bool, report: RetentionReport
) -> None:
    policy = policy_of(organisation)
    bound = rules.earliest_closure(today, min(policy.archive_months, policy.anonymise_months))
    candidates = (
        Complaint.objects.filter(
            organisation=organisation, closed_on__lte=bound, anonymised_on__isnull=True
        )
        # Closed again or never reopened: a reopened complaint is open, whatever its old date.
        .exclude(status__in=sorted(OPEN_STATUSES))
        .order_by("closed_on", "id")
        .values(*_READ)
    )
    _run_for_emails(organisation, policy, today, dry_run, report)
    for row in candidates.iterator(chunk_size=500):
        due = rules.due_step(_standing(row), policy, today)
        reference = str(row["reference"])
        if due.step is None:
            continue
        if due.hold:
            report.held.append((reference, due.hold))
            continue
        done = report.anonymised if due.step is rules.Step.ANONYMISE else report.archived
        if dry_run:
            done.append(reference)
            continue
        complaint = Complaint.objects.get(pk=row["id"])
        try:
            if due.step is rules.Step.ANONYMISE:
                anonymise_complaint(complaint, actor=None, today=today, reason=RETENTION_REASON)
            else:
                archive_complaint(complaint, actor=None, today=today)
        except RetentionRefused as refused:
            report.refused.append((reference, str(refused)))
            continue
        done.append(reference)
    _purge_register_files(organisation, today, dry_run, report)


def _purge_register_files(
    organisation: Organisation, today: date, dry_run: bool, report: RetentionReport
) -> None:
    """After the complaints: a file whose last complaint this run anonymised goes today."""
    for upload in register_files_due(organisation):
        name = f"{upload.original_name} (n° {upload.pk})"
        if dry_run or register_file_purge(upload, today=today):
            report.register_files.append(name)


def _run_for_emails(
    organisation: Organisation,
    policy: rules.Policy,
    today: date,
    dry_run: bool,
    report: RetentionReport,
) -> None:
    """The e-mails that became no complaint, once decided for as long as a closed complaint
    stays active (the archiving duration): nothing in them is kept for the register."""
    bound = rules.earliest_closure(today, policy.archive_months)
    limit = datetime.combine(bound, time.max, tzinfo=local_zone(organisation))
    emails = (
        InboundEmail.objects.filter(
            organisation=organisation, complaint__isnull=True, anonymised_on__isnull=True
        )
        .exclude(outcome__in=WAITING_OUTCOMES)
        .annotate(decided=Coalesce("decided_at", "processed_at"))
        .filter(decided__lte=limit)
        .order_by("id")
    )
    for email in emails.iterator(chunk_size=500):
        if (
            rules.add_months(email.decided.astimezone(limit.tzinfo).date(), policy.archive_months)
            > today
        ):
            continue
        if not dry_run:
            try:
                anonymise_email(email, today=today, reason=RETENTION_REASON)
            except RetentionRefused as refused:
                report.refused.append((f"e-mail n° {email.pk}", str(refused)))
                continue
        report.emails.append(email.pk)


def scheduled_retention() -> str:
    """The worker's daily job: the run's summary line for its log."""
    return run_retention().summary()
