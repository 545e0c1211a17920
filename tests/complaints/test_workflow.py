"""Where a complaint goes after an action: the statuses alone. Pure: no database."""

import pytest

from reclamations.complaints.enums import Status
from reclamations.complaints.workflow import Next, next_status, treatment_status


@pytest.mark.parametrize(
    ("complete", "confirmation_pending", "expected"),
    [
        (True, False, Status.IN_PROGRESS),
        (False, False, Status.INCOMPLETE),
        (True, True, Status.AWAITING_CONFIRMATION),
        (False, True, Status.AWAITING_CONFIRMATION),
    ],
)
def test_treatment_status_waits_for_confirmation_first_then_completeness(
    complete, confirmation_pending, expected
):
    assert treatment_status(complete=complete, confirmation_pending=confirmation_pending) == (
        expected
    )


@pytest.mark.parametrize(
    "status", [Status.AWAITING_INFORMATION, Status.AWAITING_CONFIRMATION, Status.CLOSED]
)
@pytest.mark.parametrize(
    ("complete", "confirmation_pending", "expected"),
    [
        (True, False, Status.IN_PROGRESS),
        (False, False, Status.INCOMPLETE),
        (True, True, Status.AWAITING_CONFIRMATION),
        (False, True, Status.AWAITING_CONFIRMATION),
    ],
)
def test_back_to_treatment_depends_on_what_the_complaint_still_lacks(
    status, complete, confirmation_pending, expected
):
    assert (
        next_status(
            status, Next.TREATMENT, complete=complete, confirmation_pending=confirmation_pending
        )
        == expected
    )


@pytest.mark.parametrize(
    ("status", "complete", "expected"),
    [
        (Status.INCOMPLETE, True, Status.IN_PROGRESS),
        (Status.INCOMPLETE, False, Status.INCOMPLETE),
        (Status.IN_PROGRESS, False, Status.INCOMPLETE),
        (Status.IN_PROGRESS, True, Status.IN_PROGRESS),
        (Status.AWAITING_INFORMATION, True, Status.AWAITING_INFORMATION),
        (Status.AWAITING_CONFIRMATION, True, Status.AWAITING_CONFIRMATION),
        (Status.REPLIED, False, Status.REPLIED),
    ],
)
def test_recheck_revises_completeness_only_under_treatment(status, complete, expected):
    assert next_status(status, Next.RECHECK, complete=complete) == expected


@pytest.mark.parametrize("confirmation_pending", [True, False])
@pytest.mark.parametrize("complete", [True, False])
def test_fixed_targets_and_same_ignore_completeness_and_confirmation(
    complete, confirmation_pending
):
    flags = {"complete": complete, "confirmation_pending": confirmation_pending}
    assert next_status(Status.INCOMPLETE, Status.REPLIED, **flags) == Status.REPLIED
    assert next_status(Status.REPLIED, Status.CLOSED, **flags) == Status.CLOSED
    assert next_status(Status.AWAITING_CONFIRMATION, Next.SAME, **flags) == (
        Status.AWAITING_CONFIRMATION
    )
