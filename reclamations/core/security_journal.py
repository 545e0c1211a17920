"""Reading and purging the security journal (core.SecurityRecord, written by core/security.py).

A manager reads their organisation's records; an administrator also reads those no organisation
owns (a name nobody has, typed at the login: who is trying accounts). The journal is kept
RECLAMATIONS_SECURITY_JOURNAL_DAYS days (a year by default); the worker purges older records."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation, SecurityRecord, User
from reclamations.core.roles import Role


@dataclass(frozen=True)
class SecurityFilters:
    kind: str = ""
    user_id: int | None = None
    since: date | None = None  # the organisation's days, both included
    until: date | None = None

    def is_empty(self) -> bool:
        return not (self.kind or self.user_id or self.since or self.until)


def security_records(*, viewer: User, filters: SecurityFilters) -> QuerySet[SecurityRecord]:
    """The records `viewer` may read under `filters`, the latest first, with their accounts."""
    assert viewer.organisation is not None
    visible = Q(organisation_id=viewer.organisation_id)
    alone = not Organisation.objects.exclude(pk=viewer.organisation_id).exists()
    if viewer.role == Role.ADMIN and alone:
        # A name nobody has, typed at the login; never a super-administrator's records, which
        # are the installation's. Beside other organisations such a name may be a typo of
        # one of their accounts, with its address: the installation's, not an organisation's.
        visible |= Q(organisation__isnull=True, user__isnull=True)
    records = SecurityRecord.objects.filter(visible)
    if filters.kind:
        records = records.filter(kind=filters.kind)
    if filters.user_id:
        records = records.filter(user_id=filters.user_id)
    zone = local_zone(viewer.organisation)
    if filters.since:
        records = records.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        next_day = filters.until + timedelta(days=1)
        records = records.filter(at__lt=datetime.combine(next_day, time.min, tzinfo=zone))
    return records.select_related("user", "actor").order_by("-at", "-id")


def kept_days() -> int:
    return int(getattr(settings, "RECLAMATIONS_SECURITY_JOURNAL_DAYS", 365))


def security_journal_purge(*, now: datetime | None = None) -> int:
    """Delete the records older than the retention; return how many."""
    limit = (now or timezone.now()) - timedelta(days=kept_days())
    deleted, _ = SecurityRecord.objects.filter(at__lt=limit).delete()
    return deleted
