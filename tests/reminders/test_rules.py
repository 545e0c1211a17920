"""When reminders are owed and when they may go out: pure rules."""

from datetime import date, datetime

import pytest

from reclamations.core.calendar import WorkingCalendar
from reclamations.reminders.models import parse_days_before
from reclamations.reminders.rules import reminder_kind, sending_allowed
from tests.clock import PARIS

OUVRABLES = WorkingCalendar(kind="ouvrables")
OUVRES = WorkingCalendar(kind="ouvres")


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (10, None),
        (4, None),
        (3, "due_in_3"),
        (2, "due_in_3"),
        (1, "due_in_1"),
        (0, "due_in_1"),
        (-1, "overdue"),
        (-7, "overdue"),
    ],
)
def test_reminder_kind_with_default_thresholds(days_left, expected):
    assert reminder_kind(days_left, (3, 1)) == expected


def test_reminder_kind_without_thresholds_only_alerts_when_overdue():
    assert reminder_kind(0, ()) is None
    assert reminder_kind(-1, ()) == "overdue"


@pytest.mark.parametrize(
    ("moment", "calendar", "expected"),
    [
        (datetime(2026, 11, 9, 8, 0, tzinfo=PARIS), OUVRABLES, True),  # Monday 8:00
        (datetime(2026, 11, 9, 7, 59, tzinfo=PARIS), OUVRABLES, False),  # before the hour
        (datetime(2026, 11, 11, 9, 0, tzinfo=PARIS), OUVRABLES, False),  # 11 November
        (datetime(2026, 11, 14, 9, 0, tzinfo=PARIS), OUVRABLES, True),  # Saturday, ouvrables
        (datetime(2026, 11, 14, 9, 0, tzinfo=PARIS), OUVRES, False),  # Saturday, ouvrés
        (datetime(2026, 11, 15, 9, 0, tzinfo=PARIS), OUVRABLES, False),  # Sunday
    ],
)
def test_sending_allowed_on_working_days_from_the_hour(moment, calendar, expected):
    assert sending_allowed(moment, calendar=calendar, from_hour=8) is expected


def test_sending_allowed_on_a_holiday_the_organisation_works():
    calendar = WorkingCalendar(worked_holidays=frozenset({date(2026, 11, 11)}))

    assert sending_allowed(datetime(2026, 11, 11, 9, tzinfo=PARIS), calendar=calendar, from_hour=8)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("3,1", (3, 1)), ("1, 3", (3, 1)), ("5", (5,)), ("2;2;7", (7, 2)), ("", ())],
)
def test_parse_days_before_accepts_a_list_of_days(value, expected):
    assert parse_days_before(value) == expected


@pytest.mark.parametrize("value", ["0", "-1", "trois", "1.5"])
def test_parse_days_before_rejects_anything_else(value):
    with pytest.raises(ValueError) as raised:
        parse_days_before(value)

    assert str(raised.value) == (
        f"« {value} » n'est pas un nombre de jours valide : indiquez des nombres entiers "
        "positifs séparés par des virgules, par exemple « 3,1 »."
    )
