"""The workflow's actions, each declared once (see spec.ActionSpec), in the order staff meet them.

Everything else derives from this registry: the service refuses what `refusal` refuses, the
web and the API offer what `available_actions` lists, the web forms and the API schema are
built from each action's input, and the timeline reads each event with its action's labels.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError

from reclamations.complaints.actions.decision import (
    CLOSE,
    DECLARE_NOT_ADMISSIBLE,
    RECORD_DELIVERY,
    REOPEN,
    REPLY,
)
from reclamations.complaints.actions.escalation import (
    ESCALATE_LITIGATION,
    ESCALATE_MEDIATION,
    RECORD_LITIGATION_OUTCOME,
    RECORD_MEDIATION_OUTCOME,
)
from reclamations.complaints.actions.information import (
    RECORD_CONFIRMATION,
    RECORD_INFORMATION,
    REQUEST_CONFIRMATION,
    REQUEST_INFORMATION,
)
from reclamations.complaints.actions.messages import (
    RECORD_POSTING,
    SEND_ACKNOWLEDGEMENT,
    SEND_CLOSURE_CERTIFICATE,
    SEND_PROGRESS,
)
from reclamations.complaints.actions.record import (
    ADD_ACTION,
    ADD_DOCUMENT,
    ADD_NOTE,
    ANALYSE_CAUSE,
    UPDATE_DETAILS,
)
from reclamations.complaints.actions.spec import ActionSpec, ComplaintState, Shown

CATALOGUE: tuple[ActionSpec[Any], ...] = (
    REQUEST_CONFIRMATION,
    REQUEST_INFORMATION,
    RECORD_INFORMATION,
    RECORD_CONFIRMATION,
    UPDATE_DETAILS,
    ADD_ACTION,
    ANALYSE_CAUSE,
    ADD_NOTE,
    ADD_DOCUMENT,
    REPLY,
    RECORD_DELIVERY,
    CLOSE,
    DECLARE_NOT_ADMISSIBLE,
    REOPEN,
    ESCALATE_MEDIATION,
    RECORD_MEDIATION_OUTCOME,
    ESCALATE_LITIGATION,
    RECORD_LITIGATION_OUTCOME,
    SEND_ACKNOWLEDGEMENT,
    SEND_PROGRESS,
    SEND_CLOSURE_CERTIFICATE,
    RECORD_POSTING,
)
ACTIONS: Mapping[str, ActionSpec[Any]] = {spec.name: spec for spec in CATALOGUE}

# The actions' names, for code and tests that name one (Action.REPLY == "reply").
Action = StrEnum("Action", {spec.name.upper(): spec.name for spec in CATALOGUE})  # type: ignore[misc]


def parse_action(name: str) -> ActionSpec[Any]:
    """The action called `name`, or a French ValidationError listing the known ones."""
    spec = ACTIONS.get(str(name))
    if spec is None:
        known = ", ".join(ACTIONS)
        raise ValidationError({"action": [f"Action inconnue « {name} ». Actions : {known}."]})
    return spec


def refusal(spec: ActionSpec[Any], state: ComplaintState) -> str | None:
    """Why `spec` cannot be taken in `state` (French), or None when it can."""
    return spec.refusal(state)


def available_actions(state: ComplaintState) -> list[ActionSpec[Any]]:
    """The actions a complaint in `state` can take now, in the catalogue's order."""
    return [spec for spec in CATALOGUE if spec.refusal(state) is None]


def event_shows(event_type: str) -> Mapping[str, Shown]:
    """How the data of an action's event reads; empty for the events no action writes."""
    return _SHOWS_BY_EVENT.get(event_type, {})


_SHOWS_BY_EVENT: dict[str, Mapping[str, Shown]] = {spec.event: spec.shows for spec in CATALOGUE}

__all__ = [
    "ACTIONS",
    "CATALOGUE",
    "Action",
    "ActionSpec",
    "ComplaintState",
    "available_actions",
    "event_shows",
    "parse_action",
    "refusal",
]
