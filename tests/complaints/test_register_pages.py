"""The register a page at a time: the whole register is counted from its reference counters,
which add up to its size because every complaint gets a reference and none is removed."""

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.complaints.register_pages import register_listing, registered_count
from reclamations.core.localtime import local_today
from tests.clock import at
from tests.factories import complaint_in_state, make_complaint


def test_the_counters_add_up_to_the_register_across_years_and_failed_registrations(
    organisation, other_organisation, referent
):
    make_complaint(organisation, referent, received_at=at(2025, 12, 30))
    make_complaint(organisation, referent)
    make_complaint(organisation, referent)
    with pytest.raises(ValidationError):
        make_complaint(organisation, referent, channel="fax")  # refused: nothing kept
    make_complaint(other_organisation)

    assert registered_count(organisation) == 3
    assert Complaint.objects.filter(organisation=organisation).count() == 3


@pytest.mark.parametrize("order", ["urgent", "newest", "oldest", "due"])
def test_the_whole_register_and_a_filtered_one_count_what_they_list(organisation, referent, order):
    for _ in range(2):
        make_complaint(organisation, referent)
    complaint_in_state(organisation, referent, "closed")
    make_complaint(organisation, referent, channel="letter")
    today = local_today(organisation)
    policy = deadline_policy(organisation)

    whole = register_listing(organisation, RegisterFilters(order=order), today=today, policy=policy)
    letters = register_listing(
        organisation, RegisterFilters(channel="letter", order=order), today=today, policy=policy
    )

    assert whole.count() == len(whole[0:10]) == (3 if order == "due" else 4)
    assert letters.count() == len(list(letters[0:10])) == 1
