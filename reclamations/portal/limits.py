"""How often a link may be asked for: per address (IP) and per reference, over an hour, so that
nobody can try references or addresses in bulk, nor flood a client with e-mails."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from reclamations.portal.models import LookupAttempt

WINDOW = timedelta(hours=1)
KEPT = timedelta(days=2)


def lookups_per_hour() -> int:
    return int(getattr(settings, "RECLAMATIONS_LOOKUPS_PER_HOUR", 10))


LOOKUP = "lookup"
FILING = "filing"
FILINGS_PER_HOUR = 5  # complaints filed online from one address (IP, e-mail) in an hour


def _allowed(*, kind: str, ip: str, key: str, now: datetime, limit: int) -> bool:
    """Record the attempt and say whether it is within the limits (refused ones count too)."""
    LookupAttempt.objects.filter(at__lt=now - KEPT).delete()
    recent = LookupAttempt.objects.filter(kind=kind, at__gte=now - WINDOW)
    over = recent.filter(ip=ip).count() >= limit or recent.filter(Q(reference=key)).count() >= limit
    LookupAttempt.objects.create(kind=kind, ip=ip, reference=key[:254], at=now)
    return not over


def lookup_allowed(*, ip: str, reference: str, now: datetime) -> bool:
    """A link asked for: within RECLAMATIONS_LOOKUPS_PER_HOUR per IP and per reference."""
    return _allowed(kind=LOOKUP, ip=ip, key=reference, now=now, limit=lookups_per_hour())


def filing_allowed(*, ip: str, email: str, now: datetime) -> bool:
    """The online form sent: FILINGS_PER_HOUR per IP and per e-mail address."""
    return _allowed(kind=FILING, ip=ip, key=email.lower(), now=now, limit=FILINGS_PER_HOUR)
