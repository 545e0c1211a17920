"""An improvement action's life as pure rules: which step each status allows and where it leads;
no closure without a check of its effectiveness."""

from datetime import date

import pytest

from reclamations.complaints.enums import CheckResult, ImprovementStatus
from reclamations.complaints.improvement_rules import (
    CHECKED_BEFORE_DONE,
    NOT_CHECKED,
    NOT_EFFECTIVE,
    STEPS,
    closing_refusal,
    is_overdue,
    next_status,
    refusal,
    steps_allowed,
)

PLANNED = ImprovementStatus.PLANNED
IN_PROGRESS = ImprovementStatus.IN_PROGRESS
DONE = ImprovementStatus.DONE
CLOSED = ImprovementStatus.CLOSED
ABANDONED = ImprovementStatus.ABANDONED


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        (PLANNED, ["start", "record_done", "abandon", "update", "note"]),
        (IN_PROGRESS, ["record_done", "abandon", "update", "note"]),
        (DONE, ["start", "check", "close", "abandon", "update", "note"]),
        (CLOSED, ["note"]),
        (ABANDONED, ["note"]),
    ],
)
def test_each_status_offers_its_steps(status, steps):
    assert [step.name for step in steps_allowed(status)] == steps


def test_a_step_the_status_refuses_says_why_in_french():
    assert (
        refusal(STEPS["close"], PLANNED) == "Étape « Clore » impossible : l'action est « prévue »."
    )
    assert refusal(STEPS["note"], CLOSED) is None


def test_closing_needs_a_check_after_the_work_that_found_it_effective():
    done_on = date(2026, 10, 1)
    assert closing_refusal("", None, done_on) == NOT_CHECKED
    assert closing_refusal(CheckResult.EFFECTIVE, date(2026, 9, 30), done_on) == CHECKED_BEFORE_DONE
    assert closing_refusal(CheckResult.NOT_EFFECTIVE, date(2026, 11, 1), done_on) == NOT_EFFECTIVE
    assert closing_refusal(CheckResult.PARTLY, date(2026, 11, 1), done_on) is None
    assert closing_refusal(CheckResult.EFFECTIVE, date(2026, 10, 1), done_on) is None


def test_a_check_that_finds_the_action_not_effective_sends_it_back_to_work():
    check = STEPS["check"]
    assert next_status(check, DONE, CheckResult.NOT_EFFECTIVE) == IN_PROGRESS
    assert next_status(check, DONE, CheckResult.EFFECTIVE) == DONE
    assert next_status(STEPS["close"], DONE, CheckResult.EFFECTIVE) == CLOSED
    assert next_status(STEPS["note"], CLOSED) == CLOSED


def test_only_work_not_done_is_late():
    today = date(2026, 11, 2)
    assert is_overdue(PLANNED, date(2026, 11, 1), today)
    assert is_overdue(IN_PROGRESS, date(2026, 11, 1), today)
    assert not is_overdue(IN_PROGRESS, today, today)
    assert not is_overdue(DONE, date(2026, 1, 1), today)  # awaiting its check, not late
    assert not is_overdue(CLOSED, date(2026, 1, 1), today)
