"""What the statistics count from free text: complaints by training, trainer, funder and cause
in each period, and the clients, accounts and trainings of two complaints or more in the
period."""

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from reclamations.complaints.models import Complaint
from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period

TOP_REPEATS = 10


@dataclass(frozen=True)
class Repeat:
    what: str  # client, account or training
    value: str
    complaints: int


# The free-text fields counted one by one (top ten in the statistics), in the order shown.
COUNTED_TEXTS = ("training", "trainer", "funder", "cause")


# Each free text is counted from its own index, (organisation, text, received_on), read alone
# (at 100,000 complaints: 10 ms a text on PostgreSQL, 28 ms on SQLite). One query grouping all
# the texts at once (GROUPING SETS) took 217 ms on PostgreSQL. SQLite is told the index: left to
# itself, it reads the period's rows by statistics_by_reception and sorts them (50 ms a text).
_TEXT_INDEXES = {
    "training": "related_by_training",
    "trainer": "register_by_trainer",
    "funder": "register_by_funder",
    "cause": "register_by_cause",
}
_TEXT_SQL = """
    SELECT {field}, CASE WHEN received_on >= %s THEN 1 WHEN received_on <= %s THEN 0 END,
        count(*)
    FROM {table}{indexed_by}
    WHERE organisation_id = %s AND received_on >= %s AND received_on <= %s
    GROUP BY {field}, 2
"""


def _count_by_index(
    organisation: Organisation,
    period: Period,
    compared: Period,
    counted: dict[str, Counter[tuple[bool, str]]],
) -> None:
    with connection.cursor() as cursor:
        for field, index in _TEXT_INDEXES.items():
            indexed_by = f" INDEXED BY {index}" if connection.vendor == "sqlite" else ""
            sql = _TEXT_SQL.format(
                field=field, table=Complaint._meta.db_table, indexed_by=indexed_by
            )
            parameters: list[Any] = [
                period.start,
                compared.end,
                organisation.pk,
                compared.start,
                period.end,
            ]
            cursor.execute(sql, parameters)
            for value, side, n in cursor.fetchall():
                if side is not None:
                    counted[field][(bool(side), value)] += n


def _count_scoped(
    register: QuerySet[Complaint],
    period: Period,
    compared: Period,
    counted: dict[str, Counter[tuple[bool, str]]],
) -> None:
    span = register.filter(received_on__gte=compared.start, received_on__lte=period.end)
    for received_on, *values, n in (
        span.values_list("received_on", *COUNTED_TEXTS).annotate(n=Count("*")).order_by()
    ):
        if period.start <= received_on <= period.end:
            current = True
        elif compared.start <= received_on <= compared.end:
            current = False
        else:
            continue
        for name, value in zip(COUNTED_TEXTS, values, strict=True):
            counted[name][(current, value)] += n


def count_texts(
    organisation: Organisation,
    period: Period,
    compared: Period,
    scope: Mapping[str, str],
    counted: dict[str, Counter[tuple[bool, str]]],
) -> None:
    """Add the complaints of each period by training, trainer, funder and cause to `counted`
    (field -> (in the period?, value) -> complaints), read from the complaints."""
    if scope:  # a few complaints, found by the scope's own index
        register = Complaint.objects.filter(organisation=organisation, **scope)
        _count_scoped(register, period, compared, counted)
    else:
        _count_by_index(organisation, period, compared, counted)


@dataclass(frozen=True)
class Clients:
    """The clients and the accounts of two complaints or more in the period, with how many."""

    clients: list[tuple[str, int]]
    accounts: list[tuple[str, int]]


def repeat_clients(organisation: Organisation, period: Period, scope: Mapping[str, str]) -> Clients:
    in_period = Complaint.objects.filter(organisation=organisation, **scope).filter(period.q())
    return Clients(
        list(
            in_period.values_list("client_name").annotate(n=Count("*")).filter(n__gte=2).order_by()
        ),
        list(
            in_period.values_list("client_account")
            .annotate(n=Count("*"))
            .filter(n__gte=2)
            .order_by()
        ),
    )


def repeats_of(
    trainings_counted: Counter[tuple[bool, str]], clients: Clients
) -> tuple[tuple[Repeat, ...], dict[str, int]]:
    """Who came back in the period: the clients, accounts and trainings of two complaints or
    more (the most frequent first, ten of each), and how many of each."""
    trainings = [
        (training, n) for (current, training), n in trainings_counted.items() if current and n >= 2
    ]
    repeats: list[Repeat] = []
    counts: dict[str, int] = {}
    for what, found in (
        ("client", clients.clients),
        ("account", clients.accounts),
        ("training", trainings),
    ):
        # Anonymised complaints share one placeholder, which is nobody coming back.
        named = [(value, n) for value, n in found if value.strip() and value != PLACEHOLDER]
        counts[what] = len(named)
        # The ten first as sorted() would give them, without sorting thousands of clients.
        first = heapq.nsmallest(TOP_REPEATS, named, key=lambda item: (-item[1], item[0]))
        repeats += [Repeat(what, value, n) for value, n in first]
    return tuple(repeats), counts
