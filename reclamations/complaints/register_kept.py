"""A register filtered on its codes and period, counted from the counts kept of its codes
together (counted.REGISTER, decision 0029) instead of complaint by complaint: a row a month
for the period's whole months and a row a day for its ragged ends, each row a combination of
status, kind, channel, category and client type. The count of a year of 229,000 complaints
took 39 ms at 1,000,000, reading the index entry of each (bench/README.md)."""

from dataclasses import replace
from datetime import date
from typing import Any

from django.db import connection

from reclamations.complaints.counted import REGISTER, REGISTER_CODES, kept_ranges
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
