"""The actions' registry, read as the specification: which action a complaint can take in each
state, where it leads, and that every declaration says all the web, the API and the timeline
need. Pure: no database."""

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.actions import (
    ACTIONS,
    CATALOGUE,
    Action,
    ComplaintState,
    available_actions,
    event_shows,
    parse_action,
)
from reclamations.complaints.actions.inputs import FieldKind, input_fields
from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.workflow import next_status

INCOMPLETE = Status.INCOMPLETE
AWAITING_INFORMATION = Status.AWAITING_INFORMATION
AWAITING_CONFIRMATION = Status.AWAITING_CONFIRMATION
IN_PROGRESS = Status.IN_PROGRESS
REPLIED = Status.REPLIED
CLOSED = Status.CLOSED
OPEN = (INCOMPLETE, AWAITING_INFORMATION, AWAITING_CONFIRMATION, IN_PROGRESS)

# The specification, written out by hand: for each action, the status after it from each status
# that allows it (a complete complaint with no confirmation pending, nothing escalated yet,
# except for the outcomes of an escalation, which need it). A status missing from an action's
# row refuses that action.
EXPECTED: dict[str, dict[Status, Status]] = {
    "request_confirmation": {AWAITING_CONFIRMATION: AWAITING_CONFIRMATION},
    "request_information": {
        INCOMPLETE: AWAITING_INFORMATION,
        AWAITING_CONFIRMATION: AWAITING_INFORMATION,
        IN_PROGRESS: AWAITING_INFORMATION,
    },
    "record_information": {AWAITING_INFORMATION: IN_PROGRESS},
    "record_confirmation": {AWAITING_CONFIRMATION: IN_PROGRESS},
    "update_details": {
        INCOMPLETE: IN_PROGRESS,  # editing the record completed it
        AWAITING_INFORMATION: AWAITING_INFORMATION,
        AWAITING_CONFIRMATION: AWAITING_CONFIRMATION,
        IN_PROGRESS: IN_PROGRESS,
        REPLIED: REPLIED,
    },
    "add_action": {s: s for s in (*OPEN, REPLIED)},
    "analyse_cause": {s: s for s in (*OPEN, REPLIED, CLOSED)},
    "add_note": {s: s for s in (*OPEN, REPLIED, CLOSED)},
    "add_document": {s: s for s in (*OPEN, REPLIED, CLOSED)},
    "reply": {s: REPLIED for s in (*OPEN, REPLIED)},
    "record_delivery": {REPLIED: REPLIED, CLOSED: CLOSED},
    "close": {REPLIED: CLOSED},
    "declare_not_admissible": {s: CLOSED for s in OPEN},
    "reopen": {CLOSED: IN_PROGRESS},
    "escalate_mediation": {REPLIED: REPLIED, CLOSED: CLOSED},
    "record_mediation_outcome": {REPLIED: REPLIED, CLOSED: CLOSED},
    "escalate_litigation": {REPLIED: REPLIED, CLOSED: CLOSED},
    "record_litigation_outcome": {REPLIED: REPLIED, CLOSED: CLOSED},
    "send_acknowledgement": {s: s for s in OPEN},
    "send_progress": {s: s for s in (*OPEN, REPLIED)},
    "send_closure_certificate": {CLOSED: CLOSED},
    "record_posting": {s: s for s in (*OPEN, REPLIED, CLOSED)},
}
# The outcome of an escalation is recorded once the escalation is; the receipt of a reply, once
# a reply has gone by registered letter.
ESCALATED = {"record_mediation_outcome", "record_litigation_outcome", "record_delivery"}
# Posting is recorded once the application has printed a letter.
PRINTED = {"record_posting"}

MATRIX = [(name, status) for name in EXPECTED for status in Status]


def _state(name: str, status: Status) -> ComplaintState:
    escalated = name in ESCALATED
    return ComplaintState(
        status,
        mediation_seized=escalated,
        litigation_started=escalated,
        awaiting_delivery=escalated,
        letters_to_post=name in PRINTED,
    )


def test_the_specification_covers_every_action_in_the_catalogue_order():
    assert list(EXPECTED) == list(ACTIONS) == [spec.name for spec in CATALOGUE]
    assert [action.value for action in Action] == list(ACTIONS)


@pytest.mark.parametrize(("name", "status"), MATRIX, ids=[f"{a}-{s}" for a, s in MATRIX])
def test_each_action_is_allowed_and_leads_where_the_specification_says(name, status):
    spec = ACTIONS[name]
    expected = EXPECTED[name].get(status)
    refusal = spec.refusal(_state(name, status))
    if expected is None:
        assert refusal == (
            f"Action « {spec.label} » impossible : la réclamation est « {status.label.lower()} »."
        )
    else:
        assert refusal is None
        assert next_status(status, spec.leads_to) == expected


def test_refusal_quotes_an_unknown_status_as_is():
    assert ACTIONS["reply"].refusal(ComplaintState("archived")) == (
        "Action « Répondre au client » impossible : la réclamation est « archived »."
    )


@pytest.mark.parametrize(
    ("name", "state", "reason"),
    [
        (
            "escalate_mediation",
            ComplaintState(REPLIED, mediation_seized=True),
            "Le médiateur a déjà été saisi pour cette réclamation.",
        ),
        (
            "record_mediation_outcome",
            ComplaintState(CLOSED),
            "Aucune médiation n'est en cours pour cette réclamation.",
        ),
        (
            "escalate_litigation",
            ComplaintState(CLOSED, litigation_started=True),
            "Un contentieux est déjà enregistré pour cette réclamation.",
        ),
        (
            "record_litigation_outcome",
            ComplaintState(REPLIED, mediation_seized=True),
            "Aucun contentieux n'est enregistré pour cette réclamation.",
        ),
        (
            "record_delivery",
            ComplaintState(REPLIED),
            "Aucune réponse par lettre recommandée n'attend son avis de réception (sans "
            "numéro de recommandé, ou avis déjà enregistré).",
        ),
        (
            "send_acknowledgement",
            ComplaintState(IN_PROGRESS, replied=True),
            "La réponse a déjà été adressée au client : un accusé de réception, qui annonce la "
            "date de la réponse, n'a plus lieu d'être.",
        ),
    ],
)
def test_escalation_steps_that_make_no_sense_now_are_refused_with_their_reason(name, state, reason):
    assert ACTIONS[name].refusal(state) == reason
    assert ACTIONS[name] not in available_actions(state)


def _names(state: ComplaintState) -> list[str]:
    return [spec.name for spec in available_actions(state)]


@pytest.mark.parametrize("status", [*OPEN, REPLIED, CLOSED])
def test_available_actions_are_those_the_specification_allows(status):
    state = ComplaintState(status)

    expected = [
        name
        for name, targets in EXPECTED.items()
        if status in targets and name not in ESCALATED | PRINTED
    ]
    assert _names(state) == expected


def test_a_printed_letter_offers_to_record_its_posting():
    assert "record_posting" in _names(ComplaintState(IN_PROGRESS, letters_to_post=True))
    assert "record_posting" not in _names(ComplaintState(IN_PROGRESS))


def test_after_the_mediator_is_seized_its_outcome_replaces_seizing_it():
    assert _names(ComplaintState(CLOSED, mediation_seized=True)) == [
        "analyse_cause",
        "add_note",
        "add_document",
        "reopen",
        "record_mediation_outcome",
        "escalate_litigation",
        "send_closure_certificate",
    ]


def test_an_unknown_status_offers_nothing():
    assert available_actions(ComplaintState("archived")) == []


def test_parse_action_names_the_known_actions_when_it_does_not_know_one():
    assert parse_action("reply") is ACTIONS["reply"]
    with pytest.raises(ValidationError) as raised:
        parse_action("fly")
    assert raised.value.message_dict == {
        "action": [f"Action inconnue « fly ». Actions : {', '.join(ACTIONS)}."]
    }


@pytest.mark.parametrize("spec", CATALOGUE, ids=[spec.name for spec in CATALOGUE])
def test_every_declaration_says_what_users_read(spec):
    assert spec.label[:1].isupper()
    assert spec.done.endswith(".")
    assert spec.event in EventType.values
    for name, declared in input_fields(spec.input):
        assert declared.label, name
        if declared.kind == FieldKind.CHOICE:
            assert declared.choices or declared.options, name
            assert declared.noun or declared.invalid or declared.blank is not None, name


def test_each_event_type_is_written_by_one_action_at_most():
    events = [spec.event for spec in CATALOGUE]
    assert len(events) == len(set(events))


def test_the_timeline_reads_an_action_event_with_its_declared_labels():
    assert event_shows(EventType.INFORMATION_REQUESTED)["sent_via"].label == "Envoyée par"
    assert event_shows(EventType.INFORMATION_REQUESTED)["sent_via"].choices == {
        "email": "E-mail",
        "letter": "Courrier",
        "phone": "Téléphone",
    }
    assert event_shows(EventType.REGISTERED) == {}
