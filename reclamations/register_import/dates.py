"""Dates as registers kept in spreadsheets write them. Pure: no Django.

A cell may hold a real date (a date cell of a workbook), an Excel serial number (a date cell
formatted as a number, or a CSV saved from one), or text: 14/03/2024, 14/03/24, 14.03.2024,
2024-03-14, "14 mars 2024", "jeudi 14 mars 2024", "1er mars 2024", with or without a time.
Days are read day first, as in France; a day that does not exist (31/02/2023) is unreadable,
never moved to the next valid one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# Excel's day 0 in its 1900 date system (its 29/02/1900, which never was, is why it is not
# 31/12/1899); serials after 60 read right, and every register is after 1900.
EXCEL_EPOCH = date(1899, 12, 30)
# A serial below this is no date of a register (1954): a count or an amount, unreadable.
SMALLEST_SERIAL = 20_000
LARGEST_SERIAL = 2_958_465  # 31/12/9999

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_TIME = r"(?:\s*(?:a|,)?\s*(?P<hour>\d{1,2})\s*[:h]\s*(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?"
_NUMERIC_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})\s*[/.\-]\s*(?P<month>\d{1,2})\s*[/.\-]\s*(?P<year>\d{4}|\d{2})"
    + _TIME
    + "$"
)
_ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?$"
)
_WORDS = re.compile(
    r"^(?:(?:" + "|".join(WEEKDAYS) + r")\s+)?(?P<day>\d{1,2})(?:er)?\s+(?P<month>[a-z]+)\.?\s+"
    r"(?P<year>\d{4}|\d{2})" + _TIME + "$"
)
_SERIAL_TEXT = re.compile(r"^\d{5,7}(?:[.,]\d+)?$")


@dataclass(frozen=True)
class ReadDate:
    """A day read from a cell, and its time when the cell gave one."""

    day: date
    time: time | None = None


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _year(text: str) -> int:
    # Two digits: this century (no register the application takes is older than 2000).
    return 2000 + int(text) if len(text) == 2 else int(text)


def _built(year: int, month: int, day: int, hour: str | None, minute: str | None) -> ReadDate:
    """The date, or ValueError for one that does not exist (31/02, 25:70)."""
    built = date(year, month, day)
    if hour is None or minute is None:
        return ReadDate(built)
    return ReadDate(built, time(int(hour), int(minute)))


def from_serial(serial: float) -> ReadDate | None:
    """An Excel serial number (days since EXCEL_EPOCH, the fraction a time of day)."""
    if not SMALLEST_SERIAL <= serial <= LARGEST_SERIAL:
        return None
    whole = int(serial)
    day = EXCEL_EPOCH + timedelta(days=whole)
    seconds = round((serial - whole) * 86_400)
    if seconds == 0 or seconds >= 86_400:
        return ReadDate(day)
    return ReadDate(day, time(seconds // 3600, seconds % 3600 // 60))


def _from_text(text: str) -> ReadDate | None:
    folded = _folded(text)
    for pattern in (_NUMERIC_DAY_FIRST, _ISO):
        found = pattern.match(folded)
        if found:
            parts = found.groupdict()
            return _built(
                _year(parts["year"]),
                int(parts["month"]),
                int(parts["day"]),
                parts["hour"],
                parts["minute"],
            )
    found = _WORDS.match(folded)
    if found:
        month = MONTHS.get(found["month"])
        if month is None:
            return None
        return _built(
            _year(found["year"]), month, int(found["day"]), found["hour"], found["minute"]
        )
    if _SERIAL_TEXT.match(folded):
        return from_serial(float(folded.replace(",", ".")))
    return None


def read_date(value: object) -> ReadDate | None:
    """The date a cell holds, or None when it holds none that can be read."""
    if isinstance(value, datetime):
        moment = value.time()
        return ReadDate(value.date(), None if moment == time(0, 0) else moment.replace(second=0))
    if isinstance(value, date):
        return ReadDate(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return from_serial(float(value))
    if isinstance(value, str):
        try:
            return _from_text(value.strip())
        except ValueError:
            return None  # a day or a time that does not exist
    return None
