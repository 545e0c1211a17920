"""What the statistics count from free text: complaints by training, trainer, funder and cause
in each period, and the clients, accounts and trainings of two complaints or more in the
period."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from reclamations.complaints.models import Complaint
from reclamations.complaints.queries import CONTEXT_FILTERS
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


@dataclass(frozen=True)
class Texts:
    """What the free-text fields count: complaints by training, trainer, funder and cause in
    each period (field -> (in the period?, value) -> complaints); clients and accounts of two
    complaints or more in the period."""

    counted: dict[str, Counter[tuple[bool, str]]]
    clients: list[tuple[str, int]]
    accounts: list[tuple[str, int]]

    @property
    def trainings(self) -> Counter[tuple[bool, str]]:
        return self.counted["training"]


def _scope_sql(scope: Mapping[str, str]) -> str:
    # Column names from CONTEXT_FILTERS only (checked by the caller); values are parameters.
    return "".join(f" AND {name} = %(scope_{name})s" for name in sorted(scope))


# Free text is not in statistics_by_reception (texts together may outgrow PostgreSQL's index
# entries): PostgreSQL counts them all in one reading of the table (GROUPING SETS), SQLite in
# two. GROUPING(x) is 1 in the rows of the sets without x.
_TEXTS_POSTGRESQL = """
    SELECT side, training, trainer, funder, cause, client_name, client_account,
        GROUPING(training), GROUPING(trainer), GROUPING(funder), GROUPING(cause),
        GROUPING(client_name), count(*)
    FROM (
        SELECT CASE WHEN received_on >= %(start)s THEN 1
                    WHEN received_on <= %(compared_end)s THEN 0 END AS side,
            training, trainer, funder, cause, client_name, client_account
        FROM {table}
        WHERE organisation_id = %(organisation)s
            AND received_on >= %(compared_start)s AND received_on <= %(end)s{scope}
    ) AS spanned
    WHERE side IS NOT NULL
    GROUP BY GROUPING SETS ((side, training), (side, trainer), (side, funder), (side, cause),
        (side, client_name), (side, client_account))
    HAVING (GROUPING(client_name) = 1 AND GROUPING(client_account) = 1)
        OR (side = 1 AND count(*) >= 2)
"""


# SQLite counts each free text of the whole register from its own index, (organisation, text,
# received_on): read in order, without the table nor a sort (28 ms a text at 100,000
# complaints). Left to itself, it reads the period's rows by statistics_by_reception and sorts
# them (50 ms a text).
_SQLITE_TEXT_INDEXES = {
    "training": "related_by_training",
    "trainer": "register_by_trainer",
    "funder": "register_by_funder",
    "cause": "register_by_cause",
}
_TEXT_SQLITE = """
    SELECT {field}, CASE WHEN received_on >= %s THEN 1 WHEN received_on <= %s THEN 0 END,
        count(*)
    FROM {table} INDEXED BY {index}
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
        for field, index in _SQLITE_TEXT_INDEXES.items():
            sql = _TEXT_SQLITE.format(field=field, table=Complaint._meta.db_table, index=index)
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


def free_texts(
    organisation: Organisation,
    period: Period,
    compared: Period,
    scope: Mapping[str, str] | None = None,
) -> Texts:
    scope = dict(scope or {})
    if set(scope) - set(CONTEXT_FILTERS):
        raise ValueError(f"Unknown scope: {sorted(set(scope) - set(CONTEXT_FILTERS))}")
    counted: dict[str, Counter[tuple[bool, str]]] = {name: Counter() for name in COUNTED_TEXTS}
    clients: list[tuple[str, int]] = []
    accounts: list[tuple[str, int]] = []
    if connection.vendor == "postgresql":
        sql = _TEXTS_POSTGRESQL.format(table=Complaint._meta.db_table, scope=_scope_sql(scope))
        parameters: dict[str, Any] = {
            "organisation": organisation.pk,
            "start": period.start,
            "end": period.end,
            "compared_start": compared.start,
            "compared_end": compared.end,
            **{f"scope_{name}": value for name, value in scope.items()},
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            for row in cursor.fetchall():
                side, values, absent, n = bool(row[0]), row[1:7], row[7:12], row[12]
                for name, value, missing in zip(COUNTED_TEXTS, values, absent, strict=False):
                    if not missing:
                        counted[name][(side, value)] += n
                        break
                else:
                    if not absent[4]:
                        clients.append((values[4], n))
                    else:
                        accounts.append((values[5], n))
    else:
        register = Complaint.objects.filter(organisation=organisation, **scope)
        if scope:  # a few complaints, found by the scope's own index
            _count_scoped(register, period, compared, counted)
        else:
            _count_by_index(organisation, period, compared, counted)
        in_period = register.filter(period.q())
        for field, found in (("client_name", clients), ("client_account", accounts)):
            found += in_period.values_list(field).annotate(n=Count("*")).filter(n__gte=2).order_by()
    return Texts(counted, clients, accounts)


def repeats_of(texts: Texts) -> tuple[tuple[Repeat, ...], dict[str, int]]:
    """Who came back in the period: the clients, accounts and trainings of two complaints or
    more (the most frequent first, ten of each), and how many of each."""
    trainings = [
        (training, n) for (current, training), n in texts.trainings.items() if current and n >= 2
    ]
    repeats: list[Repeat] = []
    counts: dict[str, int] = {}
    for what, found in (
        ("client", texts.clients),
        ("account", texts.accounts),
        ("training", trainings),
    ):
        named = sorted(
            ((value, n) for value, n in found if value.strip()),
            key=lambda item: (-item[1], item[0]),
        )
        counts[what] = len(named)
        repeats += [Repeat(what, value, n) for value, n in named[:TOP_REPEATS]]
    return tuple(repeats), counts
