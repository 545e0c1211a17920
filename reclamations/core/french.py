"""Dates as a French reader expects them in a letter or an email. Pure."""

from datetime import date
from typing import Final

DAYS: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def long_date(day: date | None) -> str:
    """ "samedi 14 novembre 2026": unambiguous whatever the reader's habits; "" for None.

    Written out here rather than through the process locale, which a server may not have.
    """
    if day is None:
        return ""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def written_date(day: date | None) -> str:
    """ "29 novembre 2026", "1er décembre 2026": a date as a French letter writes it."""
    if day is None:
        return ""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def counted(number: int, singular: str, plural: str) -> str:
    """ "0 réclamation", "1 réclamation", "12 500 réclamations": 0 and 1 take the singular in
    French, and thousands are set apart by a no-break space (never cut from their number)."""
    digits = f"{number:,}".replace(",", "\u00a0")
    return f"{digits} {singular if abs(number) < 2 else plural}"
