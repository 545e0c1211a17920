"""Where a complaint goes after an action. Pure: no database.

Which action is allowed when is declared with each action (complaints.actions); this module
only knows the statuses: what a complaint under treatment waits for, and the status an
action leads to.
"""

from enum import StrEnum

from reclamations.complaints.enums import Status


class WorkflowError(Exception):
    """An action the workflow does not allow now; the message says why, in French."""


class Next(StrEnum):
    """Where an action leads when it is not to one fixed status."""

    SAME = "same"  # the status does not change
    TREATMENT = "treatment"  # back to treatment: what the complaint still lacks decides
    RECHECK = "recheck"  # same, but an incomplete or in-progress complaint is checked again


# The statuses whose complaint is re-checked by Next.RECHECK (editing the record may fill in,
# or empty, a field the procedure requires).
_RECHECKED = frozenset({Status.INCOMPLETE, Status.IN_PROGRESS})


def treatment_status(*, complete: bool, confirmation_pending: bool) -> Status:
    """Status of a complaint under treatment: what it waits for first."""
    if confirmation_pending:
        return Status.AWAITING_CONFIRMATION
    if not complete:
        return Status.INCOMPLETE
    return Status.IN_PROGRESS


def next_status(
    status: str, leads_to: str, *, complete: bool = True, confirmation_pending: bool = False
) -> str:
    """The status after an action that `leads_to` a status or a Next, from `status`."""
    if leads_to == Next.SAME:
        return status
    if leads_to == Next.TREATMENT or (leads_to == Next.RECHECK and status in _RECHECKED):
        return treatment_status(complete=complete, confirmation_pending=confirmation_pending)
    if leads_to == Next.RECHECK:
        return status
    return leads_to
