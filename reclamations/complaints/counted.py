"""What the statistics count of one complaint, and how a change moves the counts kept for them
(decision 0029). Pure: the database side is complaints/counts.py.

A complaint counts once in each figure, on its day of reception: once among the complaints
received, once under each code and context it has (its kind, its channel... its training, its
cause), once under the working-day span it took to be acknowledged and to be replied to (kept as
the two days, not as a number of days: the organisation's calendar may change, and the figures
are always counted with the calendar of the day), once among the replies on time or late, and
once among the open complaints while it is open. Each key is kept for its day and, but for the
open complaints (read whatever their day), for its month: a period of whole months reads a row a
month, its ragged ends a row a day.
"""

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from reclamations.complaints.enums import OPEN_STATUSES

# The figures: the codes and free texts are the complaint's field names.
RECEIVED = "received"
CODES = (
    "kind",
    "channel",
    "category",
    "client_type",
    "funding",
    "client_satisfaction",
    "client_acceptance",
)
TEXTS = ("training", "trainer", "funder", "cause")
REPLY = "reply"  # the span from the clock's start (or the reception) to the first reply
ON_TIME = "on_time"  # of the replied: "yes", "no", or "unknown" (no deadline to judge by)
ACKNOWLEDGEMENT = "acknowledgement"  # the span from the reception to the first acknowledgement
OPEN = "open"
# The register's codes together, its status first ("closed complaint email pedagogy company"):
# a filtered register is counted from them (complaints/register_kept.py), not row by row.
REGISTER = "register"
REGISTER_CODES = ("status", "kind", "channel", "category", "client_type")
ON_TIME_VALUES = {True: "yes", False: "no", None: "unknown"}
# The complaint's fields a kept count depends on (the acknowledgement aside: an event's).
FIELDS = (
    "received_on",
    *CODES,
    *TEXTS,
    "clock_started_on",
    "first_replied_on",
    "replied_on_time",
    "status",
)


@dataclass(frozen=True)
class Counted:
    """What the kept counts hold of one complaint."""

    received_on: date
    codes: tuple[str, ...]  # in the order of CODES
    texts: tuple[str, ...]  # in the order of TEXTS
    reply_started_on: date | None  # None until the first reply
    first_replied_on: date | None
    replied_on_time: bool | None
    acknowledged_on: date | None
    status: str

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


def as_day(value: date | str | None) -> date | None:
    """A day as a field or a database driver gives it (SQLite's raw rows: ISO text)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def counted_of(fields: Mapping[str, Any], acknowledged_on: date | None) -> Counted:
    """What the counts hold of a complaint whose FIELDS are `fields`, first acknowledged on
    `acknowledged_on`."""
    received_on = as_day(fields["received_on"])
    assert received_on is not None  # a complaint is always received on a day
    first_replied_on = as_day(fields["first_replied_on"])
    started = as_day(fields["clock_started_on"]) or received_on
    return Counted(
        received_on=received_on,
        codes=tuple(str(fields[name] or "") for name in CODES),
        texts=tuple(str(fields[name] or "") for name in TEXTS),
        reply_started_on=started if first_replied_on is not None else None,
        first_replied_on=first_replied_on,
        replied_on_time=fields["replied_on_time"] if first_replied_on is not None else None,
        acknowledged_on=acknowledged_on,
        status=str(fields["status"]),
    )


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def to_text(counted: Counted) -> str:
    """The complaint's Counted as kept beside it (JSON)."""
    return json.dumps(
        {
            "received_on": counted.received_on.isoformat(),
            "codes": list(counted.codes),
            "texts": list(counted.texts),
            "reply": [_text(counted.reply_started_on), _text(counted.first_replied_on)],
            "on_time": counted.replied_on_time,
            "acknowledged_on": _text(counted.acknowledged_on),
            "status": counted.status,
            # Kept for the code before migration 0028, should it be brought back.
            "open": counted.open,
        },
        ensure_ascii=False,
    )


def from_text(text: str) -> Counted:
    kept = json.loads(text)
    started, replied = kept["reply"]
    return Counted(
        received_on=date.fromisoformat(kept["received_on"]),
        codes=tuple(kept["codes"]),
        texts=tuple(kept["texts"]),
        reply_started_on=_day(started),
        first_replied_on=_day(replied),
        replied_on_time=kept["on_time"],
        acknowledged_on=_day(kept["acknowledged_on"]),
        status=kept["status"],
    )


# A key of the kept counts: (a month's row?, its day (the month's first day), figure, value).
Key = tuple[bool, date, str, str]


def span_value(start: date, end: date) -> str:
    return f"{start.isoformat()} {end.isoformat()}"


def span_of(value: str) -> tuple[date, date]:
    start, end = value.split(" ")
    return date.fromisoformat(start), date.fromisoformat(end)


def month_of(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date | None:
    if month.month == 12:
        return None if month.year == date.max.year else month.replace(year=month.year + 1, month=1)
    return month.replace(month=month.month + 1)


def month_end(month: date) -> date:
    following = _next_month(month)
    return following - timedelta(days=1) if following else date.max


def _previous_month(month: date) -> date | None:
    if month.month == 1:
        return None if month.year == date.min.year else month.replace(year=month.year - 1, month=12)
    return month.replace(month=month.month - 1)


# The rows that count a period's complaints once each: (rows of months?, first day, last day).
Range = tuple[bool, date, date]


def kept_ranges(start: date, end: date) -> list[Range]:
    """The rows that count the complaints received from `start` to `end` (inclusive) once
    each, in the order of the days: the days of a month the period covers in part, the whole
    months together (by their first days). As many whatever the period's length."""
    if start > end:
        return []
    found: list[Range] = []
    first_full: date | None = month_of(start)
    if start != month_of(start):
        found.append((False, start, min(month_end(month_of(start)), end)))
        first_full = _next_month(month_of(start))
    last_full: date | None = month_of(end)
    ragged_end: Range | None = None
    if end != month_end(month_of(end)):
        last_full = _previous_month(month_of(end))
        if not found or month_of(end) != month_of(start):
            ragged_end = (False, max(month_of(end), start), end)
    if first_full is not None and last_full is not None and first_full <= last_full:
        found.append((True, first_full, last_full))
    if ragged_end is not None:
        found.append(ragged_end)
    return found


def figures_of(counted: Counted) -> list[tuple[str, str]]:
    """Each (figure, value) the complaint counts once in."""
    figures = [(RECEIVED, "")]
    figures += list(zip(CODES, counted.codes, strict=True))
    figures += list(zip(TEXTS, counted.texts, strict=True))
    if counted.first_replied_on is not None and counted.reply_started_on is not None:
        figures.append((REPLY, span_value(counted.reply_started_on, counted.first_replied_on)))
        figures.append((ON_TIME, ON_TIME_VALUES[counted.replied_on_time]))
    if counted.acknowledged_on is not None:
        figures.append((ACKNOWLEDGEMENT, span_value(counted.received_on, counted.acknowledged_on)))
    if counted.open:
        figures.append((OPEN, ""))
    figures.append((REGISTER, register_value(counted)))
    return figures


def register_value(counted: Counted) -> str:
    """The REGISTER_CODES, a space between (a code is a word: never a space in it)."""
    codes = dict(zip(CODES, counted.codes, strict=True))
    return " ".join([counted.status, *(codes[name] for name in REGISTER_CODES[1:])])


def keys_of(counted: Counted) -> list[Key]:
    """The keys the complaint adds one to: each figure by day, and by month but the open."""
    day, month = counted.received_on, month_of(counted.received_on)
    keys: list[Key] = []
    for figure, value in figures_of(counted):
        keys.append((False, day, figure, value))
        if figure != OPEN:
            keys.append((True, month, figure, value))
    return keys


def moves(before: Counted | None, after: Counted | None) -> dict[Key, int]:
    """What a change does to the kept counts: each key's difference, none of them zero."""
    change: Counter[Key] = Counter()
    if before is not None:
        change.subtract(keys_of(before))
    if after is not None:
        change.update(keys_of(after))
    return {key: n for key, n in change.items() if n}
