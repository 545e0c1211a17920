"""A search that matches more complaints than the web register lists (register_pages._Capped):
its first matches in the register's order, counted no further, the newest first when it was to
be ranked; a search with fewer is counted and ranked whole."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.complaints.register_pages import more_listed, register_page
from reclamations.complaints.search import matches_count
from reclamations.complaints.services import complaint_apply
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")

LISTED = 4


@pytest.fixture
def seven_delays(organisation, referent):
    """Seven complaints about a delay, a day apart (the newest last), the oldest saying it
    most; and one about something else."""
    made = [
        make_complaint(
            organisation,
            referent,
            received_at=timezone.now() - timedelta(days=10 - day),
            description="retard " * (8 - day),
        )
        for day in range(7)
    ]
    make_complaint(organisation, referent, description="Attestation jamais reçue.")
    return made


def _reply(complaint, referent):
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={"resolution": "Geste commercial.", "channel": "email", "text": "Réponse."},
    )


def _page(organisation, number=1, *, listed=LISTED, after=None, **filters):
    return register_page(
        organisation,
        RegisterFilters(**filters),
        page_number=number,
        page_size=3,
        today=NOW.date(),
        policy=deadline_policy(organisation),
        search_listed=listed,
        after=after,
    )


def _listed(organisation, **filters):
    """Every complaint the register lists, page after page, and whether it said there were more."""
    page, rows = _page(organisation, **filters)
    found = [row.complaint for row in rows]
    while page.has_next():
        page, rows = _page(organisation, page.next_page_number(), **filters)
        found += [row.complaint for row in rows]
    return found, more_listed(page)


def test_more_matches_than_listed_lists_the_newest_first_instead_of_ranking(
    organisation, seven_delays
):
    found, more = _listed(organisation, search="retard", order="relevance")

    assert more is True
    assert found == seven_delays[::-1][:LISTED]


def test_the_count_says_how_many_are_listed_and_no_page_lies_beyond(organisation, seven_delays):
    page, _rows = _page(organisation, search="retard", order="relevance")
    assert page.paginator.count == LISTED
    assert page.paginator.num_pages == 2
    last, rows = _page(organisation, 99, search="retard", order="relevance")
    assert last.number == 2
    assert [row.complaint for row in rows] == [seven_delays[3]]


@pytest.mark.parametrize(
    ("order", "expected"),
    [("newest", [6, 5, 4, 3]), ("oldest", [0, 1, 2, 3])],
)
def test_another_order_lists_its_first_matches(organisation, seven_delays, order, expected):
    found, more = _listed(organisation, search="retard", order=order)

    assert more is True
    assert found == [seven_delays[index] for index in expected]


def test_what_needs_work_first_stays_first(organisation, referent, seven_delays):
    overdue = make_complaint(
        organisation,
        referent,
        received_at=timezone.now() - timedelta(days=60),
        description="Un retard de plus.",
    )

    found, more = _listed(organisation, search="retard", order="urgent")

    assert more is True
    assert found[0] == overdue
    assert len(found) == LISTED


def test_the_next_page_is_read_from_its_neighbour(organisation, seven_delays):
    _first, rows = _page(organisation, search="retard", order="newest")
    second, next_rows = _page(
        organisation, 2, search="retard", order="newest", after=rows[-1].complaint.pk
    )

    assert [row.complaint for row in rows + next_rows] == seven_delays[::-1][:LISTED]
    assert more_listed(second)


def test_as_many_as_listed_are_counted_and_ranked_whole(organisation, seven_delays):
    found, more = _listed(organisation, listed=7, search="retard", order="relevance")

    assert more is False
    # The best first: the oldest says it most.
    assert found == seven_delays


def test_with_a_filter_the_matches_are_counted_among_it(organisation, referent, seven_delays):
    _reply(seven_delays[0], referent)

    found, more = _listed(organisation, search="retard", status="replied")

    assert (found, more) == ([seven_delays[0]], False)


def test_by_due_date_counts_the_open_matches_only(organisation, referent, seven_delays):
    for complaint in seven_delays[:5]:
        _reply(complaint, referent)

    found, more = _listed(organisation, search="retard", order="due")

    assert more is False
    assert set(found) == set(seven_delays[5:])


def test_without_a_limit_every_match_is_listed_and_counted(organisation, seven_delays):
    found, more = _listed(organisation, listed=None, search="retard", order="relevance")

    assert more is False
    assert found == seven_delays


def test_matches_are_counted_up_to_what_is_asked(organisation, other_organisation, seven_delays):
    assert matches_count("retard", organisation_id=organisation.pk, up_to=3) == 3
    assert matches_count("retard", organisation_id=organisation.pk, up_to=50) == 7
    make_complaint(other_organisation, None, description="Un retard ailleurs.")
    assert matches_count("retard", organisation_id=organisation.pk, up_to=50) == 7
    assert matches_count("retard", organisation_id=organisation.pk, up_to=3) == 3
    assert matches_count("retard", organisation_id=other_organisation.pk, up_to=3) == 1
