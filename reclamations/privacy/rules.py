"""When a closed complaint is archived, then anonymised, and what holds it (decision 0024), as
pure functions."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Step(StrEnum):
    ARCHIVE = "archive"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Policy:
    """Months after closure before archiving, and before anonymising."""

    archive_months: int
    anonymise_months: int


@dataclass(frozen=True)
class Standing:
    """What retention reads of a complaint."""

    closed_on: date | None
    archived_on: date | None = None
    anonymised_on: date | None = None
    mediation_seized_on: date | None = None
    mediation_outcome: str = ""
    litigation_started_on: date | None = None
    litigation_outcome: str = ""


@dataclass(frozen=True)
class Due:
    """The step a complaint has reached (None: none yet), the day it was due, and what holds
    it back ("" when nothing does)."""

    step: Step | None
    due_on: date | None = None
    hold: str = ""


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has none (31 January plus
    one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def legal_hold(standing: Standing) -> str:
    """Why the complaint must be kept as it is (French), "" when nothing holds it: a mediation
    or a litigation under way (seized or started, no outcome recorded yet)."""
    if standing.litigation_started_on is not None and not standing.litigation_outcome.strip():
        return (
            f"contentieux engagé le {standing.litigation_started_on:%d/%m/%Y}, sans issue "
            "enregistrée"
        )
    if standing.mediation_seized_on is not None and not standing.mediation_outcome.strip():
        return f"médiateur saisi le {standing.mediation_seized_on:%d/%m/%Y}, sans issue enregistrée"
    return ""


def due_step(standing: Standing, policy: Policy, today: date) -> Due:
    """What retention does with the complaint today: anonymise it (archived or not) once its
    anonymisation is due, else archive it once that is due; nothing for an open complaint
    (no closure date) or one already anonymised."""
    if standing.closed_on is None or standing.anonymised_on is not None:
        return Due(None)
    anonymise_on = add_months(standing.closed_on, policy.anonymise_months)
    archive_on = add_months(standing.closed_on, policy.archive_months)
    if today >= anonymise_on:
        due = Due(Step.ANONYMISE, anonymise_on)
    elif today >= archive_on and standing.archived_on is None:
        due = Due(Step.ARCHIVE, archive_on)
    else:
        return Due(None)
    hold = legal_hold(standing)
    return Due(due.step, due.due_on, hold) if hold else due


def earliest_closure(today: date, months: int) -> date:
    """The latest closure date for which `months` have passed by `today` (a bound for the
    database's query; `due_step` decides each complaint)."""
    back = add_months(today, -months)
    # add_months clamps to the month's end: a closure on the 31st can fall due on the 30th.
    return date(back.year, back.month, calendar.monthrange(back.year, back.month)[1])


# Data subjects' requests (GDPR article 12(3)): answered "without undue delay and in any event
# within one month of receipt of the request", a period that "may be extended by two further
# months where necessary", the person told of the extension and its reasons within the first
# month. Months are counted as add_months does: 31 January is due on 28 (or 29) February.
REQUEST_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
# The managers are reminded once when a request falls due within this many days, once overdue.
REMINDER_DAYS = 7
DUE_SOON = "due_soon"
OVERDUE = "overdue"


def request_due_on(received_on: date) -> date:
    """The day the answer to a request received on `received_on` is due."""
    return add_months(received_on, REQUEST_MONTHS)


def extended_due_on(received_on: date, months: int) -> date:
    """The day it is due once extended by `months` (1 or 2) further months: counted from the
    reception, like the first month (three months from 31 January end on 30 April)."""
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"An extension is of 1 to {MAX_EXTENSION_MONTHS} months, not {months}.")
    return add_months(received_on, REQUEST_MONTHS + months)


def request_reminder(deadline: date, today: date) -> str | None:
    """The reminder a request still open is owed today: DUE_SOON within REMINDER_DAYS days of
    its deadline (the day itself included), OVERDUE after it, None before."""
    left = (deadline - today).days
    if left < 0:
        return OVERDUE
    if left <= REMINDER_DAYS:
        return DUE_SOON
    return None
