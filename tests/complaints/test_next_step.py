"""The complaint page leads with what is due and the one or two actions that do it: the advice
follows the state, and never proposes an action the complaint cannot take."""

from dataclasses import replace
from itertools import product

import pytest

from reclamations.complaints.actions import ComplaintState, available_actions
from reclamations.complaints.enums import Status
from reclamations.complaints.next_step import Situation, next_step


def _available(situation: Situation, **state: bool) -> set[str]:
    complaint_state = ComplaintState(
        status=situation.status,
        awaiting_delivery=situation.awaiting_delivery,
        letters_to_post=situation.letters_to_post,
        **state,
    )
    return {spec.name for spec in available_actions(complaint_state)}


def _step(situation: Situation, **state: bool):
    return next_step(situation, _available(situation, **state))


def test_a_new_complaint_in_progress_is_acknowledged_first():
    step = _step(Situation(status=Status.IN_PROGRESS))

    assert step.actions == ("send_acknowledgement", "reply")
    assert step.advice.startswith("Accusez réception au client")


def test_once_acknowledged_the_reply_comes_first():
    step = _step(Situation(status=Status.IN_PROGRESS, acknowledged=True))

    assert step.actions == ("reply", "analyse_cause")


def test_an_incomplete_complaint_asks_for_what_is_missing():
    step = _step(Situation(status=Status.INCOMPLETE, missing_fields=("le nom du client",)))

    assert step.actions == ("request_information", "update_details")


def test_waiting_for_the_client_the_banner_no_longer_says_to_ask():
    step = _step(Situation(status=Status.AWAITING_INFORMATION))

    assert step.actions[0] == "record_information"
    assert "Demandez" not in step.advice
    assert step.advice.startswith("En attente des informations demandées")


def test_the_clients_answer_arrived_is_recorded_first():
    waiting = Situation(status=Status.AWAITING_INFORMATION, client_answered=True)

    assert _step(waiting).actions == ("record_information",)
    assert _step(waiting).advice.startswith("Le client a répondu")


def test_a_phoned_complaint_waits_for_its_written_confirmation():
    waiting = Situation(status=Status.AWAITING_CONFIRMATION)

    assert _step(waiting).actions == ("record_confirmation", "request_confirmation")
    arrived = _step(replace(waiting, client_answered=True))
    assert arrived.actions == ("record_confirmation",)


def test_a_replied_complaint_is_closed_next_unless_its_receipt_is_awaited():
    replied = Situation(status=Status.REPLIED)

    assert _step(replied, replied=True).actions == ("close",)
    registered = _step(replace(replied, awaiting_delivery=True), replied=True)
    assert registered.actions == ("record_delivery",)


def test_a_client_who_says_unresolved_gets_a_new_reply_or_a_reopening():
    replied = Situation(status=Status.REPLIED, client_says_unresolved=True)
    closed = Situation(status=Status.CLOSED, client_says_unresolved=True)

    assert _step(replied, replied=True).actions == ("reply", "close")
    assert _step(closed, replied=True).actions == ("reopen",)


def test_an_undelivered_message_comes_before_everything_else():
    step = _step(Situation(status=Status.IN_PROGRESS, undelivered=True))

    assert step.actions == ("update_details",)


def test_letters_to_post_are_noted_before_the_reply():
    step = _step(Situation(status=Status.IN_PROGRESS, acknowledged=True, letters_to_post=True))

    assert step.actions == ("record_posting",)


def test_a_closed_complaint_in_mediation_records_its_outcome():
    closed = Situation(status=Status.CLOSED)

    assert _step(closed, replied=True, mediation_seized=True).actions == (
        "record_mediation_outcome",
    )
    assert _step(closed, replied=True) is None


def test_an_archived_complaint_has_no_next_step():
    assert _step(Situation(status=Status.CLOSED), archived=True) is None
    assert _step(Situation(status=Status.IN_PROGRESS), anonymised=True) is None


@pytest.mark.parametrize("status", list(Status))
def test_no_state_is_offered_an_action_it_cannot_take(status):
    flags = (
        "acknowledged",
        "client_answered",
        "client_says_unresolved",
        "undelivered",
        "awaiting_delivery",
        "letters_to_post",
    )
    for values in product((False, True), repeat=len(flags)):
        situation = Situation(status=status, **dict(zip(flags, values, strict=True)))
        for replied, mediation in product((False, True), repeat=2):
            available = _available(situation, replied=replied, mediation_seized=mediation)
            step = next_step(situation, available)
            if step is not None:
                assert 1 <= len(step.actions) <= 2
                assert set(step.actions) <= available
                assert step.advice
