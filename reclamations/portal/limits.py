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


def lookup_allowed(*, ip: str, reference: str, now: datetime) -> bool:
    """Record the attempt and say whether it is within the limits (refused ones count too)."""
    LookupAttempt.objects.filter(at__lt=now - KEPT).delete()
    recent = LookupAttempt.objects.filter(at__gte=now - WINDOW)
    over = (
        recent.filter(ip=ip).count() >= lookups_per_hour()
        or recent.filter(Q(reference=reference)).count() >= lookups_per_hour()
    )
    LookupAttempt.objects.create(ip=ip, reference=reference[:40], at=now)
    return not over
