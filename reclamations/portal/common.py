"""What the client's pages share: the organisation they speak for, the caller's address."""

from django.http import HttpRequest
from django.utils.translation import get_language

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.wording import deadline_text
from reclamations.core.calendar import working_days_unit
from reclamations.core.models import Organisation


def organisation_of(complaint: Complaint | None = None) -> Organisation | None:
    """The complaint's organisation; without one, the installation's (one organisation until
    issue 12 hosts several)."""
    if complaint is not None:
        return complaint.organisation
    return Organisation.objects.order_by("pk").first()


def client_ip(request: HttpRequest) -> str:
    """The caller's address as the server sees it (behind a proxy: the proxy's, issue 11)."""
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 - a value, not a bind


def deadline_phrase(organisation: Organisation) -> str:
    """The organisation's time to reply, in the page's language ("10 jours ouvrables")."""
    if not (get_language() or "").startswith("en"):
        return deadline_text(organisation)
    week = (
        "Monday to Saturday"
        if "ouvrables" in working_days_unit(organisation.calendar_kind)
        else "Monday to Friday"
    )
    return f"{organisation.deadline_days} working days ({week})"
