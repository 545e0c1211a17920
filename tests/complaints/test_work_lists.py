"""The referent's work lists: each complaint that needs someone in exactly one list, the first
that applies (overdue, due soon, waiting for the client too long, unresolved in the client's
view, replied and to close); nothing else; the navigation's count agrees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.client_requests import client_gives_opinion
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.work_lists import work_count, work_lists
from reclamations.core.localtime import local_today
from tests.clock import at
from tests.factories import complaint_in_state, make_complaint

pytestmark = pytest.mark.usefixtures("clock")


def _lists(organisation):
    work = work_lists(
        organisation,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )
    return work, {
        name: [row.complaint.reference for row in rows] for name, rows in work.lists.items()
    }


def _count(organisation):
    return work_count(
        organisation.pk,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )


def test_each_complaint_is_in_the_first_list_that_applies(organisation, referent, clock):
    # Today is Monday 2 November 2026 (tests/clock.py).
    overdue = make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    due_soon = make_complaint(organisation, referent, received_at=at(2026, 10, 22))  # due 3 Nov
    clock.move_to(at(2026, 10, 26, 10))
    waiting = complaint_in_state(organisation, referent, "awaiting_information")
    clock.move_to(at(2026, 11, 2, 10))
    replied = complaint_in_state(organisation, referent, "replied")
    unresolved = complaint_in_state(organisation, referent, "replied")
    client_gives_opinion(complaint=unresolved, satisfaction="partly", resolved="no")
    fresh = make_complaint(organisation, referent)  # ten working days to go
    complaint_in_state(organisation, referent, "closed")

    work, lists = _lists(organisation)

    assert lists == {
        "overdue": [overdue.reference],
        "due_soon": [due_soon.reference],
        "waiting": [waiting.reference],
        "unresolved": [unresolved.reference],
        "to_close": [replied.reference],
    }
    assert all(fresh.reference not in listed for listed in lists.values())
    assert work.total == 5 == _count(organisation)


def test_an_overdue_complaint_waiting_for_the_client_is_listed_once_as_overdue(
    organisation, referent, clock
):
    clock.move_to(at(2026, 10, 1, 10))
    complaint = complaint_in_state(organisation, referent, "awaiting_information")
    clock.move_to(at(2026, 11, 2, 10))

    work, lists = _lists(organisation)

    assert lists["overdue"] == [complaint.reference]
    assert lists["waiting"] == []
    assert work.total == 1 == _count(organisation)


def test_a_client_asked_recently_is_not_chased_yet(organisation, referent, clock):
    clock.move_to(at(2026, 10, 29, 10))
    complaint_in_state(organisation, referent, "awaiting_information")
    clock.move_to(at(2026, 11, 2, 10))

    _, lists = _lists(organisation)

    assert lists["waiting"] == []


def test_overdue_complaints_come_oldest_due_date_first(organisation, referent):
    later = make_complaint(organisation, referent, received_at=at(2026, 10, 14))
    earlier = make_complaint(organisation, referent, received_at=at(2026, 10, 5))

    _, lists = _lists(organisation)

    assert lists["overdue"] == [earlier.reference, later.reference]


def test_another_organisations_complaints_are_never_listed(
    organisation, referent, other_organisation
):
    make_complaint(other_organisation, None, received_at=at(2026, 10, 5))

    work, _ = _lists(organisation)

    assert work.total == 0 == _count(organisation)


def test_the_lists_are_read_in_one_query_each_whatever_their_length(organisation, referent):
    for day in (5, 6, 7, 8, 9, 12, 13):
        make_complaint(organisation, referent, received_at=at(2026, 10, day))

    with CaptureQueriesContext(connection) as queries:
        work, _ = _lists(organisation)

    assert work.total == 7
    assert len(queries) == 6  # the counts, then each list


def test_a_long_list_shows_its_most_pressing_first_and_counts_the_rest(organisation, referent):
    overdue = [
        make_complaint(organisation, referent, received_at=at(2026, 10, day))
        for day in (5, 6, 7, 8, 9)
    ]

    work = work_lists(
        organisation,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
        shown=3,
    )

    shown = [row.complaint.reference for row in work.lists["overdue"]]
    assert shown == [complaint.reference for complaint in overdue[:3]]  # earliest due first
    assert work.totals["overdue"] == 5
    assert work.total == 5 == _count(organisation)


def test_the_navigation_s_figure_is_one_query(organisation, referent, clock):
    make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    complaint_in_state(organisation, referent, "replied")

    with CaptureQueriesContext(connection) as queries:
        count = _count(organisation)

    assert count == 2
    assert len(queries) == 1


def test_the_counts_built_once_follow_the_day_and_the_organisation(
    organisation, other_organisation, referent, clock
):
    overdue_later = make_complaint(organisation, referent, received_at=at(2026, 10, 26))
    make_complaint(other_organisation, None, received_at=at(2026, 10, 12))
    counts_now = _lists(organisation)[0].totals

    clock.move_to(at(2026, 11, 16, 10))  # two weeks on: due 9 November, now overdue
    work, lists = _lists(organisation)

    assert counts_now == {"overdue": 0, "due_soon": 0, "waiting": 0, "unresolved": 0, "to_close": 0}
    assert lists["overdue"] == [overdue_later.reference]
    assert work.totals == {name: len(rows) for name, rows in lists.items()}
    assert _count(other_organisation) == 1
