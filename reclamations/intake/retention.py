"""What intake keeps about a complaint, anonymised with it (complaints.anonymisation): the emails
it came from or that answered it, and the triage decisions about them."""

from reclamations.complaints import redaction
from reclamations.complaints.anonymisation import Purge
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.intake.models import InboundEmail

_PERSONAL = ("subject", "sender_name", "sender_address", "excerpt", "reason", "decision_reason")


def _emails(complaint: Complaint) -> list[InboundEmail]:
    return list(InboundEmail.objects.filter(complaint=complaint))


def triage_events(complaint: Complaint) -> list[ComplaintEvent]:
    """The triage decisions about the complaint's emails, not yet redacted."""
    ids = [email.pk for email in _emails(complaint)]
    if not ids:
        return []
    return list(
        ComplaintEvent.objects.filter(
            organisation_id=complaint.organisation_id,
            event_type=EventType.TRIAGE_DECIDED,
            complaint__isnull=True,
            redacted_by__isnull=True,
            data__message__in=ids,
        ).select_related("document")
    )


def purge_emails(complaint: Complaint) -> tuple[int, list[str]]:
    """The complaint's emails as the redaction leaves their triage events: every text replaced,
    the raw message's file deleted (when it went to the complaint, its bytes are the
    complaint's document, purged with the others). The Message-ID and fingerprints stay, so
    that the same message fetched again is still known and not registered twice."""
    emails = _emails(complaint)
    files = [email.raw.name for email in emails if email.raw]
    for email in emails:
        for name in _PERSONAL:
            setattr(email, name, redaction.redacted(getattr(email, name)))
        email.attachment_names = redaction.redacted(email.attachment_names)
        email.raw = ""
    InboundEmail.objects.bulk_update(emails, [*_PERSONAL, "attachment_names", "raw"])
    return len(emails), files


PURGE = Purge(events=triage_events, purge=purge_emails)
