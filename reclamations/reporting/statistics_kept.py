"""A period's tallies read from the counts kept as complaints change (complaints/counted.py,
decision 0029): a row a month for the whole months of the period and of the compared period,
a row a day for the days of the months they cover in part, whatever the number of complaints;
the open complaints a row per day of reception. Two queries."""

from datetime import date
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
_RANGE_SQL = "(month = %s AND day >= %s AND day <= %s)"
_COUNTS_SQL = (
    f"SELECT {{day}}, figure, value, complaints FROM {_TABLE} "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND figure NOT IN (%s, %s) AND ({ranges})"
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
    wanted = kept_ranges(period.start, period.end) + kept_ranges(compared.start, compared.end)
    # The open complaints are read apart; the register's codes together are not figures.
    parameters: list[Any] = [organisation.pk, OPEN, REGISTER]
    for range_ in wanted:
        parameters += range_
    # A period ending before it starts (never asked by the pages) covers no day.
    sql = _COUNTS_SQL.format(
        day=_DAY.get(connection.vendor, "day"),
        ranges=" OR ".join([_RANGE_SQL] * len(wanted)) or "1 = 0",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
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
