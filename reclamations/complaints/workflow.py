"""Which action a complaint allows in which status, and where it leads. Pure: no database.

The same table decides what the service layer accepts and which buttons the UI offers.
"""

from dataclasses import dataclass
from enum import StrEnum

from reclamations.complaints.enums import OPEN_STATUSES, Status


class Action(StrEnum):
    REQUEST_INFORMATION = "request_information"
    RECORD_INFORMATION = "record_information"
    RECORD_CONFIRMATION = "record_confirmation"
    UPDATE_DETAILS = "update_details"
    ADD_ACTION = "add_action"
    ADD_NOTE = "add_note"
    ADD_DOCUMENT = "add_document"
    REPLY = "reply"
    CLOSE = "close"
    DECLARE_NOT_ADMISSIBLE = "declare_not_admissible"
    REOPEN = "reopen"
    ESCALATE_MEDIATION = "escalate_mediation"
    RECORD_MEDIATION_OUTCOME = "record_mediation_outcome"
    ESCALATE_LITIGATION = "escalate_litigation"
    RECORD_LITIGATION_OUTCOME = "record_litigation_outcome"
    SEND_ACKNOWLEDGEMENT = "send_acknowledgement"
    SEND_PROGRESS = "send_progress"


ACTION_LABELS: dict[Action, str] = {
    Action.REQUEST_INFORMATION: "Demander des informations complémentaires",
    Action.RECORD_INFORMATION: "Enregistrer les informations reçues",
    Action.RECORD_CONFIRMATION: "Enregistrer la confirmation écrite",
    Action.UPDATE_DETAILS: "Modifier la fiche",
    Action.ADD_ACTION: "Ajouter une action",
    Action.ADD_NOTE: "Ajouter une note",
    Action.ADD_DOCUMENT: "Joindre un document",
    Action.REPLY: "Répondre au client",
    Action.CLOSE: "Clôturer",
    Action.DECLARE_NOT_ADMISSIBLE: "Déclarer non recevable",
    Action.REOPEN: "Rouvrir",
    Action.ESCALATE_MEDIATION: "Saisine du médiateur",
    Action.RECORD_MEDIATION_OUTCOME: "Issue de la médiation",
    Action.ESCALATE_LITIGATION: "Contentieux",
    Action.RECORD_LITIGATION_OUTCOME: "Issue du contentieux",
    Action.SEND_ACKNOWLEDGEMENT: "Envoyer l'accusé de réception",
    Action.SEND_PROGRESS: "Informer le client de l'avancement",
}

# Target of an action that sends the complaint back to treatment: decided by what it still lacks.
BACK_TO_TREATMENT = "back_to_treatment"

_OPEN = frozenset(OPEN_STATUSES)
_OPEN_OR_REPLIED = _OPEN | {Status.REPLIED}
_ANY = _OPEN_OR_REPLIED | {Status.CLOSED}
_AFTER_REPLY = frozenset({Status.REPLIED, Status.CLOSED})


@dataclass(frozen=True)
class Rule:
    allowed_from: frozenset[str]
    target: str | None  # None: the status does not change


TRANSITIONS: dict[Action, Rule] = {
    Action.REQUEST_INFORMATION: Rule(
        frozenset({Status.INCOMPLETE, Status.IN_PROGRESS, Status.AWAITING_CONFIRMATION}),
        Status.AWAITING_INFORMATION,
    ),
    Action.RECORD_INFORMATION: Rule(frozenset({Status.AWAITING_INFORMATION}), BACK_TO_TREATMENT),
    Action.RECORD_CONFIRMATION: Rule(frozenset({Status.AWAITING_CONFIRMATION}), BACK_TO_TREATMENT),
    Action.UPDATE_DETAILS: Rule(_OPEN_OR_REPLIED, None),
    Action.ADD_ACTION: Rule(_OPEN_OR_REPLIED, None),
    Action.ADD_NOTE: Rule(_ANY, None),
    Action.ADD_DOCUMENT: Rule(_ANY, None),
    Action.REPLY: Rule(_OPEN_OR_REPLIED, Status.REPLIED),
    Action.CLOSE: Rule(frozenset({Status.REPLIED}), Status.CLOSED),
    Action.DECLARE_NOT_ADMISSIBLE: Rule(_OPEN, Status.CLOSED),
    Action.REOPEN: Rule(frozenset({Status.CLOSED}), Status.IN_PROGRESS),
    Action.ESCALATE_MEDIATION: Rule(_AFTER_REPLY, None),
    Action.RECORD_MEDIATION_OUTCOME: Rule(_AFTER_REPLY, None),
    Action.ESCALATE_LITIGATION: Rule(_AFTER_REPLY, None),
    Action.RECORD_LITIGATION_OUTCOME: Rule(_AFTER_REPLY, None),
    # Messages to the client by email (outbox): the status does not change.
    Action.SEND_ACKNOWLEDGEMENT: Rule(_OPEN_OR_REPLIED, None),
    Action.SEND_PROGRESS: Rule(_OPEN_OR_REPLIED, None),
}


class WorkflowError(Exception):
    """An action the workflow does not allow now; the message says why, in French."""


def treatment_status(*, complete: bool, confirmation_pending: bool) -> Status:
    """Status of a complaint under treatment: what it waits for first."""
    if confirmation_pending:
        return Status.AWAITING_CONFIRMATION
    if not complete:
        return Status.INCOMPLETE
    return Status.IN_PROGRESS


def allowed_actions(status: str) -> list[Action]:
    return [action for action, rule in TRANSITIONS.items() if status in rule.allowed_from]


def next_status(
    status: str, action: Action, *, complete: bool = True, confirmation_pending: bool = False
) -> str:
    """The status after `action`, or WorkflowError when the table does not allow it."""
    rule = TRANSITIONS[action]
    if status not in rule.allowed_from:
        label = Status(status).label if status in Status.values else status
        raise WorkflowError(
            f"Action « {ACTION_LABELS[action]} » impossible : la réclamation est "
            f"« {label.lower()} »."
        )
    if rule.target is None:
        if action == Action.UPDATE_DETAILS and status in (Status.INCOMPLETE, Status.IN_PROGRESS):
            # Editing the record can fill in, or empty, a field the procedure requires.
            return treatment_status(complete=complete, confirmation_pending=confirmation_pending)
        return status
    if rule.target == BACK_TO_TREATMENT or action == Action.REOPEN:
        return treatment_status(complete=complete, confirmation_pending=confirmation_pending)
    return rule.target
