"""When staff are reminded: pure rules over dates and working days (no database).

* Messages go out only on the organisation's working days (never on a Sunday, a public holiday
  or a closure day; Saturday only when it counts, "jours ouvrables"), from the sending hour on.
* A complaint due in N working days (N from the organisation's list, "3,1" by default) gets one
  reminder per N. A reminder that could not go out on its day (Sunday, holiday, worker stopped)
  is not lost: the next allowed day sends it with the days actually left, so "due in 1 day"
  read on a holiday becomes "due today" the next day. Only the latest one missed is sent:
  nobody needs "due in 3 days" and "due in 1 day" in the same morning.
* An overdue complaint gets one alert, the first allowed day after its due date.
"""

from __future__ import annotations

from datetime import datetime

from reclamations.core.calendar import WorkingCalendar

OVERDUE = "overdue"


def due_soon_kind(days_before: int) -> str:
    """The ReminderSent kind of the reminder given `days_before` working days ahead."""
    return f"due_in_{days_before}"


def sending_allowed(moment: datetime, *, calendar: WorkingCalendar, from_hour: int) -> bool:
    """True when staff messages may go out at `moment` (a local, aware datetime)."""
    return calendar.is_working_day(moment.date()) and moment.hour >= from_hour


def reminder_kind(days_left: int, thresholds: tuple[int, ...]) -> str | None:
    """The reminder a complaint with `days_left` working days left is owed, if any.

    `days_left` is `deadlines.working_days_left`: 0 on the due date, negative once overdue.
    The owed reminder is the one of the smallest threshold not below `days_left`: with
    thresholds (3, 1), 3 or 2 days left owe "due_in_3", 1 or 0 owe "due_in_1".
    """
    if days_left < 0:
        return OVERDUE
    reached = [days for days in thresholds if days >= days_left]
    if not reached:
        return None
    return due_soon_kind(min(reached))
