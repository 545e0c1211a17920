"""Response deadlines of complaints, in working days (pure functions, no Django).

The rules, from the product specification:

* the day of reception is never counted, whatever it is (a working day, a Sunday, a holiday):
  the deadline is the end of the N-th working day strictly after it;
* a deadline falling on a Saturday stays there (strict reading, the default), or is carried to
  the next working day that is not a Saturday when the organisation chooses so (like article 642
  of the Code de procédure civile); this only matters for "jours ouvrables";
* while the complaint awaits additional information from the client, the clock may be suspended
  (``extend_for_suspension``);
* staff see the working days left and an urgency class for each open complaint.

Which days are working days is decided by ``reclamations.core.calendar.WorkingCalendar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Final

from reclamations.core.calendar import (
    CALENDAR_KINDS,
    CalendarKind,
    WorkingCalendar,
    normalise_subdivision,
)
from reclamations.core.procedure import (
    DEFAULT_DEADLINE_DAYS,
    DEFAULT_DUE_SOON_DAYS,
    MAX_DEADLINE_DAYS,
    MIN_DEADLINE_DAYS,
    PhoneClock,
    deadline_days_problem,
)

_SATURDAY: Final = 5


def _check_days(days: int, *, bounded: bool) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"Le délai doit être un nombre entier de jours, pas {days!r}.")
    problem = deadline_days_problem(days) if bounded else None
    if problem:
        raise ValueError(problem)
    if days < MIN_DEADLINE_DAYS:
        raise ValueError(f"Le délai de réponse doit être d'au moins 1 jour (reçu : {days}).")


def _apply_saturday_policy(due: date, calendar: WorkingCalendar, carry_saturday: bool) -> date:
    """Carry a Saturday deadline to the next working day that is not a Saturday, if asked."""
    if carry_saturday:
        while due.weekday() == _SATURDAY:
            due = calendar.next_working_day(due)
    return due


def due_date(
    received_on: date, *, days: int, calendar: WorkingCalendar, carry_saturday: bool = False
) -> date:
    """Last day to answer a complaint received on ``received_on``: ``days`` working days later.

    The reception day is not counted, even when it is a working day; a complaint received on a
    Sunday or a holiday therefore simply counts from the next working day. With
    ``carry_saturday`` a deadline falling on a Saturday moves to the next working day that is
    not a Saturday (usually the Monday); otherwise it stays on the Saturday.

    >>> due_date(date(2026, 11, 2), days=10, calendar=WorkingCalendar())  # 11 Nov skipped
    datetime.date(2026, 11, 14)
    """
    _check_days(days, bounded=False)
    due = calendar.add_working_days(received_on, days)
    return _apply_saturday_policy(due, calendar, carry_saturday)


def extend_for_suspension(
    due: date,
    *,
    suspended_from: date,
    suspended_to: date,
    calendar: WorkingCalendar,
    carry_saturday: bool = False,
) -> date:
    """Push ``due`` back by the working days during which the clock was suspended.

    The clock stops when information is requested from the client (``suspended_from``, date A)
    and restarts when the answer arrives (``suspended_to``, date B). The suspended working days
    are the working days ``d`` with ``A < d <= B``: the request day still counts for the
    organisation (it worked on the complaint that day), the answer day does not (the clock
    restarts the day after, like a fresh reception). The new due date is ``due`` moved forward
    by that many working days, then the Saturday policy is applied again. A request and an
    answer on the same day suspend nothing.

    >>> extend_for_suspension(  # Tue 10 and Thu 12 (Wed 11 Nov is a holiday): 2 days
    ...     date(2026, 11, 14),
    ...     suspended_from=date(2026, 11, 9),
    ...     suspended_to=date(2026, 11, 12),
    ...     calendar=WorkingCalendar(),
    ... )
    datetime.date(2026, 11, 17)
    """
    if suspended_to < suspended_from:
        raise ValueError(
            "La fin de la suspension ne peut pas précéder son début "
            f"({suspended_to.isoformat()} < {suspended_from.isoformat()})."
        )
    suspended = calendar.count_working_days(suspended_from, suspended_to)
    extended = calendar.add_working_days(due, suspended)
    return _apply_saturday_policy(extended, calendar, carry_saturday)


def working_days_left(due: date, *, today: date, calendar: WorkingCalendar) -> int:
    """Working days left to answer, as shown to staff.

    * before the due date: working days ``d`` with ``today < d <= due`` (2 on Wednesday for a
      Friday deadline);
    * on the due date: 0;
    * after it: minus the working days ``d`` with ``due < d <= today`` (-2 on the following
      Monday in "ouvrables", counting Saturday, -1 in "ouvrés"), and at least -1: once the due
      date has passed the complaint is overdue, even on a Sunday right after a Saturday deadline
      (no working day elapsed yet). This matches the register's "overdue" filter ``due < today``.
    """
    if today <= due:
        return calendar.count_working_days(today, due)
    return -max(1, calendar.count_working_days(due, today))


class Urgency(StrEnum):
    """Urgency class of an open complaint, from its working days left."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"


def urgency(days_left: int, *, due_soon_threshold: int = DEFAULT_DUE_SOON_DAYS) -> Urgency:
    """OVERDUE below 0, DUE_SOON from 0 to ``due_soon_threshold`` included, else ON_TRACK."""
    if due_soon_threshold < 0:
        raise ValueError(
            f"Le seuil d'alerte doit être positif ou nul (reçu : {due_soon_threshold})."
        )
    if days_left < 0:
        return Urgency.OVERDUE
    if days_left <= due_soon_threshold:
        return Urgency.DUE_SOON
    return Urgency.ON_TRACK


def due_soon_limit(today: date, *, threshold: int, calendar: WorkingCalendar) -> date:
    """The first due date that is not "due soon" on ``today``.

    An open complaint is due soon when ``today <= due < due_soon_limit(...)``: exactly when
    ``urgency(working_days_left(due, ...), due_soon_threshold=threshold)`` is DUE_SOON, since
    ``threshold`` or fewer working days lie after today up to a due date before the
    (threshold + 1)-th working day. The register filters with this bound, so that its counts
    and its badges never disagree.
    """
    if threshold < 0:
        raise ValueError(f"Le seuil d'alerte doit être positif ou nul (reçu : {threshold}).")
    return calendar.add_working_days(today, threshold + 1)


def waiting_too_long_limit(today: date, *, days: int, calendar: WorkingCalendar) -> date:
    """The last day a request to the client may have gone out on for the client to have had
    ``days`` working days or more to answer by ``today``: a request on or before it has waited
    too long (``count_working_days(request, today) >= days``)."""
    if days < 1:
        raise ValueError(f"L'attente se compte en jours ouvrés positifs (reçu : {days}).")
    day = today - timedelta(days=days)
    while calendar.count_working_days(day, today) < days:
        day -= timedelta(days=1)
    # The latest such day: step forward while the count still holds.
    while calendar.count_working_days(day + timedelta(days=1), today) >= days:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class DeadlinePolicy:
    """An organisation's deadline settings, validated; builds its ``WorkingCalendar``.

    ``days`` must be between 1 and 90. ``phone_clock_starts_at`` says whether the clock of a
    complaint made by phone starts at the call or at the written confirmation; and
    ``suspend_while_awaiting_information`` whether ``extend_for_suspension`` applies. Both are
    read by the callers; the policy only carries them.
    """

    days: int = DEFAULT_DEADLINE_DAYS
    calendar_kind: str = CalendarKind.OUVRABLES
    subdivision: str | None = None
    carry_saturday: bool = False
    phone_clock_starts_at: str = PhoneClock.CALL
    suspend_while_awaiting_information: bool = False
    extra_closures: frozenset[date] = frozenset()
    worked_holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        _check_days(self.days, bounded=True)
        if self.calendar_kind not in CALENDAR_KINDS:
            raise ValueError(
                f"Type de décompte inconnu : « {self.calendar_kind} ». "
                "Valeurs possibles : « ouvrables » ou « ouvres »."
            )
        if self.phone_clock_starts_at not in tuple(PhoneClock):
            raise ValueError(
                "Point de départ inconnu pour une réclamation téléphonique : "
                f"« {self.phone_clock_starts_at} ». Valeurs possibles : « call » ou "
                "« confirmation »."
            )
        object.__setattr__(self, "subdivision", normalise_subdivision(self.subdivision))
        object.__setattr__(self, "extra_closures", frozenset(self.extra_closures))
        object.__setattr__(self, "worked_holidays", frozenset(self.worked_holidays))

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The organisation's working calendar (built once per policy)."""
        return WorkingCalendar(
            kind=CalendarKind(self.calendar_kind),
            subdivision=self.subdivision,
            extra_closures=self.extra_closures,
            worked_holidays=self.worked_holidays,
        )

    def due_date_for(self, received_on: date) -> date:
        """Due date of a complaint whose clock starts on ``received_on``, under this policy."""
        return due_date(
            received_on,
            days=self.days,
            calendar=self.calendar,
            carry_saturday=self.carry_saturday,
        )


__all__ = [
    "DEFAULT_DEADLINE_DAYS",
    "MAX_DEADLINE_DAYS",
    "MIN_DEADLINE_DAYS",
    "DeadlinePolicy",
    "Urgency",
    "due_date",
    "due_soon_limit",
    "extend_for_suspension",
    "urgency",
    "waiting_too_long_limit",
    "working_days_left",
]
