"""The referent's work lists ("Mon travail", issue 13): what needs someone now, in order.

Each open or answered complaint that needs a person is in exactly one list, the first that
applies: overdue, due soon, waiting for the client for too long, unresolved in the client's
view, answered but not closed. One query a list reads its first ones (SHOWN_PER_LIST), and one
query of counts gives the navigation's figure with the same conditions."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Func, IntegerField, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from reclamations.complaints.deadlines import (
    DeadlinePolicy,
    due_soon_limit,
    waiting_too_long_limit,
)
from reclamations.complaints.enums import AWAITING_CLIENT, Status
from reclamations.complaints.models import ChainHead, Complaint
from reclamations.complaints.queries import REGISTER_COLUMNS, RegisterRow, with_urgency
from reclamations.complaints.sql_terms import open_q
from reclamations.core.built_sql import BuiltStatements, number
from reclamations.core.models import Organisation

# A client asked for information (or for the written confirmation of a call) who has not
# answered after this many working days is chased: half the usual time to reply.
WAITING_TOO_LONG_DAYS = 5

LIST_NAMES = ("overdue", "due_soon", "waiting", "unresolved", "to_close")


@dataclass(frozen=True)
class Bounds:
    today: date
    due_soon_before: date  # due before it (and not before today): due soon
    waiting_since: date  # asked on or before it: waiting for too long


def bounds(today: date, *, policy: DeadlinePolicy, due_soon_days: int) -> Bounds:
    calendar = policy.calendar
    return Bounds(
        today=today,
        due_soon_before=due_soon_limit(today, threshold=due_soon_days, calendar=calendar),
        waiting_since=waiting_too_long_limit(today, days=WAITING_TOO_LONG_DAYS, calendar=calendar),
    )


def _conditions(limits: Bounds) -> dict[str, Q]:
    """Each list's condition, the lists taken in order: a complaint meets the condition of the
    first list that applies to it and of no other (so that each list is read, and counted, by
    itself, from an index)."""
    opened = open_q()
    dated = opened & Q(due_date__lt=limits.due_soon_before)  # overdue or due soon
    waiting = Q(status__in=sorted(AWAITING_CLIENT)) & (
        Q(information_requested_on__lte=limits.waiting_since)
        | Q(information_requested_on__isnull=True, received_on__lte=limits.waiting_since)
    )
    return {
        "overdue": opened & Q(due_date__lt=limits.today),
        "due_soon": opened & Q(due_date__gte=limits.today, due_date__lt=limits.due_soon_before),
        "waiting": waiting & ~dated,
        "unresolved": Q(client_says_unresolved=True) & ~Q(status=Status.CLOSED) & ~dated & ~waiting,
        # Answered: never open, so in no list above but "unresolved".
        "to_close": Q(status=Status.REPLIED, client_says_unresolved=False),
    }


# Each list's order, in SQL: the most pressing first (the earliest due date, the client asked
# longest ago, the reply sent longest ago; no reply date first).
_ORDER: dict[str, tuple[Any, ...]] = {
    "overdue": ("due_date", "pk"),
    "due_soon": ("due_date", "pk"),
    "waiting": (Coalesce("information_requested_on", "received_on"), "pk"),
    # Answered, so dated (register_replied reads the answered ones in this order).
    "unresolved": ("replied_on", "pk"),
    "to_close": ("replied_on", "pk"),
}
# A list shows its first ones: a register left untended for years (tens of thousands of
# replied complaints never closed) made one page of them all (6.9 s at 1,000,000).
SHOWN_PER_LIST = 50


@dataclass
class WorkLists:
    limits: Bounds
    lists: dict[str, list[RegisterRow]] = field(default_factory=dict)
    # How many each list holds (more than it shows when it is cut).
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def work_lists(
    organisation: Organisation,
    *,
    today: date,
    policy: DeadlinePolicy,
    due_soon_days: int,
    shown: int | None = None,
) -> WorkLists:
    """The organisation's complaints that need someone, each in its first list, each list's
    first `shown` (SHOWN_PER_LIST) in its order: one query of counts, then one query a list."""
    shown = SHOWN_PER_LIST if shown is None else shown
    limits = bounds(today, policy=policy, due_soon_days=due_soon_days)
    result = WorkLists(limits=limits, totals=_list_counts(organisation.pk, limits))
    for name, condition in _conditions(limits).items():
        complaints = list(
            Complaint.objects.filter(organisation=organisation)
            .filter(condition)
            .order_by(*_ORDER[name])
            .only(*REGISTER_COLUMNS, "information_requested_on")[:shown]
        )
        result.lists[name] = with_urgency(
            complaints, today=today, policy=policy, due_soon_days=due_soon_days
        )
    return result


def _list_counts(organisation_id: int, limits: Bounds) -> dict[str, int]:
    """How many complaints each list holds, in one query of counts, each read from an index
    (one COUNT over the lists' OR made the database read every complaint of the organisation:
    1 s a page at 1,000,000 on SQLite, bench/README.md). The answered ones to close are counted
    as all the answered less those unresolved in the client's view, which the indexes count
    without reading a row."""
    rows = _COUNTS.rows(
        {
            "organisation": organisation_id,
            "today": limits.today,
            "due_soon_before": limits.due_soon_before,
            "waiting_since": limits.waiting_since,
        }
    )
    row = rows[0] if rows else None
    found = dict(zip(_COUNTED, row, strict=True)) if row else dict.fromkeys(_COUNTED, 0)
    counts = {name: int(found[name]) for name in ("overdue", "due_soon", "waiting", "unresolved")}
    counts["to_close"] = int(found["replied"]) - int(found["replied_unresolved"])
    return counts


def _counts_query(organisation_id: int, limits: Bounds) -> QuerySet[Organisation, Any]:
    conditions = _conditions(limits)
    parts = {
        **{name: conditions[name] for name in ("overdue", "due_soon", "waiting", "unresolved")},
        "replied": Q(status=Status.REPLIED),
        # Written so that only the partial index of the unresolved ones can serve it: with
        # `status = replied`, SQLite took the index of the answered ones and read all of them
        # (94 ms for 73,378 at 1,000,000).
        "replied_unresolved": Q(client_says_unresolved=True)
        & ~Q(status__in=[status for status in Status.values if status != Status.REPLIED]),
    }

    def counted(condition: Q) -> Subquery:
        # COUNT(*) written as a plain function, not Django's aggregate: a scalar count, without
        # the GROUP BY an aggregate brings (23 instead of 30 ms for the six at 1,000,000).
        within = (
            Complaint.objects.filter(organisation_id=organisation_id)
            .filter(condition)
            .order_by()
            .annotate(complaints=Func(template="COUNT(*)", output_field=IntegerField()))
            .values("complaints")
        )
        return Subquery(within, output_field=IntegerField())

    return Organisation.objects.filter(pk=organisation_id).values(
        **{name: counted(condition) for name, condition in parts.items()}
    )


_COUNTED = ("overdue", "due_soon", "waiting", "unresolved", "replied", "replied_unresolved")

# The counts' SQL, written by the ORM once a process and database (7 ms of Python a page,
# for well under a millisecond of SQL on an organisation of 100 complaints).
_COUNTS = BuiltStatements(
    lambda values: _counts_query(
        number(values, "organisation"),
        Bounds(
            today=values["today"],
            due_soon_before=values["due_soon_before"],
            waiting_since=values["waiting_since"],
        ),
    ),
    samples={
        "organisation": -7_654_321,
        "today": date(1901, 1, 1),
        "due_soon_before": date(1902, 2, 2),
        "waiting_since": date(1903, 3, 3),
    },
)


def work_count(
    organisation_id: int, *, today: date, policy: DeadlinePolicy, due_soon_days: int
) -> int:
    """How many complaints the work lists hold, for the navigation (one query of counts)."""
    limits = bounds(today, policy=policy, due_soon_days=due_soon_days)
    return sum(_list_counts(organisation_id, limits).values())


# The navigation's figure is read on every staff page: kept while the register is unchanged.
WORK_COUNT_KEPT_SECONDS = 600


# The chain's head, read on every staff page for the key: compiled once.
_HEAD = BuiltStatements(
    lambda values: ChainHead.objects.filter(
        organisation_id=number(values, "organisation")
    ).values_list("last_sequence")[:1],
    samples={"organisation": -7_654_321},
)


def kept_work_count(organisation: Organisation, *, today: date, policy: DeadlinePolicy) -> int:
    """work_count(), kept in the cache for as long as the register and the day are the same:
    every change to a complaint writes an event, which advances the organisation's chain head,
    whose number is in the key (as the statistics' cache does); the deadline settings too. One
    small query a page instead of the counts (26 ms at 1,000,000 complaints)."""
    found = _HEAD.rows({"organisation": organisation.pk})
    head = found[0][0] if found else None
    due_soon_days = organisation.due_soon_days
    parts = (organisation.pk, head or 0, today, due_soon_days, repr(policy))
    key = "work_count:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if isinstance(found, int):
        return found
    count = work_count(organisation.pk, today=today, policy=policy, due_soon_days=due_soon_days)
    cache.set(key, count, WORK_COUNT_KEPT_SECONDS)
    return count
