"""Dates and counts as an English reader expects them in an e-mail (the client's language,
issue 12). Pure: written out here, as core.french is, rather than through the process locale."""

from datetime import date
from typing import Final

DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def written_date(day: date | None) -> str:
    """ "14 November 2026"; "" for None."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date(day: date | None) -> str:
    """ "Saturday 14 November 2026" (day before month: no reader mistakes it); "" for None."""
    if day is None:
        return ""
    return f"{DAYS[day.weekday()]} {written_date(day)}"


def working_days_text(days: int, *, saturdays: bool) -> str:
    """ "10 working days (Monday to Saturday)": French "jours ouvrables" count Saturdays,
    "jours ouvrés" do not; English has one word for both, so the week is said."""
    unit = "working day" if abs(days) == 1 else "working days"
    return f"{days} {unit} ({_week(saturdays)})"


def working_days_unit(*, saturdays: bool) -> str:
    """ "working days (Monday to Saturday)": what a count of days is in (see above)."""
    return f"working days ({_week(saturdays)})"


def _week(saturdays: bool) -> str:
    return "Monday to Saturday" if saturdays else "Monday to Friday"
