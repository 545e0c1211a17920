"""When a closed complaint is archived, then anonymised, and what holds it (pure)."""

from datetime import date

import pytest

from reclamations.privacy.rules import (
    Due,
    Policy,
    Standing,
    Step,
    add_months,
    due_step,
    earliest_closure,
    legal_hold,
)

POLICY = Policy(archive_months=12, anonymise_months=60)
CLOSED = date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), 60, date(2031, 3, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 10), -13, date(2024, 12, 10)),
    ],
)
def test_months_are_counted_as_the_calendar_counts_them(day, months, expected):
    assert add_months(day, months) == expected


def test_nothing_before_the_archiving_date():
    assert due_step(Standing(closed_on=CLOSED), POLICY, date(2027, 3, 30)) == Due(None)


def test_archived_on_the_day_its_months_have_passed():
    assert due_step(Standing(closed_on=CLOSED), POLICY, date(2027, 3, 31)) == Due(
        Step.ARCHIVE, date(2027, 3, 31)
    )


def test_an_archived_complaint_waits_for_its_anonymisation():
    archived = Standing(closed_on=CLOSED, archived_on=date(2027, 3, 31))

    assert due_step(archived, POLICY, date(2031, 3, 30)) == Due(None)
    assert due_step(archived, POLICY, date(2031, 3, 31)) == Due(Step.ANONYMISE, date(2031, 3, 31))


def test_anonymised_directly_when_both_are_due():
    # A policy shortened, or a register imported with old closures.
    assert due_step(Standing(closed_on=CLOSED), POLICY, date(2032, 1, 1)).step is Step.ANONYMISE


def test_open_or_already_anonymised_complaints_are_left():
    assert due_step(Standing(closed_on=None), POLICY, date(2040, 1, 1)) == Due(None)
    done = Standing(closed_on=CLOSED, anonymised_on=date(2031, 4, 1))
    assert due_step(done, POLICY, date(2040, 1, 1)) == Due(None)


def test_a_mediation_under_way_holds_the_complaint():
    standing = Standing(closed_on=CLOSED, mediation_seized_on=date(2026, 4, 10))

    due = due_step(standing, POLICY, date(2032, 1, 1))

    assert due.step is Step.ANONYMISE
    assert due.hold == "médiateur saisi le 10/04/2026, sans issue enregistrée"


def test_a_litigation_under_way_holds_it_too_and_is_said_first():
    standing = Standing(
        closed_on=CLOSED,
        mediation_seized_on=date(2026, 4, 10),
        litigation_started_on=date(2026, 9, 1),
    )

    assert legal_hold(standing) == "contentieux engagé le 01/09/2026, sans issue enregistrée"


def test_the_hold_ends_with_the_outcome():
    standing = Standing(
        closed_on=CLOSED,
        mediation_seized_on=date(2026, 4, 10),
        mediation_outcome="Accord trouvé.",
        litigation_started_on=date(2026, 9, 1),
        litigation_outcome="   ",
    )

    assert legal_hold(standing).startswith("contentieux")
    settled = Standing(**{**standing.__dict__, "litigation_outcome": "Désistement."})
    assert legal_hold(settled) == ""


@pytest.mark.parametrize("today", [date(2027, 2, 28), date(2027, 3, 1), date(2028, 2, 29)])
def test_the_query_bound_never_leaves_out_a_complaint_that_is_due(today):
    bound = earliest_closure(today, 12)
    day = date(2025, 1, 1)
    while day <= date(2027, 12, 31):
        if add_months(day, 12) <= today:
            assert day <= bound, day
        day = date.fromordinal(day.toordinal() + 1)
