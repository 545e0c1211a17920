"""A period's tallies read from the counts kept as complaints change (complaints/counted.py,
decision 0029): a row a month for the whole months of the period and of the compared period,
a row a day for the days of the months they cover in part, whatever the number of complaints;
the open complaints a row per day of reception. Two queries."""

from datetime import date, timedelta
from typing import Any

from django.db import connection

from reclamations.complaints.counted import (
    ACKNOWLEDGEMENT,
    CODES,
    ON_TIME,
    OPEN,
    RECEIVED,
    REGISTER,
    REPLY,
    TEXTS,
    as_day,
    kept_ranges,
)
from reclamations.complaints.counts_models import StatisticsCount
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics_tallies import Tallies, WorkingDays

_TABLE = StatisticsCount._meta.db_table
# One range of the kept rows (a month's row, or a month's days) a branch of a UNION ALL: with
# the ranges OR'ed in one WHERE, SQLite read all the organisation's 184,415 rows for a
# year to date (4 ranges; 142 ms at 100,000 complaints) instead of the ranges' 10,000.
_RANGE_SQL = (
    f"SELECT {{day}}, figure, value, complaints FROM {_TABLE} "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND figure NOT IN (%s, %s) "
    "AND month = %s AND day >= %s AND day <= %s"
)
# SQLite's days as text: Django would parse each row's in Python (a third of the time), while
# a few hundred distinct days are parsed once here. PostgreSQL's driver parses them in C.
_DAY = {"sqlite": "CAST(day AS TEXT)"}
# The literal figure, not a parameter: SQLite uses a partial index only for a query whose
# WHERE names its condition as written.
_OPEN_SQL = (
    f"SELECT day, complaints FROM {_TABLE} "  # noqa: S608 - fixed names
    f"WHERE organisation_id = %s AND figure = '{OPEN}'"
)


def kept_tallies(
    organisation: Organisation,
    period: Period,
    compared: Period,
    working_days: WorkingDays,
    today: date,
) -> Tallies:
    tallies = Tallies.empty()
    # The compared period ends before the period starts: a day in both (a year of 366 days
    # compared with the one before) is the period's, and its rows are read once.
    compared_end = (
        min(compared.end, period.start - timedelta(days=1)) if period.start > date.min else None
    )
    wanted = kept_ranges(period.start, period.end) + (
        kept_ranges(compared.start, compared_end) if compared_end is not None else []
    )
    # The open complaints are read apart; the register's codes together are not figures.
    parameters: list[Any] = []
    for range_ in wanted:
        parameters += [organisation.pk, OPEN, REGISTER, *range_]
    branch = _RANGE_SQL.format(day=_DAY.get(connection.vendor, "day"))
    with connection.cursor() as cursor:
        rows: list[tuple[Any, ...]] = []
        # A period ending before it starts (never asked by the pages) covers no day.
        if wanted:
            cursor.execute(" UNION ALL ".join([branch] * len(wanted)), parameters)
            rows = cursor.fetchall()
        cursor.execute(_OPEN_SQL, [organisation.pk])
        open_rows = cursor.fetchall()
    counted = {name: tallies.counted[name] for name in (*CODES, *TEXTS)}
    # Ten thousand rows a year or so, most of them spans ("YYYY-MM-DD YYYY-MM-DD"): each day
    # is read once (SQLite gives them as text), a few hundred of them, then only looked up.
    days: dict[object, date] = {}
    ranks: dict[str, int] = {}
    sides: dict[object, bool] = {}

    def day_of(stored: object) -> date:
        found = days.get(stored)
        if found is None:
            found = days[stored] = as_day(stored)  # type: ignore[arg-type, assignment]
        return found  # type: ignore[return-value]

    def rank(text: str) -> int:
        found = ranks.get(text)
        if found is None:
            found = ranks[text] = working_days.rank(day_of(text))
        return found

    for stored_day, figure, value, n in rows:
        current = sides.get(stored_day)
        if current is None:
            current = sides[stored_day] = period.start <= day_of(stored_day) <= period.end
        if figure == REPLY:
            tallies.reply_days[current][max(rank(value[11:]) - rank(value[:10]), 0)] += n
        elif figure in counted:
            counted[figure][(current, value)] += n
        elif figure == ACKNOWLEDGEMENT:
            span = max(rank(value[11:]) - rank(value[:10]), 0)
            tallies.acknowledgement_days[current][span] += n
        elif figure == RECEIVED:
            day = day_of(stored_day)
            tallies.months[(day.year, day.month)] += n
        elif figure == ON_TIME and value != "unknown":
            tallies.replied[current] += n
            tallies.on_time[current] += n if value == "yes" else 0
    for stored_day, n in open_rows:
        tallies.open_ages[working_days[(day_of(stored_day), today)]] += n
    return tallies
