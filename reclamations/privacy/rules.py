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
