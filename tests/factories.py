"""Complaints made through the service layer, as the product makes them.

- `make_complaint`: a complaint registered through `complaint_register`;
- `complaint_in_state`: one then brought to a state by the workflow's own actions, through
  `complaint_apply`.

Nothing here writes a model directly: the service layer is the one door to the register.
"""

from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import File
from django.utils import timezone

from reclamations.complaints.enums import Status
from reclamations.complaints.models import Complaint
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.core.models import Organisation, User

BACKDATING_REASON = "Saisie a posteriori (test)"
REPLY = {
    "resolution": "Trois séances de rattrapage programmées.",
    "channel": "email",
    "text": "Nous vous proposons trois séances de rattrapage.",
}
REGISTERED_REPLY = {**REPLY, "channel": "letter", "registered_number": "1A 234 567 8901 2"}
INFORMATION_REQUEST = {"missing": "Le compte client.", "sent_via": "email"}
NOT_ADMISSIBLE_REASON = "Simple demande d'information."

# state -> (what the registration says, the actions then taken, the status they lead to)
_STATES: dict[str, tuple[dict[str, str], list[tuple[str, dict[str, Any]]], str]] = {
    "in_progress": ({}, [], Status.IN_PROGRESS),
    "incomplete": ({"client_account": ""}, [], Status.INCOMPLETE),
    "awaiting_confirmation": ({"channel": "phone"}, [], Status.AWAITING_CONFIRMATION),
    "awaiting_information": (
        {},
        [("request_information", INFORMATION_REQUEST)],
        Status.AWAITING_INFORMATION,
    ),
    "replied": ({}, [("reply", REPLY)], Status.REPLIED),
    "replied_registered": ({}, [("reply", REGISTERED_REPLY)], Status.REPLIED),
    "closed": ({}, [("reply", REPLY), ("close", {"outcome": "granted"})], Status.CLOSED),
    "not_admissible": (
        {},
        [("declare_not_admissible", {"reason": NOT_ADMISSIBLE_REASON})],
        Status.CLOSED,
    ),
    "mediation": ({}, [("reply", REPLY), ("escalate_mediation", {})], Status.REPLIED),
    "litigation": ({}, [("reply", REPLY), ("escalate_litigation", {})], Status.REPLIED),
}
STATES = tuple(_STATES)


def make_complaint(
    organisation: Organisation,
    actor: User | None = None,
    *,
    received_at: datetime | None = None,
    original: File | None = None,
    **fields: Any,
) -> Complaint:
    """A complaint registered by `actor`: received by e-mail a minute ago from Julie Martin
    (account CLI-001, julie.martin@example.org, 12 rue des Lilas in Cannes), unless
    `received_at` and `fields` (any field of NewComplaint: channel, kind, client_email...) say
    otherwise. Received before today, it
    carries a backdating reason (BACKDATING_REASON unless given). `original` is the file it came
    as (a letter's scan)."""
    when = received_at or timezone.now() - timedelta(minutes=1)
    backdated = when.date() < timezone.localdate()
    values = {
        "channel": "email",
        "client_name": "Julie Martin",
        "client_account": "CLI-001",
        "description": "Trois séances annulées sans préavis.",
        "client_email": "julie.martin@example.org",
        "client_address": "12 rue des Lilas\n06400 Cannes",
        "backdating_reason": BACKDATING_REASON if backdated else "",
        **fields,
    }
    return complaint_register(
        organisation=organisation,
        actor=actor,
        complaint=NewComplaint(received_at=when, **values),
        original=original,
    )


def complaint_in_state(
    organisation: Organisation,
    actor: User | None,
    state: str,
    *,
    received_at: datetime | None = None,
    **fields: Any,
) -> Complaint:
    """A complaint registered by `actor` (make_complaint, with `received_at` and `fields`), then
    brought to `state` by the actions staff would take, each through complaint_apply:

    - "in_progress": registered complete; "incomplete": registered without a client account;
    - "awaiting_confirmation": registered from a phone call;
    - "awaiting_information": then information requested by e-mail (INFORMATION_REQUEST);
    - "replied": then replied by e-mail (REPLY); "closed": replied, then closed as granted;
    - "replied_registered": then replied by registered letter (REGISTERED_REPLY);
    - "not_admissible": then declared not admissible (NOT_ADMISSIBLE_REASON), so closed;
    - "mediation", "litigation": replied, then the organisation's mediator, or its court, seized.
    """
    if state not in _STATES:
        raise ValueError(f"Unknown state {state!r}: choose one of {', '.join(STATES)}.")
    registration, actions, status = _STATES[state]
    complaint = make_complaint(
        organisation, actor, received_at=received_at, **{**registration, **fields}
    )
    for action, data in actions:
        complaint_apply(complaint=complaint, actor=actor, action=action, data=data)
    assert complaint.status == status, f"{state}: {complaint.status}, not {status}"
    return complaint
