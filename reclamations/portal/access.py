"""The client's page stays open for a while once a link is used: the complaint it opens is
kept in the session, with the moment it closes."""

from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

from reclamations.complaints.models import Complaint

COMPLAINT_KEY = "client_complaint"
UNTIL_KEY = "client_until"


def session_minutes() -> int:
    return int(getattr(settings, "RECLAMATIONS_CLIENT_SESSION_MINUTES", 60))


def open_for(request: HttpRequest, complaint: Complaint, *, now: datetime) -> None:
    """The client may see `complaint` from this browser for session_minutes()."""
    request.session.cycle_key()  # a new session id: nothing known before carries over
    request.session[COMPLAINT_KEY] = complaint.pk
    request.session[UNTIL_KEY] = (now + timedelta(minutes=session_minutes())).isoformat()


def opened(request: HttpRequest, *, now: datetime) -> Complaint | None:
    """The complaint this browser may see now, or None (never opened, or closed since)."""
    complaint_id = request.session.get(COMPLAINT_KEY)
    until = request.session.get(UNTIL_KEY)
    if not isinstance(complaint_id, int) or not isinstance(until, str):
        return None
    try:
        closes = datetime.fromisoformat(until)
    except ValueError:
        return None
    if closes <= now:
        close(request)
        return None
    return Complaint.objects.select_related("organisation").filter(pk=complaint_id).first()


def close(request: HttpRequest) -> None:
    request.session.pop(COMPLAINT_KEY, None)
    request.session.pop(UNTIL_KEY, None)
