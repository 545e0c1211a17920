"""A register filtered on its codes and period is counted from the counts kept of its codes
together: always what counting its complaints one by one gives."""

from dataclasses import fields
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from reclamations.complaints import register_positions
from reclamations.complaints.counted import kept_ranges
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters, register_queryset
from reclamations.complaints.register_kept import (
    counted_from_codes,
    kept_place,
    kept_register_count,
    placeable,
)
from reclamations.complaints.register_pages import register_page
from tests.clock import NOW, at
from tests.factories import complaint_in_state, make_complaint

TODAY = NOW.date()  # Monday 2 November 2026


@pytest.fixture
def register(clock, organisation, referent):
    """Complaints of several codes, across month ends and years."""
    make_complaint(organisation, referent, received_at=at(2025, 12, 31, 9), category="trainer")
    make_complaint(organisation, referent, received_at=at(2026, 1, 1, 9), channel="letter")
    complaint_in_state(organisation, referent, "closed", received_at=at(2026, 1, 15, 9))
    complaint_in_state(
        organisation, referent, "replied", received_at=at(2026, 2, 28, 9), kind="difficulty"
    )
    complaint_in_state(organisation, referent, "awaiting_confirmation", received_at=at(2026, 3, 1))
    complaint_in_state(organisation, referent, "incomplete", received_at=at(2026, 10, 30, 9))
    complaint_in_state(
        organisation, referent, "not_admissible", received_at=at(2026, 11, 2, 8), category="other"
    )
    make_complaint(organisation, referent, client_type="professional", category="pedagogy")


def _listed(organisation, filters: RegisterFilters):
    """The register under `filters`, complaint by complaint, in its order."""
    return register_queryset(
        organisation,
        filters,
        today=TODAY,
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )


def _counted_one_by_one(organisation, filters: RegisterFilters) -> int:
    return _listed(organisation, filters).count()


def _page(organisation, filters: RegisterFilters, number: int = 1, size: int = 10):
    return register_page(
        organisation,
        filters,
        page_number=number,
        page_size=size,
        today=TODAY,
        policy=deadline_policy(organisation),
    )


PERIODS = [
    (None, None),
    (date(2026, 1, 1), date(2026, 1, 31)),  # a whole month
    (date(2025, 12, 31), date(2026, 2, 28)),  # a ragged day, a month, a whole February
    (date(2026, 1, 2), date(2026, 2, 27)),  # ragged at both ends
    (date(2026, 1, 15), date(2026, 1, 15)),  # one day
    (None, date(2026, 2, 28)),
    (date(2026, 3, 1), None),
    (date(2026, 3, 2), date(2026, 3, 1)),  # ending before it starts: nothing
    (date(1, 1, 1), date(9999, 12, 31)),
]
CODES = [
    {},
    {"status": "closed"},
    {"status": "in_progress"},
    {"kind": "difficulty"},
    {"channel": "letter"},
    {"channel": "phone", "status": "awaiting_confirmation"},
    {"category": "trainer"},
    {"category": "other", "kind": "not_admissible"},
    {"client_type": "professional"},
    {"status": "replied", "kind": "complaint"},  # none
    {"open_only": True},
    {"order": "due"},  # the open ones
    {"open_only": True, "channel": "email"},
]


@pytest.mark.parametrize("codes", CODES)
def test_the_kept_count_is_the_register_counted_one_by_one(organisation, register, codes):
    for received_from, received_to in PERIODS:
        filters = RegisterFilters(**codes, received_from=received_from, received_to=received_to)
        assert counted_from_codes(filters)
        assert kept_register_count(organisation.pk, filters) == _counted_one_by_one(
            organisation, filters
        ), filters


def test_another_organisations_complaints_are_not_counted(
    organisation, other_organisation, register
):
    make_complaint(other_organisation, None, channel="letter")

    assert kept_register_count(other_organisation.pk, RegisterFilters(channel="letter")) == 1
    assert kept_register_count(organisation.pk, RegisterFilters(channel="letter")) == 1


@pytest.mark.parametrize(
    "filters",
    [
        RegisterFilters(training="Excel"),
        RegisterFilters(trainer="Paul Roux"),
        RegisterFilters(cause="Locaux"),
        RegisterFilters(session="S1"),
        RegisterFilters(funder="OPCO"),
        RegisterFilters(overdue=True),
        RegisterFilters(overdue=False),
        RegisterFilters(due_soon=True),
        RegisterFilters(search="retard"),
        RegisterFilters(search="retard", status="closed"),
    ],
)
def test_a_filter_the_codes_do_not_hold_is_counted_one_by_one(filters):
    assert not counted_from_codes(filters)


def test_every_filter_is_either_a_code_the_period_or_counted_one_by_one():
    # A new filter must say where it is counted: here, or by the complaints.
    assert {field.name for field in fields(RegisterFilters)} == {
        *("status", "kind", "channel", "client_type", "category"),
        *("training", "session", "trainer", "funder", "cause"),
        *("received_from", "received_to", "overdue", "due_soon", "open_only", "search"),
        "order",
    }


def test_a_filtered_page_counts_without_reading_the_complaints(organisation, register):
    filters = RegisterFilters(status="closed", channel="email", received_from=date(2026, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        page, rows = _page(organisation, filters)

    assert page.paginator.count == len(rows) == 2
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]


@pytest.mark.parametrize(
    "filters", [RegisterFilters(open_only=True), RegisterFilters(order="due", channel="email")]
)
def test_the_open_complaints_alone_are_counted_from_their_own_index(
    organisation, register, filters
):
    with CaptureQueriesContext(connection) as queries:
        page, _rows = _page(organisation, filters)

    assert page.paginator.count == _counted_one_by_one(organisation, filters)
    assert not [query for query in queries if "statistics_count" in query["sql"]]


@pytest.fixture
def crowded(register, organisation, referent):
    """The register, with days of several complaints: a page can start inside a day."""
    for hour, channel in ((10, "email"), (11, "letter"), (12, "email")):
        make_complaint(organisation, referent, received_at=at(2026, 1, 15, hour), channel=channel)
    complaint_in_state(organisation, referent, "closed", received_at=at(2026, 2, 28, 15))
    complaint_in_state(organisation, referent, "closed", received_at=at(2026, 2, 28, 16))


def _in_order(organisation, filters: RegisterFilters) -> list:
    return list(_listed(organisation, filters).values_list("received_on", flat=True))


PLACEABLE = [
    {},
    {"kind": "difficulty"},
    {"channel": "letter"},
    {"channel": "email"},
    {"category": "trainer"},
    {"client_type": "professional"},
]


@pytest.mark.parametrize("order", ["newest", "oldest"])
@pytest.mark.parametrize("codes", PLACEABLE)
def test_the_kept_place_of_a_line_is_its_day_and_how_many_of_that_day_come_before_it(
    organisation, crowded, codes, order
):
    for received_from, received_to in PERIODS:
        filters = RegisterFilters(
            **codes, received_from=received_from, received_to=received_to, order=order
        )
        days = _in_order(organisation, filters)
        for start in range(len(days) + 2):
            expected = (days[start], days[:start].count(days[start])) if start < len(days) else None
            place = kept_place(organisation.pk, filters, start, newest_first=order == "newest")
            assert place == expected, (filters, start)


@pytest.mark.parametrize(
    "codes",
    [
        {"status": "closed"},
        {"open_only": True},
        {"channel": "phone", "kind": "complaint"},
        {"category": "other", "client_type": "consumer"},
    ],
)
def test_a_register_the_kept_counts_cannot_place_is_read_by_offset(organisation, crowded, codes):
    # The codes together are counted in hundreds of rows a month: more to read than to skip.
    filters = RegisterFilters(**codes, order="newest")

    assert counted_from_codes(filters)
    assert not placeable(filters)
    assert kept_place(organisation.pk, filters, 0, newest_first=True) is None


def test_another_organisations_complaints_take_no_place(organisation, other_organisation, crowded):
    make_complaint(other_organisation, None, received_at=at(2026, 1, 20, 9))
    filters = RegisterFilters(order="oldest")

    assert kept_place(other_organisation.pk, filters, 0, newest_first=False) == (
        date(2026, 1, 20),
        0,
    )
    assert kept_place(other_organisation.pk, filters, 1, newest_first=False) is None
    assert date(2026, 1, 20) not in _in_order(organisation, filters)


@pytest.mark.parametrize("order", ["newest", "oldest"])
@pytest.mark.parametrize(
    "codes",
    [{}, {"kind": "complaint"}, {"channel": "email", "received_from": date(2026, 1, 2)}],
)
def test_a_deep_page_placed_by_the_kept_counts_is_the_page_by_its_number(
    organisation, crowded, monkeypatch, codes, order
):
    filters = RegisterFilters(**codes, order=order)

    def pages(placed_beyond: int) -> list[list[str]]:
        monkeypatch.setattr(register_positions, "PLACED_BEYOND", placed_beyond)
        read = []
        for number in range(1, 9):
            page, rows = _page(organisation, filters, number, size=2)
            if page.number != number:  # past the last page: the Paginator shows the last
                break
            read.append([row.complaint.reference for row in rows])
        return read

    by_offset = pages(placed_beyond=10**9)
    with CaptureQueriesContext(connection) as queries:
        placed = pages(placed_beyond=0)

    assert placed == by_offset
    assert len(by_offset) >= 2
    assert [query for query in queries if "SELECT month, day, SUM(complaints)" in query["sql"]]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            date(2025, 10, 15),
            date(2026, 2, 10),
            [
                (False, date(2025, 10, 15), date(2025, 10, 31)),
                (True, date(2025, 11, 1), date(2026, 1, 1)),
                (False, date(2026, 2, 1), date(2026, 2, 10)),
            ],
        ),
        (date(2026, 3, 1), date(2026, 3, 31), [(True, date(2026, 3, 1), date(2026, 3, 1))]),
        (date(2026, 3, 5), date(2026, 3, 5), [(False, date(2026, 3, 5), date(2026, 3, 5))]),
        (
            date(9999, 12, 1),
            date(9999, 12, 31),
            [(True, date(9999, 12, 1), date(9999, 12, 1))],
        ),
        (date(2026, 5, 1), date(2026, 4, 1), []),
    ],
)
def test_a_period_reads_its_whole_months_by_month_and_its_ragged_ends_by_day(start, end, expected):
    assert kept_ranges(start, end) == expected


@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    length=st.integers(min_value=-3, max_value=800),
)
def test_the_ranges_hold_every_day_of_the_period_once(start, length):
    end = start + timedelta(days=length) if date.max - start >= timedelta(days=length) else date.max
    if length < 0 and start - date.min >= timedelta(days=-length):
        end = start + timedelta(days=length)
    ranges = kept_ranges(start, end)

    covered: list[date] = []
    for by_month, first, last in ranges:
        day = first
        while day <= (_month_end(last) if by_month else last):
            covered.append(day)
            if day == date.max:
                break
            day += timedelta(days=1)
        assert not by_month or (first.day == 1 and last.day == 1)
    expected = (end - start).days + 1 if end >= start else 0
    assert len(covered) == len(set(covered)) == expected
    assert covered == sorted(covered)
    assert not covered or (covered[0], covered[-1]) == (start, end)
    assert len(ranges) <= 3


def _month_end(month: date) -> date:
    if month.month == 12:
        return date(month.year, 12, 31)
    return month.replace(month=month.month + 1) - timedelta(days=1)
