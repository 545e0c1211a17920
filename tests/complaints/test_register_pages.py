"""The register a page at a time: the whole register is counted from its reference counters,
which add up to its size because every complaint gets a reference and none is removed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.complaints.register_pages import register_listing, registered_count
from reclamations.complaints.services import complaint_apply
from reclamations.complaints.sql_terms import open_q
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


class _GiveBack(Exception):
    """Raised to roll back what a plan was asked under."""


def _plan(queryset, without: tuple[str, ...] = ()) -> str:
    """The database's plan for `queryset`, its parameters bound as when it runs; `without`:
    indexes left out for it (dropped, then given back by the rollback)."""
    sql, params = queryset.query.sql_with_params()
    try:
        with connection.cursor() as cursor, transaction.atomic():
            table = Complaint._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            for index in without:
                if connection.vendor == "postgresql" and constraints[index]["unique"]:
                    cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {index}")
                else:
                    cursor.execute(f"DROP INDEX {index}")
            if connection.vendor == "postgresql":
                # A handful of rows, whose statistics depend on the tests before: without
                # this, PostgreSQL reads the table (or another index) and sorts the few it
                # finds. With sorting ruled out, it sorts still only if no index gives the
                # order asked.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(row[-1] for row in cursor.fetchall())
            raise _GiveBack
    except _GiveBack:
        return plan


def _all_indexes_but(kept: str) -> tuple[str, ...]:
    """On PostgreSQL, every index of the complaints but their key and `kept`: with a row or two,
    it takes whichever small index its statistics of the tests before favour (the organisation's
    key, another context's, whose every value is empty). Left out, what is asked is whether
    `kept` serves. SQLite, without statistics, chooses the same way whatever the rows: none."""
    if connection.vendor != "postgresql":
        return ()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Complaint._meta.db_table)
    return tuple(
        name
        for name, constraint in constraints.items()
        if constraint["index"] and not constraint["primary_key"] and name != kept
    )


@pytest.mark.parametrize(
    "flags",
    [{}, {"open_only": True}, {"overdue": True}, {"due_soon": True}],
    ids=["whole", "open", "overdue", "due soon"],
)
def test_the_default_page_reads_what_needs_work_from_its_index_without_sorting(
    organisation, referent, flags
):
    for _ in range(3):
        make_complaint(organisation, referent)
    # All three overdue, or all three due soon.
    days = 10 if flags.get("due_soon") else 60
    listing = register_listing(
        organisation,
        RegisterFilters(order="urgent", **flags),
        today=local_today(organisation) + timedelta(days=days),
        policy=deadline_policy(organisation),
    )

    plan = _plan(listing.urgent[:50])

    assert listing.count() == 3
    assert "register_open_urgent" in plan
    assert "TEMP B-TREE" not in plan.upper()  # SQLite's sort
    assert "Sort" not in plan  # PostgreSQL's


def test_the_open_complaints_are_read_from_the_partial_indexes_of_open_complaints(
    organisation, referent
):
    make_complaint(organisation, referent)
    by_due_date = Complaint.objects.filter(open_q(), organisation=organisation).order_by("due_date")

    assert by_due_date.count() == 1
    # With a single row, the index of all the due dates serves as well, and PostgreSQL took it
    # after some tests: left out, what is asked is whether the partial ones can serve.
    assert "register_open_" in _plan(by_due_date, without=("register_due",))


@pytest.mark.parametrize(
    "flags",
    [
        {"open_only": True},
        {"overdue": True},
        {"due_soon": True},
        {"open_only": True, "overdue": True},
    ],
)
def test_a_register_of_open_complaints_says_open_once(organisation, referent, flags):
    """A condition written twice has its selectivity counted twice: PostgreSQL expected 502
    of 14,606 overdue complaints and sorted them rather than read its index in order."""
    listing = register_listing(
        organisation,
        RegisterFilters(order="urgent", **flags),
        today=local_today(organisation),
        policy=deadline_policy(organisation),
    )

    for queryset in (listing.urgent, listing.rest, listing.register):
        assert str(queryset.query).count("awaiting_confirmation") == 1


@pytest.mark.parametrize("context", ["training", "session", "trainer", "funder", "cause"])
def test_what_needs_work_among_one_context_is_read_from_its_open_ones(
    organisation, referent, context
):
    for value in ("Autre", "Locaux, matériel ou équipement"):
        if context == "cause":  # found by the analysis, not given at registration
            made = make_complaint(organisation, referent)
            complaint_apply(
                complaint=made, actor=referent, action="analyse_cause", data={"cause": value}
            )
        else:
            make_complaint(organisation, referent, **{context: value})
    listing = register_listing(
        organisation,
        RegisterFilters(order="urgent", **{context: "Autre"}),
        today=local_today(organisation) + timedelta(days=60),  # both overdue
        policy=deadline_policy(organisation),
    )

    assert listing.count() == len(listing[0:10]) == 1
    for queryset in (listing.urgent[:25], listing.urgent.order_by()):
        index = f"register_open_{context}"
        assert index in _plan(queryset, without=_all_indexes_but(index))


@pytest.mark.parametrize("flags", [{"overdue": True}, {"due_soon": True}, {"open_only": True}])
@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_open_complaints_by_reception_are_read_in_order_from_their_index(
    organisation, referent, flags, order
):
    for _ in range(3):
        make_complaint(organisation, referent)
    days = 10 if flags.get("due_soon") else 60
    listing = register_listing(
        organisation,
        RegisterFilters(order=order, **flags),
        today=local_today(organisation) + timedelta(days=days),
        policy=deadline_policy(organisation),
    )

    plan = _plan(listing.register[:25], without=_all_indexes_but("register_open_received"))

    assert listing.count() == len(listing[0:10]) == 3
    assert "register_open_received" in plan
    assert "TEMP B-TREE" not in plan.upper()
    assert "Sort" not in plan
