"""An improvement action's life, as pure rules: which step each status allows, where it leads,
and what a step needs (Qualiopi indicator 32: an action is closed only once its effectiveness
is checked, with a date, a result and evidence)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reclamations.complaints.enums import (
    OPEN_IMPROVEMENT_STATUSES,
    CheckResult,
    EventType,
    ImprovementStatus,
    improvement_status_label,
)
from reclamations.core.catalogue import as_is, gettext_noop

OPEN = frozenset(OPEN_IMPROVEMENT_STATUSES)
EVERY_STATUS = frozenset(ImprovementStatus.values)
SAME = ""  # the step leaves the status as it is


@dataclass(frozen=True)
class Step:
    name: str
    label: str  # the button
    done: str  # "AM-2026-001 : action clôturée."
    allowed_in: frozenset[str]
    leads_to: str  # an ImprovementStatus, or SAME
    event: str


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step(
            "start",
            gettext_noop("Commencer"),
            gettext_noop("action en cours."),
            frozenset({ImprovementStatus.PLANNED, ImprovementStatus.DONE}),
            ImprovementStatus.IN_PROGRESS,
            EventType.IMPROVEMENT_STARTED,
        ),
        Step(
            "record_done",
            gettext_noop("Déclarer réalisée"),
            gettext_noop("action réalisée ; son efficacité reste à vérifier."),
            frozenset({ImprovementStatus.PLANNED, ImprovementStatus.IN_PROGRESS}),
            ImprovementStatus.DONE,
            EventType.IMPROVEMENT_DONE,
        ),
        Step(
            "check",
            gettext_noop("Vérifier l'efficacité"),
            gettext_noop("efficacité vérifiée."),
            frozenset({ImprovementStatus.DONE}),
            SAME,  # or back to work when not effective: next_status
            EventType.IMPROVEMENT_CHECKED,
        ),
        Step(
            "close",
            gettext_noop("Clore"),
            gettext_noop("action clôturée."),
            frozenset({ImprovementStatus.DONE}),
            ImprovementStatus.CLOSED,
            EventType.IMPROVEMENT_CLOSED,
        ),
        Step(
            "abandon",
            gettext_noop("Abandonner"),
            gettext_noop("action abandonnée."),
            OPEN,
            ImprovementStatus.ABANDONED,
            EventType.IMPROVEMENT_ABANDONED,
        ),
        Step(
            "update",
            gettext_noop("Modifier"),
            gettext_noop("action modifiée."),
            OPEN,
            SAME,
            EventType.IMPROVEMENT_UPDATED,
        ),
        Step(
            "note",
            gettext_noop("Ajouter une note"),
            gettext_noop("note ajoutée."),
            EVERY_STATUS,
            SAME,
            EventType.IMPROVEMENT_NOTE,
        ),
    )
}

NOT_CHECKED = gettext_noop(
    "Vérifiez l'efficacité de l'action avant de la clore : la date, le résultat et les preuves "
    "de la vérification sont exigés."
)
NOT_EFFECTIVE = gettext_noop(
    "La dernière vérification juge l'action non efficace : reprenez-la (« Commencer ») ou "
    "abandonnez-la avec son motif."
)
CHECKED_BEFORE_DONE = gettext_noop(
    "La vérification précède la réalisation : vérifiez l'efficacité à nouveau."
)


def steps_allowed(status: str) -> list[Step]:
    """The steps an action in `status` can take, in the order they are offered."""
    return [step for step in STEPS.values() if status in step.allowed_in]


def refusal(step: Step, status: str, translate: Callable[[str], str] = as_is) -> str | None:
    """Why `step` cannot be taken in `status`, or None: French, or through `translate`
    (gettext, given by a page; the status's label is read in the active language)."""
    if status in step.allowed_in:
        return None
    return translate(
        gettext_noop("Étape « %(step)s » impossible : l'action est « %(status)s ».")
    ) % {
        "step": translate(step.label),
        "status": improvement_status_label(status).lower(),
    }


def closing_refusal(check_result: str, checked_on: date | None, done_on: date | None) -> str | None:
    """Why an action done cannot be closed yet, or None: its effectiveness checked, after it was
    done, and found effective (or partly)."""
    if not check_result or checked_on is None:
        return NOT_CHECKED
    if done_on is not None and checked_on < done_on:
        return CHECKED_BEFORE_DONE
    if check_result == CheckResult.NOT_EFFECTIVE:
        return NOT_EFFECTIVE
    return None


def next_status(step: Step, status: str, check_result: str = "") -> str:
    """The status after `step`: a check that finds the action not effective sends it back to
    work."""
    if step.name == "check" and check_result == CheckResult.NOT_EFFECTIVE:
        return ImprovementStatus.IN_PROGRESS
    return status if step.leads_to == SAME else step.leads_to


# The statuses in which an action past its due date is late (one done, awaiting its check, is
# not: the work is done).
LATE_STATUSES = frozenset({ImprovementStatus.PLANNED, ImprovementStatus.IN_PROGRESS})


def is_overdue(status: str, due_date: date, today: date) -> bool:
    """An action still to carry out whose due date has passed."""
    return status in LATE_STATUSES and due_date < today
