"""One definition for each label and list of the complaint domain's vocabulary."""

from reclamations.api.action_requests import action_components
from reclamations.complaints.actions import ACTIONS
from reclamations.complaints.actions.inputs import input_fields
from reclamations.complaints.enums import (
    AWAITING_CLIENT,
    DECIDED_OUTCOMES,
    EventType,
    Outcome,
    Status,
    event_label,
    status_label,
)


def test_status_label_is_french_and_an_unknown_status_reads_as_stored():
    assert status_label("in_progress") == "En cours de traitement"
    assert status_label("archived") == "archived"


def test_event_label_is_french_and_an_unknown_event_reads_as_stored():
    assert event_label(EventType.REPLIED) == "Réponse envoyée au client"
    assert event_label("survey_answered") == "survey_answered"


def test_the_outcomes_a_person_decides_are_the_same_for_the_reply_and_the_closure():
    decided = [Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED]
    reply = dict(input_fields(ACTIONS["reply"].input))["outcome"]
    close = dict(input_fields(ACTIONS["close"].input))["outcome"]
    schemas = action_components()

    assert list(DECIDED_OUTCOMES) == decided
    assert [value for value, _label in reply.choices] == decided
    assert [value for value, _label in close.choices] == decided
    assert schemas["CloseAction"]["properties"]["outcome"]["enum"] == decided
    assert schemas["ReplyAction"]["properties"]["outcome"]["enum"] == ["", *decided]


def test_a_complaint_waits_for_the_client_in_two_statuses():
    assert {Status.AWAITING_INFORMATION, Status.AWAITING_CONFIRMATION} == AWAITING_CLIENT
