"""What the statistics count from free text: complaints by training in each period, and the
clients, accounts and trainings of two complaints or more in the period."""

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period

TOP_REPEATS = 10


@dataclass(frozen=True)
class Repeat:
    what: str  # client, account or training
    value: str
    complaints: int


@dataclass(frozen=True)
class Texts:
    """What the free-text fields count: complaints by training in each period; clients and
    accounts of two complaints or more in the period."""

    trainings: Counter[tuple[bool, str]]
    clients: list[tuple[str, int]]
    accounts: list[tuple[str, int]]


# Free text is not in statistics_by_reception (a training, a name and an account together may
# outgrow PostgreSQL's index entries): PostgreSQL counts all three in one reading of the table
# (GROUPING SETS), SQLite in three.
_TEXTS_POSTGRESQL = f"""
    SELECT side, training, client_name, client_account, GROUPING(training), GROUPING(client_name),
        count(*)
    FROM (
        SELECT CASE WHEN received_on >= %(start)s THEN 1
                    WHEN received_on <= %(compared_end)s THEN 0 END AS side,
            training, client_name, client_account
        FROM {Complaint._meta.db_table}
        WHERE organisation_id = %(organisation)s
            AND received_on >= %(compared_start)s AND received_on <= %(end)s
    ) AS spanned
    WHERE side IS NOT NULL
    GROUP BY GROUPING SETS ((side, training), (side, client_name), (side, client_account))
    HAVING GROUPING(training) = 0 OR (side = 1 AND count(*) >= 2)
"""  # noqa: S608 - fixed names; the values are parameters


def free_texts(organisation: Organisation, period: Period, compared: Period) -> Texts:
    trainings: Counter[tuple[bool, str]] = Counter()
    clients: list[tuple[str, int]] = []
    accounts: list[tuple[str, int]] = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                _TEXTS_POSTGRESQL,
                {
                    "organisation": organisation.pk,
                    "start": period.start,
                    "end": period.end,
                    "compared_start": compared.start,
                    "compared_end": compared.end,
                },
            )
            for side, training, client, account, no_training, no_client, n in cursor.fetchall():
                if not no_training:
                    trainings[(bool(side), training)] += n
                elif not no_client:
                    clients.append((client, n))
                else:
                    accounts.append((account, n))
    else:
        register = Complaint.objects.filter(organisation=organisation)
        span = register.filter(received_on__gte=compared.start, received_on__lte=period.end)
        for received_on, training, n in (
            span.values_list("received_on", "training").annotate(n=Count("*")).order_by()
        ):
            if period.start <= received_on <= period.end:
                trainings[(True, training)] += n
            elif compared.start <= received_on <= compared.end:
                trainings[(False, training)] += n
        in_period = register.filter(period.q())
        for field, found in (("client_name", clients), ("client_account", accounts)):
            found += in_period.values_list(field).annotate(n=Count("*")).filter(n__gte=2).order_by()
    return Texts(trainings, clients, accounts)


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
