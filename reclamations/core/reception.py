"""When a complaint can have been received: from 1 January 2000 to tomorrow. Pure: no Django.

The one rule behind the registration's check and the corrections of a reception
(complaints.validation), the mail channel's choice of a reception moment (intake.evidence,
intake.forwarding) and the parser's reading of a message's dates (intake.parsing).
"""

from datetime import UTC, date, datetime, timedelta, tzinfo

EARLIEST_RECEPTION = date(2000, 1, 1)

OUT_OF_RANGE = (
    "Date de réception impossible : indiquez un jour entre le 01/01/2000 et demain "
    "(vérifiez l'année)."
)


def day_in(moment: datetime, zone: tzinfo) -> date | None:
    """The day `moment` falls on in `zone`; None when Python cannot shift it there (year 1 at
    +01:00 is in year 0 in UTC, year 9999 at -01:00 in year 10000)."""
    try:
        return moment.astimezone(zone).date()
    except OverflowError:
        return None


def reception_problem(moment: datetime, *, zone: tzinfo, today: date) -> str | None:
    """Why `moment` (aware) cannot be a reception for an organisation living in `zone` whose
    day is `today` (French), or None: the day there is from 2000 to tomorrow."""
    day = day_in(moment, zone)
    if day is None or day < EARLIEST_RECEPTION or day > today + timedelta(days=1):
        return OUT_OF_RANGE
    return None


def impossible_date(moment: datetime) -> bool:
    """True for a moment no reception can have whatever the day it is (before 2000, or beyond
    what Python shifts): what a message's dates are checked against when they are read.

    A day later than the registration's bound, in UTC: the organisation's day may start up to
    twelve hours after UTC's (overseas, west of Greenwich), and a date the parser lets through
    must never be one the registration then refuses (the message would fail at every reading).
    """
    day = day_in(moment, UTC)
    return day is None or day <= EARLIEST_RECEPTION
