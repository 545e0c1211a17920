"""The workflow table, read as the specification: which action each status allows, and where
it leads. Pure: no database."""

import pytest

from reclamations.complaints.enums import Status
from reclamations.complaints.workflow import (
    ACTION_LABELS,
    TRANSITIONS,
    Action,
    WorkflowError,
    allowed_actions,
    next_status,
    treatment_status,
)

INCOMPLETE = Status.INCOMPLETE
AWAITING_INFORMATION = Status.AWAITING_INFORMATION
AWAITING_CONFIRMATION = Status.AWAITING_CONFIRMATION
IN_PROGRESS = Status.IN_PROGRESS
REPLIED = Status.REPLIED
CLOSED = Status.CLOSED
OPEN = (INCOMPLETE, AWAITING_INFORMATION, AWAITING_CONFIRMATION, IN_PROGRESS)

# The specification, written out by hand: for each action, the status after it from each status
# that allows it (a complete complaint with no confirmation pending). A status missing from an
# action's row refuses that action.
EXPECTED: dict[Action, dict[Status, Status]] = {
    Action.REQUEST_INFORMATION: {
        INCOMPLETE: AWAITING_INFORMATION,
        AWAITING_CONFIRMATION: AWAITING_INFORMATION,
        IN_PROGRESS: AWAITING_INFORMATION,
    },
    Action.RECORD_INFORMATION: {AWAITING_INFORMATION: IN_PROGRESS},
    Action.RECORD_CONFIRMATION: {AWAITING_CONFIRMATION: IN_PROGRESS},
    Action.UPDATE_DETAILS: {
        INCOMPLETE: IN_PROGRESS,  # editing the record completed it
        AWAITING_INFORMATION: AWAITING_INFORMATION,
        AWAITING_CONFIRMATION: AWAITING_CONFIRMATION,
        IN_PROGRESS: IN_PROGRESS,
        REPLIED: REPLIED,
    },
    Action.ADD_ACTION: {s: s for s in (*OPEN, REPLIED)},
    Action.ADD_NOTE: {s: s for s in (*OPEN, REPLIED, CLOSED)},
    Action.ADD_DOCUMENT: {s: s for s in (*OPEN, REPLIED, CLOSED)},
    Action.REPLY: {s: REPLIED for s in (*OPEN, REPLIED)},
    Action.CLOSE: {REPLIED: CLOSED},
    Action.DECLARE_NOT_ADMISSIBLE: {s: CLOSED for s in OPEN},
    Action.REOPEN: {CLOSED: IN_PROGRESS},
    Action.ESCALATE_MEDIATION: {REPLIED: REPLIED, CLOSED: CLOSED},
    Action.RECORD_MEDIATION_OUTCOME: {REPLIED: REPLIED, CLOSED: CLOSED},
    Action.ESCALATE_LITIGATION: {REPLIED: REPLIED, CLOSED: CLOSED},
    Action.RECORD_LITIGATION_OUTCOME: {REPLIED: REPLIED, CLOSED: CLOSED},
    Action.SEND_ACKNOWLEDGEMENT: {s: s for s in (*OPEN, REPLIED)},
    Action.SEND_PROGRESS: {s: s for s in (*OPEN, REPLIED)},
}

MATRIX = [(action, status) for action in Action for status in Status]


def _refusal(action: Action, status: Status) -> str:
    return (
        f"Action « {ACTION_LABELS[action]} » impossible : la réclamation est "
        f"« {status.label.lower()} »."
    )


def test_expected_table_covers_every_action():
    assert set(EXPECTED) == set(Action) == set(TRANSITIONS) == set(ACTION_LABELS)


@pytest.mark.parametrize(("action", "status"), MATRIX, ids=[f"{a}-{s}" for a, s in MATRIX])
def test_next_status_follows_the_table_for_every_action_and_status(action, status):
    expected = EXPECTED[action].get(status)
    if expected is None:
        with pytest.raises(WorkflowError) as refused:
            next_status(status, action)
        assert str(refused.value) == _refusal(action, status)
    else:
        assert next_status(status, action) == expected


def test_refusal_message_names_the_action_and_the_status_in_french():
    with pytest.raises(WorkflowError) as refused:
        next_status(Status.IN_PROGRESS, Action.CLOSE)
    assert str(refused.value) == (
        "Action « Clôturer » impossible : la réclamation est « en cours de traitement »."
    )


def test_refusal_message_for_a_replied_complaint():
    with pytest.raises(WorkflowError) as refused:
        next_status(Status.REPLIED, Action.REQUEST_INFORMATION)
    assert str(refused.value) == (
        "Action « Demander des informations complémentaires » impossible : "
        "la réclamation est « répondue »."
    )


def test_refusal_message_quotes_an_unknown_status_as_is():
    with pytest.raises(WorkflowError) as refused:
        next_status("archived", Action.REPLY)
    assert str(refused.value) == (
        "Action « Répondre au client » impossible : la réclamation est « archived »."
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
def test_treatment_status_waits_for_confirmation_first_then_completeness(
    complete, confirmation_pending, expected
):
    assert treatment_status(complete=complete, confirmation_pending=confirmation_pending) == (
        expected
    )


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Action.RECORD_INFORMATION, Status.AWAITING_INFORMATION),
        (Action.RECORD_CONFIRMATION, Status.AWAITING_CONFIRMATION),
        (Action.REOPEN, Status.CLOSED),
    ],
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
    action, status, complete, confirmation_pending, expected
):
    assert (
        next_status(status, action, complete=complete, confirmation_pending=confirmation_pending)
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
def test_update_details_revises_completeness_only_under_treatment(status, complete, expected):
    assert next_status(status, Action.UPDATE_DETAILS, complete=complete) == expected


@pytest.mark.parametrize("confirmation_pending", [True, False])
@pytest.mark.parametrize("complete", [True, False])
def test_fixed_targets_ignore_completeness_and_confirmation(complete, confirmation_pending):
    flags = {"complete": complete, "confirmation_pending": confirmation_pending}
    assert next_status(Status.INCOMPLETE, Action.REQUEST_INFORMATION, **flags) == (
        Status.AWAITING_INFORMATION
    )
    assert next_status(Status.INCOMPLETE, Action.REPLY, **flags) == Status.REPLIED
    assert next_status(Status.REPLIED, Action.CLOSE, **flags) == Status.CLOSED
    assert next_status(Status.AWAITING_CONFIRMATION, Action.ADD_NOTE, **flags) == (
        Status.AWAITING_CONFIRMATION
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            Status.INCOMPLETE,
            [
                Action.REQUEST_INFORMATION,
                Action.UPDATE_DETAILS,
                Action.ADD_ACTION,
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REPLY,
                Action.DECLARE_NOT_ADMISSIBLE,
                Action.SEND_ACKNOWLEDGEMENT,
                Action.SEND_PROGRESS,
            ],
        ),
        (
            Status.AWAITING_INFORMATION,
            [
                Action.RECORD_INFORMATION,
                Action.UPDATE_DETAILS,
                Action.ADD_ACTION,
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REPLY,
                Action.DECLARE_NOT_ADMISSIBLE,
                Action.SEND_ACKNOWLEDGEMENT,
                Action.SEND_PROGRESS,
            ],
        ),
        (
            Status.AWAITING_CONFIRMATION,
            [
                Action.REQUEST_INFORMATION,
                Action.RECORD_CONFIRMATION,
                Action.UPDATE_DETAILS,
                Action.ADD_ACTION,
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REPLY,
                Action.DECLARE_NOT_ADMISSIBLE,
                Action.SEND_ACKNOWLEDGEMENT,
                Action.SEND_PROGRESS,
            ],
        ),
        (
            Status.IN_PROGRESS,
            [
                Action.REQUEST_INFORMATION,
                Action.UPDATE_DETAILS,
                Action.ADD_ACTION,
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REPLY,
                Action.DECLARE_NOT_ADMISSIBLE,
                Action.SEND_ACKNOWLEDGEMENT,
                Action.SEND_PROGRESS,
            ],
        ),
        (
            Status.REPLIED,
            [
                Action.UPDATE_DETAILS,
                Action.ADD_ACTION,
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REPLY,
                Action.CLOSE,
                Action.ESCALATE_MEDIATION,
                Action.RECORD_MEDIATION_OUTCOME,
                Action.ESCALATE_LITIGATION,
                Action.RECORD_LITIGATION_OUTCOME,
                Action.SEND_ACKNOWLEDGEMENT,
                Action.SEND_PROGRESS,
            ],
        ),
        (
            Status.CLOSED,
            [
                Action.ADD_NOTE,
                Action.ADD_DOCUMENT,
                Action.REOPEN,
                Action.ESCALATE_MEDIATION,
                Action.RECORD_MEDIATION_OUTCOME,
                Action.ESCALATE_LITIGATION,
                Action.RECORD_LITIGATION_OUTCOME,
            ],
        ),
    ],
)
def test_allowed_actions_lists_what_each_status_offers_in_table_order(status, expected):
    assert allowed_actions(status) == expected


def test_allowed_actions_of_an_unknown_status_is_empty():
    assert allowed_actions("archived") == []


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_are_exactly_those_next_status_accepts(status):
    accepted = []
    for action in Action:
        try:
            next_status(status, action)
        except WorkflowError:
            continue
        accepted.append(action)
    assert allowed_actions(status) == accepted


def test_every_action_has_a_french_label():
    assert ACTION_LABELS[Action.REPLY] == "Répondre au client"
    assert all(label and label[0].isupper() for label in ACTION_LABELS.values())
