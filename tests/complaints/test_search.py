"""The register's full-text search in the database (PostgreSQL and SQLite alike): what it
finds, how it ranks, and that the index follows every change in the change's transaction."""

import pytest
from django.db import connection, transaction

from reclamations.complaints.models import Complaint, ComplaintSearch
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import (
    RegisterFilters,
    register_queryset,
)
from reclamations.complaints.register_pages import register_listing, register_page
from reclamations.complaints.search import matches_count, matching, rebuild_search_texts
from reclamations.complaints.services import complaint_apply
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")


def _found(organisation, search, **filters):
    """The references the register lists for `search`, newest first unless `order` says."""
    register_filters = RegisterFilters(
        search=search, order=filters.pop("order", "newest"), **filters
    )
    listing = register_listing(
        organisation, register_filters, today=NOW.date(), policy=deadline_policy(organisation)
    )
    return [complaint.reference for complaint in listing[0:100]]


@pytest.fixture
def esterel_room(organisation, referent):
    return make_complaint(
        organisation,
        referent,
        client_name="Hélène Lefèvre",
        client_account="ACC-7781",
        training="Management à l'Estérel",
        description="La salle de l'Estérel était trop petite.",
    )


@pytest.fixture
def other(organisation, referent):
    return make_complaint(
        organisation,
        referent,
        client_name="Marc Dubois",
        client_account="CLI-100",
        training="Excel avancé",
        description="Attestation jamais reçue.",
    )


@pytest.mark.parametrize(
    "search",
    ["esterel", "ESTÉREL", "Estér", "lefevre", "HÉLÈNE lefèvre", "acc-7781", "ACC-77", "manag"],
)
def test_a_search_ignores_case_and_accents_and_finds_word_beginnings(
    organisation, esterel_room, other, search
):
    assert _found(organisation, search) == [esterel_room.reference]


def test_every_word_must_be_found(organisation, esterel_room, other):
    assert _found(organisation, "lefèvre dubois") == []
    assert _found(organisation, "attestation dubois") == [other.reference]


def test_a_reference_is_found_whole_and_not_its_neighbours(organisation, esterel_room, other):
    assert _found(organisation, esterel_room.reference) == [esterel_room.reference]
    assert _found(organisation, esterel_room.reference.lower()) == [esterel_room.reference]
    year = esterel_room.reference.rsplit("-", 1)[0]
    assert _found(organisation, year) == [other.reference, esterel_room.reference]
    assert _found(organisation, "CLI-1000") == []


def test_a_search_without_words_finds_nothing(organisation, esterel_room):
    assert _found(organisation, "!!! ?") == []


@pytest.mark.parametrize(
    "strange",
    ["\x00", "\ud800", "'; DROP TABLE complaints_search; --", '"*" OR NEAR(', "a & !b | c:*", "*"],
)
def test_strange_searches_answer_without_error(organisation, esterel_room, strange):
    assert _found(organisation, strange) in ([], [esterel_room.reference])


def test_actions_notes_replies_and_requests_are_found(organisation, referent, esterel_room, other):
    complaint_apply(
        complaint=other,
        actor=referent,
        action="add_action",
        data={"description": "Appel au service des examens", "done_on": "2026-11-02"},
    )
    complaint_apply(
        complaint=other, actor=referent, action="add_note", data={"text": "Rappeler Maître Guérin"}
    )
    complaint_apply(
        complaint=esterel_room,
        actor=referent,
        action="reply",
        data={
            "resolution": "Changement de salle au Novotel",
            "channel": "email",
            "text": "Nous déménageons la session à Sophia.",
            "replied_on": "2026-11-02",
        },
    )
    assert _found(organisation, "examens") == [other.reference]
    assert _found(organisation, "guerin") == [other.reference]
    assert _found(organisation, "novotel") == [esterel_room.reference]
    assert _found(organisation, "sophia") == [esterel_room.reference]


def test_a_corrected_field_is_found_at_once_and_the_old_value_no_more(
    organisation, referent, esterel_room
):
    complaint_apply(
        complaint=esterel_room,
        actor=referent,
        action="update_details",
        data={"client_name": "Hélène Giraud", "reason": "Nom d'usage."},
    )
    assert _found(organisation, "giraud") == [esterel_room.reference]
    assert _found(organisation, "lefevre") == []


@pytest.mark.django_db(transaction=True)
def test_the_index_changes_with_the_change_or_not_at_all(organisation, referent, esterel_room):
    with pytest.raises(RuntimeError), transaction.atomic():
        complaint_apply(
            complaint=esterel_room, actor=referent, action="add_note", data={"text": "Zanzibar"}
        )
        assert _found(organisation, "zanzibar") == [esterel_room.reference]
        raise RuntimeError("the request fails after the note")
    assert _found(organisation, "zanzibar") == []
    assert "Zanzibar" not in ComplaintSearch.objects.get(pk=esterel_room.pk).text


def test_the_best_matches_come_first_with_relevance(organisation, referent):
    once = make_complaint(organisation, referent, description="Un retard de la formatrice.")
    often = make_complaint(
        organisation, referent, description="Retard, encore un retard, retard chaque matin."
    )
    unrelated = make_complaint(organisation, referent, description="Salle froide.")
    assert _found(organisation, "retard", order="relevance") == [often.reference, once.reference]
    assert _found(organisation, "retard", order="oldest") == [once.reference, often.reference]
    assert unrelated.reference not in _found(organisation, "retard", order="relevance")


def test_a_search_combines_with_the_other_filters(organisation, esterel_room, other):
    assert _found(organisation, "esterel", channel="letter") == []
    assert _found(organisation, "esterel", channel="email") == [esterel_room.reference]


def test_another_organisations_complaints_are_never_found(
    organisation, other_organisation, esterel_room
):
    make_complaint(other_organisation, None, client_name="Hélène Lefèvre")
    assert _found(organisation, "lefevre") == [esterel_room.reference]
    assert _found(other_organisation, "lefevre") != [esterel_room.reference]


def _by_relevance(organisation, search):
    listing = register_listing(
        organisation,
        RegisterFilters(search=search, order="relevance"),
        today=NOW.date(),
        policy=deadline_policy(organisation),
        expected=slice(0, 10),
    )
    return listing.count(), [complaint.reference for complaint in listing[0:10]]


def test_by_relevance_the_only_organisation_counts_and_lists_its_matches(
    organisation, referent, esterel_room
):
    twice = make_complaint(organisation, referent, description="Salle Estérel, puis Estérel.")

    assert _by_relevance(organisation, "esterel") == (
        2,
        [twice.reference, esterel_room.reference],
    )


def test_by_relevance_another_organisations_matches_are_neither_listed_nor_counted(
    organisation, other_organisation, esterel_room
):
    # Better matches, in the other organisation: its complaints share the index on SQLite.
    for _ in range(3):
        make_complaint(other_organisation, None, description="Estérel, Estérel, Estérel.")

    assert _by_relevance(organisation, "esterel") == (1, [esterel_room.reference])
    assert _by_relevance(other_organisation, "esterel")[0] == 3


@pytest.mark.parametrize("order", ["newest", "urgent", "oldest"])
def test_a_search_alone_is_counted_in_the_index_as_listed(
    organisation, other_organisation, referent, esterel_room, order
):
    make_complaint(organisation, referent, description="Estérel encore")
    listing = register_listing(
        organisation,
        RegisterFilters(search="esterel", order=order),
        today=NOW.date(),
        policy=deadline_policy(organisation),
    )
    assert listing.count() == len(listing[0:10]) == 2
    assert matches_count("esterel", organisation_id=other_organisation.pk) == 0
    make_complaint(other_organisation, None, description="Estérel ailleurs")
    assert matches_count("esterel", organisation_id=organisation.pk) == 2
    assert matches_count("esterel", organisation_id=other_organisation.pk) == 1
    assert matches_count("!!!", organisation_id=organisation.pk) == 0


def test_the_only_organisation_s_search_is_counted_in_the_index(organisation, esterel_room):
    assert matches_count("esterel", organisation_id=organisation.pk) == 1
    assert matches_count("zanzibar", organisation_id=organisation.pk) == 0


def test_register_page_gives_the_excerpt_of_what_matched(organisation, esterel_room, other):
    _page, rows = register_page(
        organisation,
        RegisterFilters(search="salle esterel", order="relevance"),
        page_number=1,
        page_size=10,
        today=NOW.date(),
        policy=deadline_policy(organisation),
    )
    assert [row.complaint for row in rows] == [esterel_room]
    assert [s.text for s in rows[0].excerpt if s.matched] == ["Estérel"]


def test_rebuilding_writes_what_the_changes_wrote(organisation, referent, esterel_room, other):
    complaint_apply(
        complaint=other, actor=referent, action="add_note", data={"text": "Relance faite."}
    )
    written = dict(ComplaintSearch.objects.values_list("pk", "text"))
    ComplaintSearch.objects.all().delete()
    assert _found(organisation, "relance") == []
    assert rebuild_search_texts(chunk_size=1) == 2
    assert dict(ComplaintSearch.objects.values_list("pk", "text")) == written
    assert _found(organisation, "relance") == [other.reference]


def test_matching_reads_the_database_index(organisation, esterel_room):
    """The search uses the database's own full-text index, not a scan of the text."""
    queryset = matching(
        register_queryset(
            organisation,
            RegisterFilters(),
            today=NOW.date(),
            policy=deadline_policy(organisation),
            due_soon_days=organisation.due_soon_days,
        ),
        "esterel",
        organisation_id=organisation.pk,
    )
    sql = str(queryset.query)
    assert (
        ("complaints_search_fts MATCH" in sql)
        if connection.vendor == "sqlite"
        else ("document @@ to_tsquery" in sql)
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="l'index de PostgreSQL (SQLite : FTS5)"
)
def test_one_organisation_s_search_reads_its_own_matches_in_the_index(
    organisation, other_organisation, esterel_room
):
    """The index leads with the organisation (migration 0023): the matches of a word common to
    many organisations are not all read to keep one organisation's."""
    make_complaint(other_organisation, description="Salle Estérel trop petite")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'complaints_search' "
            "AND indexdef LIKE '%USING gin%'"
        )
        indexes = [row[0] for row in cursor.fetchall()]
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows
            cursor.execute(
                "EXPLAIN SELECT complaint_id FROM complaints_search WHERE organisation_id = %s "
                "AND document @@ to_tsquery('reclamations_fr', 'esterel:*')",
                [organisation.pk],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
    own = Complaint.objects.filter(organisation=organisation)

    assert [index.split(" USING ")[1] for index in indexes] == ["gin (organisation_id, document)"]
    # Either index that leads with the organisation (0023's, or 0026's for a few rows).
    assert "complaints_search_organisation" in plan
    assert list(matching(own, "esterel", organisation_id=organisation.pk)) == [esterel_room]


def test_relevance_pages_follow_one_another_in_a_fixed_number_of_queries(
    organisation, referent, django_assert_num_queries
):
    for repeats in range(1, 8):
        make_complaint(organisation, referent, description="retard " * repeats)
    policy = deadline_policy(organisation)

    def page(number):
        return register_page(
            organisation,
            RegisterFilters(search="retard", order="relevance"),
            page_number=number,
            page_size=3,
            today=NOW.date(),
            policy=policy,
        )[1]

    with django_assert_num_queries(3):  # ranked ids with the count, their rows, their texts
        first = page(1)
    pages = [first, page(2), page(3)]
    complaints = [row.complaint for rows in pages for row in rows]
    assert len(complaints) == 7
    assert len(set(complaints)) == 7
    # The most repeated word ranks first.
    assert complaints[0].description.count("retard") == 7


def test_a_whole_register_search_counts_and_ranks_in_one_query(
    organisation, referent, django_assert_num_queries
):
    for _ in range(3):
        make_complaint(organisation, referent, client_name="Hélène Lefèvre")
    listing = register_listing(
        organisation,
        RegisterFilters(search="lefevre", order="relevance"),
        today=NOW.date(),
        policy=deadline_policy(organisation),
        expected=slice(0, 2),
    )
    with django_assert_num_queries(1):
        assert listing.count() == 3
    with django_assert_num_queries(1):  # the page's rows: its ids are known
        assert len(listing[0:2]) == 2
    with django_assert_num_queries(2):  # another page: its ids, its rows
        assert len(listing[2:4]) == 1


def test_a_page_far_past_the_end_is_empty(organisation, esterel_room):
    listing = register_listing(
        organisation,
        RegisterFilters(search="esterel", order="relevance"),
        today=NOW.date(),
        policy=deadline_policy(organisation),
        expected=slice(10**30, 10**30 + 25),
    )
    assert listing.count() == 1
    assert listing[10**30 : 10**30 + 25] == []


def test_a_lost_text_is_written_again_from_the_whole_chronology_at_the_next_event(
    organisation, referent, esterel_room
):
    complaint_apply(
        complaint=esterel_room, actor=referent, action="add_note", data={"text": "Premier appel."}
    )
    ComplaintSearch.objects.filter(pk=esterel_room.pk).delete()

    complaint_apply(
        complaint=esterel_room, actor=referent, action="add_note", data={"text": "Relance."}
    )

    assert _found(organisation, "premier appel") == [esterel_room.reference]
    assert _found(organisation, "relance esterel") == [esterel_room.reference]
