"""What intake keeps about people, anonymised: with a complaint (complaints.anonymisation
registers `PURGE`), the e-mails it came from or that answered it and the triage decisions about
them; on its own (`anonymise_email`, by the retention run), an e-mail that became no complaint."""

from datetime import date

from django.db import transaction

from reclamations.complaints import redaction
from reclamations.complaints.anonymisation import (
    Purge,
    RetentionRefused,
    anonymise_organisation_events,
    delete_after_commit,
)
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.intake.models import WAITING_OUTCOMES, InboundEmail

_PERSONAL = ("subject", "sender_name", "sender_address", "excerpt", "reason", "decision_reason")


def _triage_events(organisation_id: int, email_ids: list[int]) -> list[ComplaintEvent]:
    """The triage decisions about these e-mails, not yet redacted."""
    if not email_ids:
        return []
    return list(
        ComplaintEvent.objects.filter(
            organisation_id=organisation_id,
            event_type=EventType.TRIAGE_DECIDED,
            complaint__isnull=True,
            redacted_by__isnull=True,
            data__message__in=email_ids,
        ).select_related("document")
    )


def _redact_rows(emails: list[InboundEmail], today: date) -> list[str]:
    """The e-mails as the redaction leaves their triage events: every text replaced, the raw
    message's file to delete (returned). The Message-ID and fingerprints stay, so that the same
    message fetched again is still known and not registered twice."""
    files = [email.raw.name for email in emails if email.raw]
    for email in emails:
        for name in _PERSONAL:
            setattr(email, name, redaction.redacted(getattr(email, name)))
        email.attachment_names = redaction.redacted(email.attachment_names)
        email.raw = ""
        email.anonymised_on = today
    InboundEmail.objects.bulk_update(
        emails, [*_PERSONAL, "attachment_names", "raw", "anonymised_on"]
    )
    return files


def _of_complaint(complaint: Complaint) -> list[InboundEmail]:
    return list(InboundEmail.objects.filter(complaint=complaint))


def triage_events(complaint: Complaint) -> list[ComplaintEvent]:
    """The triage decisions about the complaint's e-mails."""
    return _triage_events(complaint.organisation_id, [e.pk for e in _of_complaint(complaint)])


def purge_emails(complaint: Complaint) -> tuple[int, list[str]]:
    """The complaint's e-mails (when one went to the complaint, its bytes are the complaint's
    document, purged with the others)."""
    # Called by anonymise_complaint once it has dated the complaint's anonymisation: the
    # e-mails carry the same day (the organisation's, not the server's).
    if complaint.anonymised_on is None:
        raise RetentionRefused(f"{complaint.reference} : purge des e-mails hors anonymisation.")
    emails = _of_complaint(complaint)
    return len(emails), _redact_rows(emails, complaint.anonymised_on)


PURGE = Purge(events=triage_events, purge=purge_emails)


def anonymise_email(email: InboundEmail, *, today: date, reason: str) -> None:
    """Anonymise an e-mail that became no complaint (dismissed, an automatic reply, a duplicate
    kept for the record), with the triage decisions about it attested by an `anonymised` event
    of the organisation, its raw file deleted once committed. One still waiting in the triage
    inbox is refused: a person has not decided yet."""
    with transaction.atomic():
        current = InboundEmail.objects.select_for_update().get(pk=email.pk)
        if current.complaint_id is not None or current.anonymised_on is not None:
            raise RetentionRefused(f"e-mail n° {current.pk} : déjà anonymisé ou d'une réclamation.")
        if current.outcome in WAITING_OUTCOMES:
            raise RetentionRefused(f"e-mail n° {current.pk} : il attend encore au tri.")
        events = _triage_events(current.organisation_id, [current.pk])
        if events:
            anonymise_organisation_events(
                current.organisation,
                events,
                what=f"e-mail n° {current.pk}",
                actor=None,
                today=today,
                reason=reason,
                data={"message": current.pk},
            )
        delete_after_commit(_redact_rows([current], today))
