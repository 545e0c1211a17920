"""Reads of the register: filters, orderings, urgency, counts, and scoping to one organisation."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from reclamations.complaints.deadlines import Urgency
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import (
    RegisterCounts,
    RegisterFilters,
    complaint_documents,
    complaint_events,
    complaint_for,
    register_counts,
    register_queryset,
    with_urgency,
)
from reclamations.complaints.register_pages import register_page
from reclamations.complaints.services import complaint_apply
from reclamations.core.models import Organisation
from tests.clock import NOW, at
from tests.factories import make_complaint

TODAY = NOW.date()  # Monday 2 November 2026; due soon up to Thursday 5 November


@dataclass
class Register:
    """The register of the tests, named by what each complaint shows."""

    overdue: Complaint  # open, due 27 October
    on_track: Complaint  # open, due 9 November: 6 working days left
    replied_late_due: Complaint  # replied, its due date (31 October) is past: not overdue
    due_today: Complaint  # phone, awaiting confirmation, due 2 November: 0 days left
    due_soon: Complaint  # open, due 4 November: 2 days left
    incomplete: Complaint  # received today, difficulty, no account: due 14 November
    not_admissible: Complaint  # closed at registration

    def newest_first(self) -> list[Complaint]:
        return [
            self.not_admissible,
            self.incomplete,
            self.on_track,
            self.due_soon,
            self.due_today,
            self.replied_late_due,
            self.overdue,
        ]


@pytest.fixture
def register(clock, organisation, referent) -> Register:
    overdue = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 15),
        client_name="Alice Bernard",
        client_account="CLI-100",
        funding="cpf",
        category="pedagogy",
    )
    replied = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 20),
        client_name="Chloé Roux",
        client_account="R-7",
    )
    complaint_apply(
        complaint=replied,
        actor=referent,
        action="reply",
        data={
            "resolution": "Geste commercial.",
            "channel": "email",
            "text": "Réponse.",
            "replied_on": "2026-10-30",
        },
    )
    due_today = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 21),
        channel="phone",
        client_name="Denis Petit",
        client_account="CLI-400",
    )
    due_soon = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 23),
        client_name="Gaston Lemaire",
        category="other",
    )
    on_track = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 28),
        channel="letter",
        client_name="Bruno Carre",
        client_account="CLI-200",
        funding="company",
        category="trainer",
    )
    incomplete = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 11, 2, 8),
        client_name="Eric Durand",
        client_account="",
        kind="difficulty",
    )
    not_admissible = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 11, 2),
        channel="web",
        client_name="Fanny Morel",
        kind="not_admissible",
        not_admissible_reason="Demande de devis.",
    )
    return Register(overdue, on_track, replied, due_today, due_soon, incomplete, not_admissible)


def _page(organisation, filters=None, *, page_number=1, page_size=50):
    return register_page(
        organisation,
        filters or RegisterFilters(),
        page_number=page_number,
        page_size=page_size,
        today=TODAY,
        policy=deadline_policy(organisation),
    )


def _listed(organisation, **filters) -> list[Complaint]:
    _page_obj, rows = _page(organisation, RegisterFilters(**filters))
    return [row.complaint for row in rows]


# --- filters ----------------------------------------------------------------------------------


def test_register_without_filters_lists_every_complaint_newest_first(organisation, register):
    assert _listed(organisation) == register.newest_first()


def test_register_references_follow_the_registration_order(organisation, register):
    assert [c.reference for c in _listed(organisation, order="oldest")] == [
        "REC-2026-0001",
        "REC-2026-0002",
        "REC-2026-0003",
        "REC-2026-0004",
        "REC-2026-0005",
        "REC-2026-0006",
        "REC-2026-0007",
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "in_progress"}, ["on_track", "due_soon", "overdue"]),
        ({"status": "awaiting_confirmation"}, ["due_today"]),
        ({"status": "replied"}, ["replied_late_due"]),
        ({"status": "closed"}, ["not_admissible"]),
        ({"kind": "difficulty"}, ["incomplete"]),
        ({"kind": "not_admissible"}, ["not_admissible"]),
        ({"channel": "letter"}, ["on_track"]),
        ({"channel": "phone"}, ["due_today"]),
        ({"client_type": "professional"}, ["on_track"]),
        ({"client_type": "consumer"}, ["overdue"]),
        ({"category": "trainer"}, ["on_track"]),
        ({"category": "pedagogy"}, ["overdue"]),
        (
            {"received_from": date(2026, 10, 20), "received_to": date(2026, 10, 28)},
            ["on_track", "due_soon", "due_today", "replied_late_due"],
        ),
        ({"received_from": TODAY}, ["not_admissible", "incomplete"]),
        ({"received_to": date(2026, 10, 15)}, ["overdue"]),
        ({"overdue": True}, ["overdue"]),
        (
            {"overdue": False},
            [
                "not_admissible",
                "incomplete",
                "on_track",
                "due_soon",
                "due_today",
                "replied_late_due",
            ],
        ),
        ({"due_soon": True}, ["due_soon", "due_today"]),
        ({"open_only": True}, ["incomplete", "on_track", "due_soon", "due_today", "overdue"]),
        ({"search": "rec-2026-0002"}, ["replied_late_due"]),
        ({"search": "  REC-2026-0004 "}, ["due_soon"]),
        (
            {"search": "REC-2026"},
            [
                "not_admissible",
                "incomplete",
                "on_track",
                "due_soon",
                "due_today",
                "replied_late_due",
                "overdue",
            ],
        ),
        ({"search": "REC-2025"}, []),
        ({"search": "bern"}, ["overdue"]),
        ({"search": "CLI-2"}, ["on_track"]),
        ({"search": "durand"}, ["incomplete"]),
        (
            {"open_only": True, "channel": "email", "search": "CLI"},
            ["due_soon", "overdue"],
        ),
        (
            {"status": "in_progress", "category": "trainer", "client_type": "professional"},
            ["on_track"],
        ),
        ({"status": "closed", "overdue": True}, []),
    ],
    ids=lambda value: repr(value) if isinstance(value, dict) else None,
)  # fmt: skip
def test_register_filters(organisation, register, filters, expected):
    assert _listed(organisation, **filters) == [getattr(register, name) for name in expected]


def test_register_due_soon_follows_the_organisation_threshold(organisation, register):
    organisation.due_soon_days = 0

    assert _listed(organisation, due_soon=True) == [register.due_today]


# --- orderings --------------------------------------------------------------------------------


def test_register_oldest_first(organisation, register):
    assert _listed(organisation, order="oldest") == list(reversed(register.newest_first()))


def _without_due_date(organisation, referent) -> Complaint:
    """A phone complaint whose clock waits for its written confirmation: open, no due date."""
    organisation.phone_clock = "confirmation"
    organisation.save()
    waiting = make_complaint(
        organisation, referent, received_at=at(2026, 11, 2, 7), channel="phone"
    )
    assert waiting.due_date is None
    return waiting


def test_register_by_due_date_lists_open_complaints_only_those_without_one_last(
    organisation, register, referent
):
    no_due_date = _without_due_date(organisation, referent)

    assert _listed(organisation, order="due") == [
        register.overdue,  # 27 October
        register.due_today,  # 2 November
        register.due_soon,  # 4 November
        register.on_track,  # 9 November
        register.incomplete,  # 14 November
        no_due_date,
    ]  # neither the replied complaint nor the closed one


URGENT_FIRST_ORDER = [
    "overdue",  # due 27 October
    "due_today",  # due 2 November
    "due_soon",  # due 4 November
    # then everything else, newest first
    "not_admissible",
    "incomplete",
    "on_track",
    "replied_late_due",
]


def test_register_urgent_first_puts_overdue_then_due_soon_then_the_rest_newest_first(
    organisation, register
):
    assert _listed(organisation, order="urgent") == [
        getattr(register, name) for name in URGENT_FIRST_ORDER
    ]


def test_register_urgent_first_keeps_an_open_complaint_without_due_date_among_the_rest(
    organisation, register, referent
):
    no_due_date = _without_due_date(organisation, referent)

    listed = _listed(organisation, order="urgent")

    assert listed[:3] == [register.overdue, register.due_today, register.due_soon]
    assert listed[3:] == [
        register.not_admissible,
        register.incomplete,
        no_due_date,  # received at 7:00 today, before the complaint registered at 9:00
        register.on_track,
        register.replied_late_due,
    ]


@pytest.mark.parametrize("page_size", [1, 2, 3, 5, 7])
def test_register_urgent_first_pages_follow_the_whole_order(organisation, register, page_size):
    expected = [getattr(register, name) for name in URGENT_FIRST_ORDER]
    pages = []
    for number in range(1, -(-len(expected) // page_size) + 1):
        page, rows = _page(
            organisation, RegisterFilters(order="urgent"), page_number=number, page_size=page_size
        )
        assert page.paginator.count == len(expected)
        pages += [row.complaint for row in rows]

    assert pages == expected


def test_register_urgent_first_is_the_same_order_whole_as_in_pages(organisation, register):
    whole = register_queryset(
        organisation,
        RegisterFilters(order="urgent"),
        today=TODAY,
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )  # what an export of the register reads

    assert list(whole) == [getattr(register, name) for name in URGENT_FIRST_ORDER]


def test_register_urgent_first_follows_the_filters(organisation, register):
    assert _listed(organisation, order="urgent", channel="phone") == [register.due_today]
    assert _listed(organisation, order="urgent", status="in_progress") == [
        register.overdue,
        register.due_soon,
        register.on_track,
    ]


def test_register_urgent_first_lists_the_same_due_date_newest_first(clock, organisation, referent):
    # Received the same day by email: the same due date (16 November).
    first = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8))
    second = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 9))
    third = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 10))
    assert first.due_date == second.due_date == third.due_date
    policy = deadline_policy(organisation)
    late = date(2026, 11, 20)  # all three overdue
    whole = register_queryset(
        organisation,
        RegisterFilters(order="urgent"),
        today=late,
        policy=policy,
        due_soon_days=organisation.due_soon_days,
    )

    def paged(filters: RegisterFilters, page_size: int) -> list[Complaint]:
        listed = []
        for number in (1, 2, 3):
            _page_obj, rows = register_page(
                organisation,
                filters,
                page_number=number,
                page_size=page_size,
                today=late,
                policy=policy,
            )
            listed += [row.complaint for row in rows]
        return listed

    # Unfiltered (read from its index) and filtered (sorted), the same order as the export's.
    assert list(whole) == [third, second, first]
    assert paged(RegisterFilters(order="urgent"), 1) == [third, second, first]
    assert paged(RegisterFilters(order="urgent", open_only=True), 1) == [third, second, first]
    assert paged(RegisterFilters(order="urgent", channel="email"), 1) == [third, second, first]


def test_register_urgent_first_of_answered_or_closed_ones_is_newest_first_in_two_queries(
    organisation, register, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the count, the page: none of them needs work
        _page_obj, rows = _page(organisation, RegisterFilters(order="urgent", status="closed"))

    assert [row.complaint for row in rows] == [register.not_admissible]
    assert _listed(organisation, order="urgent", status="replied") == [register.replied_late_due]


def test_register_urgent_first_page_costs_four_queries_at_most(
    organisation, register, django_assert_num_queries
):
    # Page 2 of 2 holds the last complaint needing work and the newest of the rest.
    with django_assert_num_queries(4):  # the two counts, then the two slices
        _page(organisation, RegisterFilters(order="urgent"), page_number=2, page_size=2)


def test_register_same_reception_time_is_ordered_by_id(clock, organisation, referent):
    first = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8))
    second = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8))

    assert _listed(organisation) == [second, first]
    assert _listed(organisation, order="oldest") == [first, second]


def test_register_unknown_order_falls_back_to_newest(organisation, register):
    assert _listed(organisation, order="sideways") == register.newest_first()


# --- pages and urgency ------------------------------------------------------------------------


def test_register_page_cuts_the_list_into_pages(organisation, register):
    page, rows = _page(organisation, page_number=2, page_size=3)

    assert page.number == 2
    assert page.paginator.count == 7
    assert page.paginator.num_pages == 3
    assert [row.complaint for row in rows] == register.newest_first()[3:6]


@pytest.mark.parametrize(("page_number", "expected"), [("abc", 1), (99, 3), ("2", 2)])
def test_register_page_out_of_range_or_invalid_gives_a_real_page(
    organisation, register, page_number, expected
):
    page, _rows = _page(organisation, page_number=page_number, page_size=3)

    assert page.number == expected


def test_register_rows_carry_working_days_left_and_urgency(organisation, register):
    _page_obj, rows = _page(organisation)

    assert [(row.complaint, row.days_left, row.urgency) for row in rows] == [
        (register.not_admissible, None, None),
        (register.incomplete, 10, Urgency.ON_TRACK),
        (register.on_track, 6, Urgency.ON_TRACK),
        (register.due_soon, 2, Urgency.DUE_SOON),
        (register.due_today, 0, Urgency.DUE_SOON),
        (register.replied_late_due, None, None),
        (register.overdue, -5, Urgency.OVERDUE),
    ]


def test_with_urgency_uses_the_threshold_given(organisation, register):
    rows = with_urgency(
        [register.on_track, register.due_soon, register.due_today],
        today=TODAY,
        policy=deadline_policy(organisation),
        due_soon_days=6,
    )

    assert [(row.days_left, row.urgency) for row in rows] == [
        (6, Urgency.DUE_SOON),
        (2, Urgency.DUE_SOON),
        (0, Urgency.DUE_SOON),
    ]


def test_with_urgency_of_an_open_complaint_without_due_date_is_none(clock, organisation, referent):
    organisation.phone_clock = "confirmation"
    organisation.save()
    waiting = make_complaint(organisation, referent, received_at=at(2026, 11, 2), channel="phone")

    [row] = with_urgency(
        [waiting], today=TODAY, policy=deadline_policy(organisation), due_soon_days=3
    )

    assert (row.days_left, row.urgency) == (None, None)


def test_register_page_runs_the_same_queries_whatever_its_size(
    clock, organisation, referent, django_assert_num_queries
):
    make_complaint(organisation, referent, received_at=at(2026, 11, 2))
    with django_assert_num_queries(2):  # count, then the page
        _page(organisation)
    for _ in range(3):
        make_complaint(organisation, referent, received_at=at(2026, 11, 2))
    with django_assert_num_queries(2):
        _page_obj, rows = _page(organisation, RegisterFilters(open_only=True, due_soon=False))
        assert [row.urgency for row in rows] == [Urgency.ON_TRACK] * 4


# --- counts -----------------------------------------------------------------------------------


def test_register_counts_open_overdue_and_due_soon(organisation, register):
    counts = register_counts(organisation, today=TODAY, policy=deadline_policy(organisation))

    assert counts == RegisterCounts(open=5, overdue=1, due_soon=2)


def test_register_counts_a_week_later(organisation, register):
    counts = register_counts(
        organisation, today=date(2026, 11, 9), policy=deadline_policy(organisation)
    )

    # Overdue: 27 Oct, 2 and 4 Nov. Due soon (9 to 13 Nov): 9 Nov.
    assert counts == RegisterCounts(open=5, overdue=3, due_soon=1)


def test_register_counts_in_one_query(organisation, register, django_assert_num_queries):
    policy = deadline_policy(organisation)
    with django_assert_num_queries(1):
        register_counts(organisation, today=TODAY, policy=policy)


def test_register_counts_of_an_empty_register(clock, organisation):
    counts = register_counts(organisation, today=TODAY, policy=deadline_policy(organisation))

    assert counts == RegisterCounts(open=0, overdue=0, due_soon=0)


# --- scoping ----------------------------------------------------------------------------------


def test_register_of_another_organisation_shows_none_of_ours(
    organisation, register, other_organisation, outsider
):
    theirs = make_complaint(
        other_organisation, outsider, received_at=at(2026, 11, 2), client_name="Alice Bernard"
    )

    assert _listed(other_organisation) == [theirs]
    assert _listed(other_organisation, search="Alice") == [theirs]
    assert _listed(organisation, search="Alice") == [register.overdue]
    assert register_counts(
        other_organisation, today=TODAY, policy=deadline_policy(other_organisation)
    ) == RegisterCounts(open=1, overdue=0, due_soon=0)


def test_complaint_for_refuses_a_reference_of_another_organisation(
    organisation, register, other_organisation
):
    with pytest.raises(Complaint.DoesNotExist):
        complaint_for(other_organisation, register.overdue.reference)


def test_complaint_for_finds_the_organisation_own_complaint_under_a_shared_reference(
    clock, organisation, referent
):
    twin = Organisation.objects.create(name="Organisme jumeau")  # same prefix: REC
    ours = make_complaint(organisation, referent, received_at=at(2026, 11, 2), client_name="Nôtre")
    theirs = make_complaint(twin, None, received_at=at(2026, 11, 2), client_name="Autre")
    assert ours.reference == theirs.reference == "REC-2026-0001"

    assert complaint_for(organisation, "REC-2026-0001") == ours
    assert complaint_for(twin, "REC-2026-0001") == theirs


def test_complaint_events_lists_one_complaint_chronology_in_order(organisation, register, referent):
    complaint_apply(
        complaint=register.on_track, actor=referent, action="add_note", data={"text": "Vu."}
    )

    events = complaint_events(register.on_track)

    assert [(e.event_type, e.complaint_id) for e in events] == [
        ("registered", register.on_track.pk),
        ("note_added", register.on_track.pk),
    ]
    assert events[0].sequence < events[1].sequence
    assert [e.event_type for e in complaint_events(register.due_today)] == [
        "registered",
        "confirmation_requested",
    ]


def test_complaint_documents_of_a_complaint_without_any_is_empty(register):
    assert complaint_documents(register.on_track) == []


# --- filters object ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "empty"),
    [
        (RegisterFilters(), True),
        (RegisterFilters(order="due"), True),
        (RegisterFilters(status="replied"), False),
        (RegisterFilters(overdue=True), False),
        (RegisterFilters(overdue=False), False),
        (RegisterFilters(due_soon=True), False),
        (RegisterFilters(open_only=True), False),
        (RegisterFilters(received_from=TODAY - timedelta(days=7)), False),
        (RegisterFilters(search="Martin"), False),
    ],
)
def test_register_filters_is_empty_only_without_any_filter(filters, empty):
    assert filters.is_empty() is empty
