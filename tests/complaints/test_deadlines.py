"""Response deadlines: due date, Saturday policy, suspension, working days left, urgency.

Every expected date was computed by hand from a printed calendar; the weekday is in a comment
and the counted days are listed. No database, no Django: plain functions.
"""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reclamations.complaints.deadlines import (
    DeadlinePolicy,
    Urgency,
    due_date,
    due_soon_limit,
    extend_for_suspension,
    urgency,
    waiting_too_long_limit,
    working_days_left,
)
from reclamations.core.calendar import WorkingCalendar

OUVRABLES = WorkingCalendar()
OUVRES = WorkingCalendar(kind="ouvres")

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def cal(kind: str = "ouvrables", subdivision: str | None = None) -> WorkingCalendar:
    return WorkingCalendar(kind=kind, subdivision=subdivision)  # type: ignore[arg-type]


# --- due_date: the specification's worked example ---------------------------------------------


def test_due_date_skips_11_november_and_ends_on_a_saturday_in_ouvrables():
    # Received Monday 2 Nov 2026 (the day after All Saints): 3,4,5,6,7,9,10,12,13,14.
    assert due_date(date(2026, 11, 2), days=10, calendar=OUVRABLES) == date(2026, 11, 14)  # Sat


def test_due_date_carries_that_saturday_to_monday_when_asked():
    assert due_date(date(2026, 11, 2), days=10, calendar=OUVRABLES, carry_saturday=True) == date(
        2026, 11, 16
    )  # Monday


def test_due_date_in_ouvres_skips_saturdays_and_11_november():
    # 3,4,5,6,9,10,12,13,16,17.
    assert due_date(date(2026, 11, 2), days=10, calendar=OUVRES) == date(2026, 11, 17)  # Tuesday


# --- due_date: table --------------------------------------------------------------------------

DUE_DATES = [
    # (id, received_on, days, kind, subdivision, expected)
    # Weekends.
    # Mon 16 Nov 2026: 17,18,19,20,21,23,24,25,26,27 -> Friday 27.
    ("week-ouvrables", date(2026, 11, 16), 10, "ouvrables", None, date(2026, 11, 27)),
    # ... ouvrés: 17,18,19,20,23,24,25,26,27,30 -> Monday 30.
    ("week-ouvres", date(2026, 11, 16), 10, "ouvres", None, date(2026, 11, 30)),
    # Fri 20 Nov + 1: Saturday 21 / Monday 23.
    ("friday-plus-one-ouvrables", date(2026, 11, 20), 1, "ouvrables", None, date(2026, 11, 21)),
    ("friday-plus-one-ouvres", date(2026, 11, 20), 1, "ouvres", None, date(2026, 11, 23)),
    # Reception on a Saturday (21 Nov) is not counted: 23,24,25,26,27,28,30,1,2,3 -> Thu 3 Dec;
    # ouvrés: 23,24,25,26,27,30,1,2,3,4 -> Friday 4 Dec.
    ("saturday-ouvrables", date(2026, 11, 21), 10, "ouvrables", None, date(2026, 12, 3)),
    ("saturday-ouvres", date(2026, 11, 21), 10, "ouvres", None, date(2026, 12, 4)),
    # Reception on a Sunday (22 Nov) counts from Monday the same way.
    ("sunday-ouvrables", date(2026, 11, 22), 10, "ouvrables", None, date(2026, 12, 3)),
    ("sunday-ouvres", date(2026, 11, 22), 10, "ouvres", None, date(2026, 12, 4)),
    # Reception on a holiday (Wed 11 Nov 2026): 12,13,14,16,17,18,19,20,21,23 -> Monday 23;
    # ouvrés: 12,13,16,17,18,19,20,23,24,25 -> Wednesday 25.
    ("holiday-ouvrables", date(2026, 11, 11), 10, "ouvrables", None, date(2026, 11, 23)),
    ("holiday-ouvres", date(2026, 11, 11), 10, "ouvres", None, date(2026, 11, 25)),
    # Reception on the 1 November holiday, a Sunday: 2,3,4,5,6,7,9,10,12,13 -> Friday 13.
    ("all-saints-sunday", date(2026, 11, 1), 10, "ouvrables", None, date(2026, 11, 13)),
    # Easter Monday 6 Apr 2026. Fri 3 Apr + 3: Sat 4, (Sun, Mon) Tue 7, Wed 8.
    ("easter-monday-2026-ouvrables", date(2026, 4, 3), 3, "ouvrables", None, date(2026, 4, 8)),
    # ... ouvrés: Tue 7, Wed 8, Thu 9.
    ("easter-monday-2026-ouvres", date(2026, 4, 3), 3, "ouvres", None, date(2026, 4, 9)),
    # Easter Monday 29 Mar 2027. Fri 26 Mar + 2: Sat 27, (Sun, Mon) Tue 30 / Tue 30, Wed 31.
    ("easter-monday-2027-ouvrables", date(2027, 3, 26), 2, "ouvrables", None, date(2027, 3, 30)),
    ("easter-monday-2027-ouvres", date(2027, 3, 26), 2, "ouvres", None, date(2027, 3, 31)),
    # 1 May 2026 is a Friday. Thu 30 Apr + 1: Saturday 2 May / Monday 4 May.
    ("1-may-2026-ouvrables", date(2026, 4, 30), 1, "ouvrables", None, date(2026, 5, 2)),
    ("1-may-2026-ouvres", date(2026, 4, 30), 1, "ouvres", None, date(2026, 5, 4)),
    # May 2026 (1 May Fri, 8 May Fri, Ascension Thu 14). Thu 30 Apr + 10 ouvrables:
    # 2,4,5,6,7,9,11,12,13,15 -> Friday 15; ouvrés: 4,5,6,7,11,12,13,15,18,19 -> Tuesday 19.
    ("may-2026-ouvrables", date(2026, 4, 30), 10, "ouvrables", None, date(2026, 5, 15)),
    ("may-2026-ouvres", date(2026, 4, 30), 10, "ouvres", None, date(2026, 5, 19)),
    # 8 May 2026 is a Friday. Thu 7 May + 2: Sat 9, Mon 11 / Mon 11, Tue 12.
    ("8-may-2026-ouvrables", date(2026, 5, 7), 2, "ouvrables", None, date(2026, 5, 11)),
    ("8-may-2026-ouvres", date(2026, 5, 7), 2, "ouvres", None, date(2026, 5, 12)),
    # 1 May 2027 is a Saturday: Fri 30 Apr + 1 is Monday 3 May in both modes (the Saturday
    # would have been the answer in ouvrables if it were not a holiday).
    ("1-may-2027-saturday-ouvrables", date(2027, 4, 30), 1, "ouvrables", None, date(2027, 5, 3)),
    ("1-may-2027-saturday-ouvres", date(2027, 4, 30), 1, "ouvres", None, date(2027, 5, 3)),
    # 8 May 2027 is a Saturday: Fri 7 May + 1 -> Monday 10; + 2 -> Tuesday 11.
    ("8-may-2027-saturday-plus-one", date(2027, 5, 7), 1, "ouvrables", None, date(2027, 5, 10)),
    ("8-may-2027-saturday-plus-two", date(2027, 5, 7), 2, "ouvrables", None, date(2027, 5, 11)),
    # May 2027 (Ascension Thu 6, 8 May Sat, Whit Monday 17). Mon 3 May + 10 ouvrables:
    # 4,5,7,10,11,12,13,14,15,18 -> Tuesday 18; ouvrés: 4,5,7,10,11,12,13,14,18,19 -> Wed 19.
    ("may-2027-ouvrables", date(2027, 5, 3), 10, "ouvrables", None, date(2027, 5, 18)),
    ("may-2027-ouvres", date(2027, 5, 3), 10, "ouvres", None, date(2027, 5, 19)),
    # Ascension Thu 14 May 2026. Wed 13 + 1 -> Friday 15.
    ("ascension-2026", date(2026, 5, 13), 1, "ouvrables", None, date(2026, 5, 15)),
    # Whit Monday 25 May 2026. Sat 23 + 1 -> Tuesday 26; Fri 22 + 2 ouvrables: Sat 23, Tue 26.
    ("whit-monday-2026-from-saturday", date(2026, 5, 23), 1, "ouvres", None, date(2026, 5, 26)),
    ("whit-monday-2026-ouvrables", date(2026, 5, 22), 2, "ouvrables", None, date(2026, 5, 26)),
    # 14 July 2026 is a Tuesday. Mon 13 + 1 -> Wednesday 15.
    ("14-july-2026", date(2026, 7, 13), 1, "ouvrables", None, date(2026, 7, 15)),
    # 15 August 2026 is a Saturday. Thu 13 + 2 ouvrables: Fri 14, (Sat 15) Mon 17.
    ("15-august-2026-saturday", date(2026, 8, 13), 2, "ouvrables", None, date(2026, 8, 17)),
    # 11 November 2026 is a Wednesday. Tue 10 + 1 -> Thursday 12.
    ("11-november-2026", date(2026, 11, 10), 1, "ouvres", None, date(2026, 11, 12)),
    # Christmas and New Year. Tue 22 Dec 2026 + 10 ouvrables: 23,24,26,28,29,30,31,2,4,5
    # -> Tuesday 5 Jan 2027; ouvrés: 23,24,28,29,30,31,4,5,6,7 -> Thursday 7 Jan 2027.
    ("christmas-new-year-ouvrables", date(2026, 12, 22), 10, "ouvrables", None, date(2027, 1, 5)),
    ("christmas-new-year-ouvres", date(2026, 12, 22), 10, "ouvres", None, date(2027, 1, 7)),
    # Alsace-Moselle: Good Friday 3 Apr 2026. Thu 2 Apr + 1: metropole Friday 3;
    # Moselle ouvrables Saturday 4; Moselle ouvrés Tuesday 7 (Good Friday, weekend, Easter Mon).
    ("good-friday-metropole", date(2026, 4, 2), 1, "ouvrables", None, date(2026, 4, 3)),
    ("good-friday-57-ouvrables", date(2026, 4, 2), 1, "ouvrables", "57", date(2026, 4, 4)),
    ("good-friday-6AE-ouvrables", date(2026, 4, 2), 1, "ouvrables", "6AE", date(2026, 4, 4)),
    ("good-friday-57-ouvres", date(2026, 4, 2), 1, "ouvres", "57", date(2026, 4, 7)),
    ("good-friday-6AE-ouvres", date(2026, 4, 2), 1, "ouvres", "6AE", date(2026, 4, 7)),
    # 26 December 2026 is a Saturday: Thu 24 + 1 -> metropole Saturday 26, Moselle Monday 28.
    ("26-december-metropole", date(2026, 12, 24), 1, "ouvrables", None, date(2026, 12, 26)),
    ("26-december-57", date(2026, 12, 24), 1, "ouvrables", "57", date(2026, 12, 28)),
    (
        "26-december-alias-moselle",
        date(2026, 12, 24),
        1,
        "ouvrables",
        "Moselle",
        date(2026, 12, 28),
    ),
    # 26 December 2025 is a Friday: Wed 24 + 1 ouvré -> metropole Fri 26, Alsace Mon 29.
    ("26-december-2025-metropole", date(2025, 12, 24), 1, "ouvres", None, date(2025, 12, 26)),
    ("26-december-2025-6AE", date(2025, 12, 24), 1, "ouvres", "6AE", date(2025, 12, 29)),
    # Christmas and New Year in Moselle: 23,24,28,29,30,31,2,4,5,6 -> Wednesday 6 Jan 2027.
    ("christmas-new-year-57", date(2026, 12, 22), 10, "ouvrables", "57", date(2027, 1, 6)),
    # Réunion (974), abolition of slavery on 20 December. 2025-12-20 is a Saturday:
    # Fri 19 + 1 ouvrable -> metropole Saturday 20, Réunion Monday 22.
    ("974-saturday-metropole", date(2025, 12, 19), 1, "ouvrables", None, date(2025, 12, 20)),
    ("974-saturday", date(2025, 12, 19), 1, "ouvrables", "974", date(2025, 12, 22)),
    # 2027-12-20 is a Monday. Mon 13 Dec + 10 ouvrables: metropole 14,15,16,17,18,20,21,22,23,24
    # -> Fri 24; Réunion 14,15,16,17,18,21,22,23,24,27 (20 Dec, 25 Dec Sat) -> Monday 27.
    ("974-december-metropole", date(2027, 12, 13), 10, "ouvrables", None, date(2027, 12, 24)),
    ("974-december", date(2027, 12, 13), 10, "ouvrables", "974", date(2027, 12, 27)),
    ("974-alias-re", date(2027, 12, 13), 10, "ouvrables", "RE", date(2027, 12, 27)),
    # Guadeloupe (971), 27 May 2026 is a Wednesday. Tue 26 + 1 -> Thu 28 (metropole Wed 27).
    ("971-27-may", date(2026, 5, 26), 1, "ouvres", "971", date(2026, 5, 28)),
    ("971-27-may-metropole", date(2026, 5, 26), 1, "ouvres", None, date(2026, 5, 27)),
    # Martinique (972), 22 May 2026 is a Friday, then Whit Monday. Thu 21 + 1 ouvré -> Tue 26.
    ("972-22-may-ouvres", date(2026, 5, 21), 1, "ouvres", "972", date(2026, 5, 26)),
    # Mayotte (976), 27 April 2026 is a Monday. Sat 25 + 1 -> Tuesday 28.
    ("976-27-april", date(2026, 4, 25), 1, "ouvrables", "976", date(2026, 4, 28)),
    # Nouvelle-Calédonie, 24 September 2026 is a Thursday. Wed 23 + 1 -> Friday 25.
    ("NC-24-september", date(2026, 9, 23), 1, "ouvres", "NC", date(2026, 9, 25)),
]


@pytest.mark.parametrize(
    ("received_on", "days", "kind", "subdivision", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in DUE_DATES],
)
def test_due_date_is_the_nth_working_day_after_reception(
    received_on, days, kind, subdivision, expected
):
    assert due_date(received_on, days=days, calendar=cal(kind, subdivision)) == expected


# --- Saturday policy --------------------------------------------------------------------------

SATURDAY_POLICY = [
    # (id, received_on, days, kind, carry_saturday, expected)
    # Due Sat 14 Nov 2026: kept (strict reading) or carried to Monday 16.
    ("strict-keeps-saturday", date(2026, 11, 2), 10, "ouvrables", False, date(2026, 11, 14)),
    ("carry-to-monday", date(2026, 11, 2), 10, "ouvrables", True, date(2026, 11, 16)),
    # Due Sat 23 May 2026 (Fri 22 + 1): carried over Sunday and Whit Monday to Tuesday 26.
    ("carry-over-whit-monday", date(2026, 5, 22), 1, "ouvrables", True, date(2026, 5, 26)),
    # Due Sat 26 Dec 2026 (Thu 24 + 1): carried to Monday 28.
    ("carry-after-christmas", date(2026, 12, 24), 1, "ouvrables", True, date(2026, 12, 28)),
    # Due Friday 27 Nov 2026: nothing to carry.
    ("carry-ignores-friday", date(2026, 11, 16), 10, "ouvrables", True, date(2026, 11, 27)),
    # In ouvrés a deadline never falls on a Saturday: the policy changes nothing.
    ("carry-no-effect-in-ouvres", date(2026, 11, 2), 10, "ouvres", True, date(2026, 11, 17)),
    ("strict-in-ouvres", date(2026, 11, 2), 10, "ouvres", False, date(2026, 11, 17)),
]


@pytest.mark.parametrize(
    ("received_on", "days", "kind", "carry_saturday", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in SATURDAY_POLICY],
)
def test_saturday_deadline_stays_or_is_carried_according_to_policy(
    received_on, days, kind, carry_saturday, expected
):
    assert (
        due_date(received_on, days=days, calendar=cal(kind), carry_saturday=carry_saturday)
        == expected
    )


def test_carry_saturday_skips_a_closed_week_and_the_next_saturday():
    # Due Sat 14 Nov 2026; the organisation is closed Mon 16 - Fri 20: the next working day
    # is Saturday 21, itself carried to Monday 23.
    closed = frozenset(date(2026, 11, 16) + timedelta(days=i) for i in range(5))
    calendar = WorkingCalendar(extra_closures=closed)
    assert due_date(date(2026, 11, 2), days=10, calendar=calendar, carry_saturday=True) == date(
        2026, 11, 23
    )


# --- closures and worked holidays -------------------------------------------------------------


def test_extra_closure_pushes_the_due_date():
    # Closed Friday 6 Nov 2026: 3,4,5,7,9,10,12,13,14,16 -> Monday 16.
    calendar = WorkingCalendar(extra_closures=frozenset({date(2026, 11, 6)}))
    assert due_date(date(2026, 11, 2), days=10, calendar=calendar) == date(2026, 11, 16)


def test_extra_closure_on_a_sunday_changes_nothing():
    calendar = WorkingCalendar(extra_closures=frozenset({date(2026, 11, 8)}))  # Sunday
    assert due_date(date(2026, 11, 2), days=10, calendar=calendar) == date(2026, 11, 14)


def test_worked_holiday_counts_as_a_working_day():
    # 11 Nov 2026 worked: 3,4,5,6,7,9,10,11,12,13 -> Friday 13.
    calendar = WorkingCalendar(worked_holidays=frozenset({date(2026, 11, 11)}))
    assert due_date(date(2026, 11, 2), days=10, calendar=calendar) == date(2026, 11, 13)


def test_worked_holiday_on_a_sunday_stays_off():
    # Toussaint 1 Nov 2026 is a Sunday: worked or not, Sat 31 Oct + 1 is Monday 2 Nov.
    calendar = WorkingCalendar(worked_holidays=frozenset({date(2026, 11, 1)}))
    assert due_date(date(2026, 10, 31), days=1, calendar=calendar) == date(2026, 11, 2)


def test_worked_holiday_on_a_saturday_counts_in_ouvrables_only():
    # Assomption Sat 15 Aug 2026 worked. Fri 14 + 1: Saturday 15 in ouvrables, Monday 17 in ouvrés.
    worked = frozenset({date(2026, 8, 15)})
    assert due_date(
        date(2026, 8, 14), days=1, calendar=WorkingCalendar(worked_holidays=worked)
    ) == date(2026, 8, 15)
    assert due_date(
        date(2026, 8, 14), days=1, calendar=WorkingCalendar(kind="ouvres", worked_holidays=worked)
    ) == date(2026, 8, 17)


# --- invalid days -----------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, -10])
def test_due_date_rejects_fewer_than_one_day_in_french(days):
    with pytest.raises(ValueError, match="au moins 1 jour"):
        due_date(date(2026, 11, 2), days=days, calendar=OUVRABLES)


@pytest.mark.parametrize("days", [True, 10.0, "10", None])
def test_due_date_rejects_non_integer_days(days):
    with pytest.raises(TypeError, match="nombre entier"):
        due_date(date(2026, 11, 2), days=days, calendar=OUVRABLES)


# --- suspension -------------------------------------------------------------------------------

SUSPENSIONS = [
    # (id, due, suspended_from, suspended_to, kind, carry_saturday, expected)
    # Due Sat 14 Nov 2026, suspended Mon 9 -> Thu 12: Tue 10, Thu 12 (11 Nov) = 2 days
    # -> Mon 16, Tue 17.
    (
        "over-11-november",
        date(2026, 11, 14),
        date(2026, 11, 9),
        date(2026, 11, 12),
        "ouvrables",
        False,
        date(2026, 11, 17),
    ),
    # Request and answer the same day: nothing suspended.
    (
        "same-day",
        date(2026, 11, 14),
        date(2026, 11, 10),
        date(2026, 11, 10),
        "ouvrables",
        False,
        date(2026, 11, 14),
    ),
    # Request Fri 20, answer Mon 23 Nov: Sat 21 + Mon 23 = 2 ouvrables; due Fri 27 -> Mon 30
    # (Sat 28, Mon 30).
    (
        "weekend-ouvrables",
        date(2026, 11, 27),
        date(2026, 11, 20),
        date(2026, 11, 23),
        "ouvrables",
        False,
        date(2026, 11, 30),
    ),
    # ... in ouvrés only Mon 23 = 1 day; due Fri 27 -> Mon 30.
    (
        "weekend-ouvres",
        date(2026, 11, 27),
        date(2026, 11, 20),
        date(2026, 11, 23),
        "ouvres",
        False,
        date(2026, 11, 30),
    ),
    # Answer on Sunday 22 Nov: ouvrés counts nothing (Sat, Sun), the due date stays Fri 27.
    (
        "answer-on-sunday-ouvres",
        date(2026, 11, 27),
        date(2026, 11, 20),
        date(2026, 11, 22),
        "ouvres",
        False,
        date(2026, 11, 27),
    ),
    # ... ouvrables counts Saturday 21: Fri 27 -> Sat 28.
    (
        "answer-on-sunday-ouvrables",
        date(2026, 11, 27),
        date(2026, 11, 20),
        date(2026, 11, 22),
        "ouvrables",
        False,
        date(2026, 11, 28),
    ),
    # Suspended Mon 16 -> Wed 18 Nov (Tue 17, Wed 18 = 2): Thu 26 -> Fri 27, Sat 28 (strict) ...
    (
        "lands-on-saturday-strict",
        date(2026, 11, 26),
        date(2026, 11, 16),
        date(2026, 11, 18),
        "ouvrables",
        False,
        date(2026, 11, 28),
    ),
    # ... or carried to Monday 30 with the Saturday policy, applied again at the end.
    (
        "lands-on-saturday-carried",
        date(2026, 11, 26),
        date(2026, 11, 16),
        date(2026, 11, 18),
        "ouvrables",
        True,
        date(2026, 11, 30),
    ),
    # Across the year end: suspended Wed 23 Dec 2026 -> Mon 4 Jan 2027: 24,26,28,29,30,31,2,4
    # = 8 ouvrables; due Tue 5 Jan 2027 -> 6,7,8,9,11,12,13,14 -> Thursday 14 Jan.
    (
        "across-year-end",
        date(2027, 1, 5),
        date(2026, 12, 23),
        date(2027, 1, 4),
        "ouvrables",
        False,
        date(2027, 1, 14),
    ),
]


@pytest.mark.parametrize(
    ("due", "suspended_from", "suspended_to", "kind", "carry_saturday", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in SUSPENSIONS],
)
def test_suspension_pushes_due_date_by_working_days_after_request_up_to_answer(
    due, suspended_from, suspended_to, kind, carry_saturday, expected
):
    assert (
        extend_for_suspension(
            due,
            suspended_from=suspended_from,
            suspended_to=suspended_to,
            calendar=cal(kind),
            carry_saturday=carry_saturday,
        )
        == expected
    )


def test_suspension_rejects_answer_before_request_in_french():
    with pytest.raises(ValueError, match="ne peut pas précéder"):
        extend_for_suspension(
            date(2026, 11, 14),
            suspended_from=date(2026, 11, 12),
            suspended_to=date(2026, 11, 9),
            calendar=OUVRABLES,
        )


# --- working days left ------------------------------------------------------------------------

DAYS_LEFT = [
    # (id, due, today, kind, expected)
    # Due Friday 27 Nov 2026.
    ("wednesday-before", date(2026, 11, 27), date(2026, 11, 25), "ouvrables", 2),  # Thu, Fri
    ("wednesday-before-ouvres", date(2026, 11, 27), date(2026, 11, 25), "ouvres", 2),
    ("due-today", date(2026, 11, 27), date(2026, 11, 27), "ouvrables", 0),
    ("due-today-ouvres", date(2026, 11, 27), date(2026, 11, 27), "ouvres", 0),
    # Next Monday 30: Saturday and Monday elapsed / Monday only.
    ("next-monday-ouvrables", date(2026, 11, 27), date(2026, 11, 30), "ouvrables", -2),
    ("next-monday-ouvres", date(2026, 11, 27), date(2026, 11, 30), "ouvres", -1),
    # Saturday 28: one working day late in ouvrables; in ouvrés none elapsed, still overdue.
    ("saturday-after-ouvrables", date(2026, 11, 27), date(2026, 11, 28), "ouvrables", -1),
    ("saturday-after-ouvres", date(2026, 11, 27), date(2026, 11, 28), "ouvres", -1),
    ("sunday-after-ouvres", date(2026, 11, 27), date(2026, 11, 29), "ouvres", -1),
    # Across a weekend: Thu 19 -> Fri 27: 20,21,23,24,25,26,27 / 20,23,24,25,26,27.
    ("week-before-ouvrables", date(2026, 11, 27), date(2026, 11, 19), "ouvrables", 7),
    ("week-before-ouvres", date(2026, 11, 27), date(2026, 11, 19), "ouvres", 6),
    # Today a Sunday: Sun 22 -> Tue 24 = Mon 23, Tue 24.
    ("today-sunday", date(2026, 11, 24), date(2026, 11, 22), "ouvrables", 2),
    # Across a holiday: due Thu 12 Nov 2026, today Mon 9: Tue 10, Thu 12 (11 Nov).
    ("across-11-november", date(2026, 11, 12), date(2026, 11, 9), "ouvrables", 2),
    # Overdue across a holiday: due Tue 10, today Thu 12: only Thursday elapsed.
    ("overdue-across-11-november", date(2026, 11, 10), date(2026, 11, 12), "ouvrables", -1),
    # Due on Saturday 14 Nov (strict policy): Sunday 15 is already overdue (no working day
    # elapsed, clamped to -1), Monday 16 too, Tuesday 17 is -2.
    ("sunday-after-saturday-due", date(2026, 11, 14), date(2026, 11, 15), "ouvrables", -1),
    ("monday-after-saturday-due", date(2026, 11, 14), date(2026, 11, 16), "ouvrables", -1),
    ("tuesday-after-saturday-due", date(2026, 11, 14), date(2026, 11, 17), "ouvrables", -2),
    # Across the year end: today Wed 30 Dec 2026, due Tue 5 Jan 2027: 31, 2, 4, 5 (1 Jan).
    ("across-new-year", date(2027, 1, 5), date(2026, 12, 30), "ouvrables", 4),
    ("across-new-year-ouvres", date(2027, 1, 5), date(2026, 12, 30), "ouvres", 3),  # 31, 4, 5
    # Overdue across the year end: due Thu 31 Dec 2026, today Mon 4 Jan: Sat 2, Mon 4.
    ("overdue-across-new-year", date(2026, 12, 31), date(2027, 1, 4), "ouvrables", -2),
]


@pytest.mark.parametrize(
    ("due", "today", "kind", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in DAYS_LEFT],
)
def test_working_days_left_counts_to_due_date_and_goes_negative_when_overdue(
    due, today, kind, expected
):
    assert working_days_left(due, today=today, calendar=cal(kind)) == expected


def test_working_days_left_equals_the_deadline_on_reception_day():
    received = date(2026, 11, 2)  # Monday
    due = due_date(received, days=10, calendar=OUVRABLES)
    assert working_days_left(due, today=received, calendar=OUVRABLES) == 10


# --- urgency ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "threshold", "expected"),
    [
        pytest.param(-30, 3, Urgency.OVERDUE, id="long-overdue"),
        pytest.param(-1, 3, Urgency.OVERDUE, id="just-overdue"),
        pytest.param(0, 3, Urgency.DUE_SOON, id="due-today"),
        pytest.param(1, 3, Urgency.DUE_SOON, id="one-day-left"),
        pytest.param(3, 3, Urgency.DUE_SOON, id="at-threshold"),
        pytest.param(4, 3, Urgency.ON_TRACK, id="above-threshold"),
        pytest.param(10, 3, Urgency.ON_TRACK, id="fresh"),
        pytest.param(0, 0, Urgency.DUE_SOON, id="threshold-zero-due-today"),
        pytest.param(1, 0, Urgency.ON_TRACK, id="threshold-zero-tomorrow"),
        pytest.param(5, 5, Urgency.DUE_SOON, id="threshold-five-at"),
        pytest.param(6, 5, Urgency.ON_TRACK, id="threshold-five-above"),
        pytest.param(-1, 0, Urgency.OVERDUE, id="threshold-zero-overdue"),
    ],
)
def test_urgency_class_follows_days_left_and_threshold(days_left, threshold, expected):
    assert urgency(days_left, due_soon_threshold=threshold) is expected


def test_urgency_default_threshold_is_three_days():
    assert urgency(3) is Urgency.DUE_SOON
    assert urgency(4) is Urgency.ON_TRACK


def test_urgency_values_are_stable_strings():
    assert [u.value for u in Urgency] == ["overdue", "due_soon", "on_track"]
    assert Urgency.DUE_SOON == "due_soon"


def test_urgency_rejects_negative_threshold_in_french():
    with pytest.raises(ValueError, match="seuil"):
        urgency(2, due_soon_threshold=-1)


# --- DeadlinePolicy ---------------------------------------------------------------------------


def test_policy_defaults_are_ten_ouvrables_days_in_metropole_strict_saturday():
    policy = DeadlinePolicy()
    assert (policy.days, policy.calendar_kind, policy.subdivision) == (10, "ouvrables", None)
    assert policy.carry_saturday is False
    assert policy.phone_clock_starts_at == "call"
    assert policy.suspend_while_awaiting_information is False
    assert policy.calendar == WorkingCalendar()


def test_policy_builds_its_calendar_once_from_its_settings():
    closures = frozenset({date(2026, 11, 6)})
    worked = frozenset({date(2026, 11, 11)})
    policy = DeadlinePolicy(
        calendar_kind="ouvres",
        subdivision="Moselle",
        extra_closures=closures,
        worked_holidays=worked,
    )
    assert policy.subdivision == "57"
    assert policy.calendar == WorkingCalendar(
        kind="ouvres", subdivision="57", extra_closures=closures, worked_holidays=worked
    )
    assert policy.calendar is policy.calendar


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        pytest.param(DeadlinePolicy(), date(2026, 11, 14), id="default-saturday"),  # Saturday
        pytest.param(DeadlinePolicy(carry_saturday=True), date(2026, 11, 16), id="carry-monday"),
        pytest.param(DeadlinePolicy(calendar_kind="ouvres"), date(2026, 11, 17), id="ouvres"),
        # 15 ouvrables: ... 14, 16, 17, 18, 19, 20 -> Friday 20.
        pytest.param(DeadlinePolicy(days=15), date(2026, 11, 20), id="fifteen-days"),
        # 1 day: Tuesday 3.
        pytest.param(DeadlinePolicy(days=1), date(2026, 11, 3), id="one-day"),
    ],
)
def test_policy_due_date_for_applies_its_settings(policy, expected):
    assert policy.due_date_for(date(2026, 11, 2)) == expected  # Monday


def test_policy_accepts_ninety_days():
    # 90 ouvrables after Mon 2 Nov 2026: November 3-30 gives 23 (28 days, 4 Sundays, 11 Nov),
    # December 26 (4 Sundays, 25 Dec), January 2027 25 (5 Sundays, 1 Jan): 74; then 16 in
    # February: 1-6, 8-13, 15-18 -> Thursday 18 Feb 2027.
    assert DeadlinePolicy(days=90).due_date_for(date(2026, 11, 2)) == date(2027, 2, 18)


@pytest.mark.parametrize("days", [0, -1, 91, 365])
def test_policy_rejects_days_outside_one_to_ninety_in_french(days):
    with pytest.raises(ValueError, match="compris entre 1 et 90 jours"):
        DeadlinePolicy(days=days)


def test_policy_rejects_unknown_calendar_kind_in_french():
    with pytest.raises(ValueError, match="Type de décompte inconnu"):
        DeadlinePolicy(calendar_kind="calendaires")


def test_policy_rejects_unknown_subdivision_in_french():
    with pytest.raises(ValueError, match="Subdivision inconnue"):
        DeadlinePolicy(subdivision="XX")


def test_policy_rejects_school_zone_in_french():
    with pytest.raises(ValueError, match="zone de vacances scolaires"):
        DeadlinePolicy(subdivision="Zone A")


def test_policy_rejects_unknown_phone_clock_in_french():
    with pytest.raises(ValueError, match="réclamation téléphonique"):
        DeadlinePolicy(phone_clock_starts_at="email")  # type: ignore[arg-type]


def test_policy_is_hashable_and_equal_by_settings():
    assert DeadlinePolicy(subdivision="57") == DeadlinePolicy(subdivision="Moselle")
    assert len({DeadlinePolicy(), DeadlinePolicy()}) == 1


# --- properties -------------------------------------------------------------------------------

receptions = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
deadline_days = st.integers(min_value=1, max_value=90)
calendars = st.builds(
    WorkingCalendar,
    kind=st.sampled_from(["ouvrables", "ouvres"]),
    subdivision=st.sampled_from([None, "57", "6AE", "972", "976", "WF"]),
    extra_closures=st.frozensets(receptions, max_size=5),
    worked_holidays=st.frozensets(receptions, max_size=5),
)


@PROPERTY
@given(received=receptions, days=deadline_days, calendar=calendars, carry=st.booleans())
def test_due_date_is_always_a_working_day_strictly_after_reception(received, days, calendar, carry):
    due = due_date(received, days=days, calendar=calendar, carry_saturday=carry)
    assert due > received
    assert calendar.is_working_day(due)
    if carry:
        assert due.weekday() != 5


@PROPERTY
@given(received=receptions, days=deadline_days, calendar=calendars)
def test_due_date_is_exactly_days_working_days_after_reception(received, days, calendar):
    due = due_date(received, days=days, calendar=calendar)
    assert calendar.count_working_days(received, due) == days
    assert working_days_left(due, today=received, calendar=calendar) == days


@PROPERTY
@given(received=receptions, days=deadline_days, subdivision=st.sampled_from([None, "57", "974"]))
def test_ouvres_due_date_is_never_before_ouvrables_due_date(received, days, subdivision):
    ouvrables = due_date(received, days=days, calendar=cal("ouvrables", subdivision))
    ouvres = due_date(received, days=days, calendar=cal("ouvres", subdivision))
    assert ouvres >= ouvrables


@PROPERTY
@given(received=receptions, days=deadline_days, calendar=calendars)
def test_carrying_saturday_never_brings_the_due_date_forward(received, days, calendar):
    strict = due_date(received, days=days, calendar=calendar)
    carried = due_date(received, days=days, calendar=calendar, carry_saturday=True)
    assert carried >= strict
    assert (carried == strict) is (strict.weekday() != 5)


@PROPERTY
@given(
    received=receptions,
    days=deadline_days,
    calendar=calendars,
    request_offset=st.integers(min_value=0, max_value=30),
    wait=st.integers(min_value=0, max_value=30),
)
def test_suspension_adds_exactly_the_suspended_working_days(
    received, days, calendar, request_offset, wait
):
    due = due_date(received, days=days, calendar=calendar)
    requested = received + timedelta(days=request_offset)
    answered = requested + timedelta(days=wait)
    extended = extend_for_suspension(
        due, suspended_from=requested, suspended_to=answered, calendar=calendar
    )
    suspended = calendar.count_working_days(requested, answered)
    assert extended >= due
    assert calendar.count_working_days(due, extended) == suspended


@PROPERTY
@given(
    due=receptions,
    today=receptions,
    calendar=calendars,
    threshold=st.integers(min_value=0, max_value=10),
)
def test_days_left_sign_and_urgency_agree_with_calendar_dates(due, today, calendar, threshold):
    left = working_days_left(due, today=today, calendar=calendar)
    assert (left < 0) is (today > due)
    assert (urgency(left, due_soon_threshold=threshold) is Urgency.OVERDUE) is (today > due)
    if today == due:
        assert left == 0


@PROPERTY
@given(
    due=receptions,
    today=receptions,
    calendar=calendars,
    threshold=st.integers(min_value=0, max_value=10),
)
def test_due_soon_limit_and_urgency_say_the_same_for_every_due_date(
    due, today, calendar, threshold
):
    # Due dates on non-working days (a closure added after the due date was computed) are
    # where a bound of "threshold working days from today, included" used to disagree.
    limit = due_soon_limit(today, threshold=threshold, calendar=calendar)
    left = working_days_left(due, today=today, calendar=calendar)

    in_register_filter = today <= due < limit
    assert in_register_filter is (urgency(left, due_soon_threshold=threshold) is Urgency.DUE_SOON)


def test_due_soon_limit_of_a_due_date_on_a_closure_after_the_threshold():
    # Monday 2 November 2026, threshold 3: Tue 3, Thu 5 (Wed 4 closed), Fri 6 are the 3 days.
    calendar = WorkingCalendar(extra_closures=frozenset({date(2026, 11, 4), date(2026, 11, 7)}))
    limit = due_soon_limit(date(2026, 11, 2), threshold=3, calendar=calendar)

    assert limit == date(2026, 11, 9)  # Saturday 7 closed: Monday 9 is the 4th working day
    # A due date on the closed Saturday has 3 working days left: due soon, and in the filter.
    assert working_days_left(date(2026, 11, 7), today=date(2026, 11, 2), calendar=calendar) == 3


def test_waiting_too_long_counts_working_days_since_the_request():
    calendar = OUVRABLES
    # Monday 30 November 2026: five working days (Monday to Saturday) back is Tuesday 24th.
    limit = waiting_too_long_limit(date(2026, 11, 30), days=5, calendar=calendar)

    assert limit == date(2026, 11, 24)
    assert calendar.count_working_days(limit, date(2026, 11, 30)) == 5
    assert calendar.count_working_days(limit + timedelta(days=1), date(2026, 11, 30)) == 4


def test_waiting_too_long_skips_a_public_holiday():
    calendar = OUVRES
    # Friday 13 November 2026; Wednesday 11th (Armistice) is no working day.
    limit = waiting_too_long_limit(date(2026, 11, 13), days=3, calendar=calendar)

    assert limit == date(2026, 11, 9)
