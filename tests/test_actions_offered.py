"""The staff pages and the REST API offer the same actions in every state a complaint can be in,
and both refuse the others: one registry answers for both (complaints.actions)."""

import pytest
from django.urls import reverse

from reclamations.complaints.actions import ACTIONS
from reclamations.complaints.models import Complaint
from reclamations.complaints.services import complaint_apply
from tests.factories import complaint_in_state

# Every state a complaint can be in: a state of the factory, then what else was escalated. Each
# is reached through the service, as staff would reach it.
STATES = {
    "incomplete": ("incomplete", []),
    "awaiting_information": ("awaiting_information", []),
    "awaiting_confirmation": ("awaiting_confirmation", []),
    "in_progress": ("in_progress", []),
    "replied": ("replied", []),
    "replied by registered letter": ("replied_registered", []),
    "replied, mediator seized": ("mediation", []),
    "replied, in court": ("litigation", []),
    "closed": ("closed", []),
    "closed, mediator seized and in court": (
        "closed",
        ["escalate_mediation", "escalate_litigation"],
    ),
    "closed as not admissible": ("not_admissible", []),
}


def _complaint_in(state: str, organisation, actor) -> Complaint:
    base, escalations = STATES[state]
    complaint = complaint_in_state(organisation, actor, base)
    for action in escalations:
        complaint_apply(complaint=complaint, actor=actor, action=action, data={})
    return complaint


def _offered_on_the_page(client, complaint) -> list[str]:
    page = client.get(reverse("complaint_detail", args=[complaint.reference]))
    return [name for name, _label in page.context["actions"]]


def _offered_by_the_api(api, complaint) -> list[str]:
    detail = api.get(f"/api/v1/complaints/{complaint.reference}").json()
    return [item["action"] for item in detail["allowed_actions"]]


@pytest.mark.parametrize("state", list(STATES))
def test_web_and_api_offer_the_same_actions(
    state, organisation, referent, referent_client, referent_api
):
    complaint = _complaint_in(state, organisation, referent)

    on_the_page = _offered_on_the_page(referent_client, complaint)

    assert on_the_page == _offered_by_the_api(referent_api, complaint)
    assert on_the_page  # a note can always be added


@pytest.mark.parametrize("state", list(STATES))
def test_what_is_not_offered_is_refused_by_both(
    state, organisation, referent, referent_client, referent_api
):
    complaint = _complaint_in(state, organisation, referent)
    offered = set(_offered_on_the_page(referent_client, complaint))

    for name in ACTIONS:
        page = referent_client.get(reverse("complaint_action", args=[complaint.reference, name]))
        if name in offered:
            assert page.status_code == 200, name
            continue
        # Refused before its fields are read: nothing changes, the next action sees the same state.
        posted = referent_api.post(
            f"/api/v1/complaints/{complaint.reference}/actions",
            {"action": name},
            content_type="application/json",
        )
        assert page.status_code == 409, name
        assert posted.status_code == 409, name
        assert posted.json()["detail"] == page.context["reason"], name


def test_every_action_is_offered_in_some_state(organisation, referent, referent_client):
    offered: set[str] = set()
    for state in STATES:
        offered.update(
            _offered_on_the_page(referent_client, _complaint_in(state, organisation, referent))
        )

    assert offered == set(ACTIONS)
