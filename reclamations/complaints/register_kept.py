"""A register filtered on its codes and period, counted from the counts kept of its codes
together (counted.REGISTER, decision 0029) instead of complaint by complaint: a row a month
for the period's whole months and a row a day for its ragged ends, each row a combination of
status, kind, channel, category and client type. The count of a year of 229,000 complaints
took 39 ms at 1,000,000, reading the index entry of each (bench/README.md).

The same counts place a page deep in such a register, in the order by reception: they tell on
which day of reception its first line was received, and how many of that day's lines come
before it, so that the page is read from that day rather than by an OFFSET over every line
before it."""

from dataclasses import replace
from datetime import date
from typing import Any

from django.db import connection

from reclamations.complaints.counted import (
    RECEIVED,
    REGISTER,
    REGISTER_CODES,
    Range,
    as_day,
    kept_ranges,
    month_end,
    month_of,
)
from reclamations.complaints.counts_models import StatisticsCount
from reclamations.complaints.enums import OPEN_STATUSES
from reclamations.complaints.queries import RegisterFilters

_TABLE = StatisticsCount._meta.db_table
# The literal figure: the partial index statistics_register_codes is taken for it. A range
# a statement, joined: with the ranges in one OR, SQLite read every row of the figure.
_RANGE_SQL = (
    f"SELECT value, complaints FROM {_TABLE} "  # noqa: S608 - fixed names
    f"WHERE organisation_id = %s AND figure = '{REGISTER}' AND month = %s "
    "AND day >= %s AND day <= %s"
)
_COUNTS_SQL = "SELECT value, SUM(complaints) FROM ({ranges}) AS kept GROUP BY value"


def counted_from_codes(filters: RegisterFilters) -> bool:
    """Whether the filters are the codes and the period only: the kept counts of the codes
    together know nothing else of a complaint (its texts, its due date, its words)."""
    rest = replace(
        filters,
        status="",
        kind="",
        channel="",
        category="",
        client_type="",
        received_from=None,
        received_to=None,
        open_only=False,
    )
    return rest.is_empty()


def kept_register_count(organisation_id: int, filters: RegisterFilters) -> int:
    """How many complaints the register lists under `filters` (counted_from_codes): one query
    of about a thousand rows a year, whatever the number of complaints."""
    ranges = kept_ranges(filters.received_from or date.min, filters.received_to or date.max)
    if not ranges:
        return 0
    parameters: list[Any] = []
    for range_ in ranges:
        parameters += [organisation_id, *range_]
    sql = _COUNTS_SQL.format(ranges=" UNION ALL ".join([_RANGE_SQL] * len(ranges)))
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    # Each code asked, by its place in the value (counted.register_value).
    wanted = [
        (place, getattr(filters, name))
        for place, name in enumerate(REGISTER_CODES)
        if getattr(filters, name)
    ]
    open_only = filters.lists_open_only
    total = 0
    for value, complaints in rows:
        codes = value.split(" ")
        if open_only and codes[0] not in OPEN_STATUSES:
            continue
        if all(codes[place] == code for place, code in wanted):
            total += int(complaints)
    return total


def kept_place(
    organisation_id: int, filters: RegisterFilters, start: int, *, newest_first: bool
) -> tuple[date, int] | None:
    """Where the line `start` (the first is 0) of the register under `filters` lies in the
    order by reception: its day of reception and how many of the register's lines received
    that day come before it. None past the last line, or when the filters are not a period
    and at most one of kind, channel, category and client type (placeable): the figure that
    counts them has a row a month (and a day), where the codes together have hundreds (19,651
    rows a month for 100,000 complaints: reading them cost more than the OFFSET they spare).
    Two queries of about a hundred rows: the period's months (and ragged days), then the days
    of the month it falls in."""
    figure = _placing_figure(filters)
    ranges = kept_ranges(filters.received_from or date.min, filters.received_to or date.max)
    if figure is None or not ranges or start < 0:
        return None
    found = _walk(_read_by_day(organisation_id, figure, ranges), start, newest_first)
    if found is None:
        return None
    (whole_month, day), before = found
    if not whole_month:
        return day, before
    month = month_of(day)
    days = _read_by_day(organisation_id, figure, [(False, month, month_end(month))])
    within = _walk(days, before, newest_first)
    if within is None:  # the month's days count fewer than the month: counts being changed
        return None
    (_, day), before = within
    return day, before


def placeable(filters: RegisterFilters) -> bool:
    """Whether kept_place() can place a line of the register under `filters` (which are
    counted_from_codes)."""
    return _placing_figure(filters) is not None


def _placing_figure(filters: RegisterFilters) -> tuple[str, str] | None:
    """The kept figure, and its value, that counts the complaints under `filters` a month and
    a day at a time."""
    if filters.status or filters.lists_open_only:
        return None
    codes = [(name, getattr(filters, name)) for name in REGISTER_CODES if getattr(filters, name)]
    if not codes:
        return RECEIVED, ""
    if len(codes) == 1:
        return codes[0]  # each code is counted under a figure of its name (counted.CODES)
    return None


_BY_DAY_SQL = (
    f"SELECT month, day, SUM(complaints) FROM {_TABLE} "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND figure = %s AND value = %s AND month = %s "
    "AND day >= %s AND day <= %s GROUP BY month, day"
)


def _read_by_day(
    organisation_id: int, figure: tuple[str, str], ranges: list[Range]
) -> dict[tuple[bool, date], int]:
    """The complaints counted under `figure` in each month or day of `ranges` (a month: its
    first day)."""
    parameters: list[Any] = []
    for range_ in ranges:
        parameters += [organisation_id, *figure, *range_]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([_BY_DAY_SQL] * len(ranges)), parameters)
        rows = cursor.fetchall()
    counts: dict[tuple[bool, date], int] = {}
    for month, day, complaints in rows:
        received = as_day(day)
        if received is not None:
            counts[(bool(month), received)] = int(complaints)
    return counts


def _walk(
    counts: dict[tuple[bool, date], int], start: int, newest_first: bool
) -> tuple[tuple[bool, date], int] | None:
    """The month or day the line `start` falls in, in the order, and how many of its lines
    come before it. Months and days never overlap (counted.kept_ranges)."""
    passed = 0
    for bucket in sorted(counts, key=lambda bucket: bucket[1], reverse=newest_first):
        if start < passed + counts[bucket]:
            return bucket, start - passed
        passed += counts[bucket]
    return None
