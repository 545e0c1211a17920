"""A page of the register read where it lies: reached from its neighbour, a page is read from
the neighbour's place in the index (no OFFSET, whatever its depth); reached by its number, from
the nearer end. Either way it holds exactly the complaints the order puts there."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters, register_queryset
from reclamations.complaints.register_pages import register_page
from reclamations.core.localtime import local_today
from tests.clock import at
from tests.factories import complaint_in_state, make_complaint

PAGE_SIZE = 3
ORDERS = ["urgent", "newest", "oldest", "due", "relevance"]


@pytest.fixture
def register(organisation, referent):
    """Eleven complaints: open and overdue (what needs work), open and recent, closed; three
    received at the same moment and two on the same day, so that the order's ties count."""
    same_moment = at(2025, 3, 14, 10, 0)
    for _ in range(3):
        make_complaint(organisation, referent, received_at=same_moment)
    make_complaint(organisation, referent, received_at=at(2025, 3, 14, 8, 0))
    make_complaint(organisation, referent, received_at=at(2025, 3, 14, 17, 30))
    for month in (5, 6, 7):
        complaint_in_state(organisation, referent, "closed", received_at=at(2025, month, 2))
    for _ in range(3):
        make_complaint(organisation, referent)
    return organisation


def _page(organisation, filters, number, **neighbour):
    page, rows = register_page(
        organisation,
        filters,
        page_number=number,
        page_size=PAGE_SIZE,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        **neighbour,
    )
    return page, [row.complaint.pk for row in rows]


def _in_order(organisation, filters):
    """The register in the order as one ORDER BY gives it, every row."""
    return list(
        register_queryset(
            organisation,
            filters,
            today=local_today(organisation),
            policy=deadline_policy(organisation),
            due_soon_days=organisation.due_soon_days,
        ).values_list("pk", flat=True)
    )


def _pages(ids):
    return [ids[start : start + PAGE_SIZE] for start in range(0, len(ids), PAGE_SIZE)]


@pytest.mark.parametrize("order", ORDERS)
def test_every_page_by_its_number_holds_what_the_order_puts_there(register, order):
    filters = RegisterFilters(order=order)
    expected = _pages(_in_order(register, filters))

    read = [_page(register, filters, number)[1] for number in range(1, len(expected) + 1)]

    assert read == expected


@pytest.mark.parametrize("order", ORDERS)
def test_following_the_next_pages_from_the_first_reads_the_register_once(register, order):
    filters = RegisterFilters(order=order)
    expected = _pages(_in_order(register, filters))

    page, ids = _page(register, filters, 1)
    read = [ids]
    while page.has_next():
        page, ids = _page(register, filters, page.next_page_number(), after=ids[-1])
        read.append(ids)

    assert read == expected


@pytest.mark.parametrize("order", ORDERS)
def test_following_the_previous_pages_from_the_last_reads_the_register_back(register, order):
    filters = RegisterFilters(order=order)
    expected = _pages(_in_order(register, filters))

    page, ids = _page(register, filters, len(expected))
    read = [ids]
    while page.has_previous():
        page, ids = _page(register, filters, page.previous_page_number(), before=ids[0])
        read.append(ids)

    assert read[::-1] == expected


def test_a_filtered_register_is_followed_within_its_filter(register, referent):
    make_complaint(register, referent, channel="letter", received_at=at(2025, 3, 14, 10, 0))
    filters = RegisterFilters(order="oldest", channel="email")
    expected = _pages(_in_order(register, filters))
    assert len(expected) > 2

    page, ids = _page(register, filters, 1)
    read = [ids]
    while page.has_next():
        page, ids = _page(register, filters, page.next_page_number(), after=ids[-1])
        read.append(ids)

    assert read == expected


@pytest.mark.parametrize("order", ["newest", "oldest", "urgent"])
def test_a_page_reached_from_its_neighbour_is_read_without_offset(register, order):
    filters = RegisterFilters(order=order)
    ids = _in_order(register, filters)
    last_of_page_2 = ids[2 * PAGE_SIZE - 1]

    with CaptureQueriesContext(connection) as queries:
        _page_3, read = _page(register, filters, 3, after=last_of_page_2)

    assert read == ids[2 * PAGE_SIZE : 3 * PAGE_SIZE]
    assert not [query for query in queries if "OFFSET" in query["sql"].upper()]


def test_the_last_page_by_its_number_is_read_from_the_end(register):
    filters = RegisterFilters(order="newest")
    ids = _in_order(register, filters)

    with CaptureQueriesContext(connection) as queries:
        page, read = _page(register, filters, 4)

    assert page.number == 4
    assert read == ids[9:]
    listed = [query["sql"] for query in queries if "ORDER BY" in query["sql"].upper()]
    # Read in the reversed order (oldest first), without skipping the ten rows before it.
    assert len(listed) == 1
    assert '"received_on" ASC' in listed[0] or "received_on` ASC" in listed[0]
    assert "OFFSET" not in listed[0].upper()


def test_browsing_on_while_a_complaint_arrives_neither_repeats_nor_skips(register, referent):
    filters = RegisterFilters(order="newest")
    ids = _in_order(register, filters)
    _page_1, first = _page(register, filters, 1)

    make_complaint(register, referent)  # lands at the top, before page 1
    _page_2, second = _page(register, filters, 2, after=first[-1])

    assert first == ids[:PAGE_SIZE]
    assert second == ids[PAGE_SIZE : 2 * PAGE_SIZE]


@pytest.mark.parametrize(
    "neighbour",
    ["another organisation's", "unknown", "outside the filter"],
)
def test_a_neighbour_outside_the_list_leaves_the_page_to_its_number(
    register, other_organisation, referent, neighbour
):
    filters = RegisterFilters(order="newest", status="closed")
    closed = _in_order(register, filters)
    outsider = {
        "another organisation's": make_complaint(other_organisation).pk,
        "unknown": 10**12,
        "outside the filter": make_complaint(register, referent).pk,
    }[neighbour]

    _page_2, read = _page(register, filters, 1, after=outsider)

    assert read == closed[:PAGE_SIZE]
