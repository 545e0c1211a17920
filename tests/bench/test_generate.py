"""bench/generate.py writes a register that verifies: its hash chain, its counts, and the
letters it printed, each stored in the storage as the services store it and named by its
events; or, with --no-letters, replies by e-mail and nothing printed."""

import pytest
from django.db import connection
from generate import main

from reclamations.complaints.counts_models import CountedComplaint
from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintSearch, Document
from reclamations.complaints.search import matching
from reclamations.reporting.integrity import verify_all

from .conftest import reply_channels


# Not in a test's transaction: on PostgreSQL the generator ends with VACUUM, which runs outside.
@pytest.mark.django_db(transaction=True)
def test_the_generated_register_verifies_with_its_printed_letters(clock):
    assert main(["--complaints", "200", "--seed", "5", "--batch-size", "60"]) == 0

    assert [(check.organisation.name, check.ok) for check in verify_all()] == [("CCS", True)]
    letters = list(Document.objects.order_by("pk"))
    replies_by_post = ComplaintEvent.objects.filter(
        event_type=EventType.REPLIED, document__isnull=False
    ).order_by("document_id")
    assert [letter.pk for letter in letters] == [event.document_id for event in replies_by_post]
    assert {(letter.role, letter.content_type, letter.to_post) for letter in letters} == {
        (DocumentRole.REPLY_COPY, "application/pdf", True)
    }
    for letter in letters:
        with letter.file.open("rb") as stored:
            assert stored.read(5) == b"%PDF-"
    posted = ComplaintEvent.objects.filter(event_type=EventType.LETTER_POSTED)
    waiting = sum(Complaint.objects.values_list("letters_to_post", flat=True))
    # The referent recorded the posting of every letter printed.
    assert (len(letters), posted.count(), waiting) == (38, 38, 0)


@pytest.mark.django_db(transaction=True)
def test_without_letters_the_replies_by_post_go_by_email(clock):
    assert main(["--complaints", "120", "--seed", "5", "--no-letters"]) == 0

    assert [check.ok for check in verify_all()] == [True]
    assert not Document.objects.exists()
    assert not ComplaintEvent.objects.filter(event_type=EventType.LETTER_POSTED).exists()
    channels = reply_channels()
    assert "letter" not in channels
    assert "email" in channels


@pytest.mark.django_db(transaction=True)
def test_the_final_phase_apart_then_in_parts(clock):
    """At a million complaints on PostgreSQL, the search texts and the statistics' counts are
    written by two processes side by side, after the register."""
    assert main(["--complaints", "60", "--no-letters", "--no-finish"]) == 0
    assert not ComplaintSearch.objects.exists()
    assert not CountedComplaint.objects.exists()

    assert main(["--finish-only", "--part", "search", "--part", "vacuum"]) == 0
    assert ComplaintSearch.objects.count() == 60
    # Found through the full-text index, which PostgreSQL's was dropped and built again for.
    some = Complaint.objects.order_by("pk").first()
    own = Complaint.objects.filter(organisation_id=some.organisation_id)
    assert some in matching(own, some.reference, organisation_id=some.organisation_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'complaints_search' "
                "AND indexdef LIKE '%USING gin%'"
            )
            assert [row[0].split(" USING ")[1] for row in cursor.fetchall()] == [
                "gin (organisation_id, document)"
            ]
    assert not CountedComplaint.objects.exists()
    assert main(["--finish-only", "--part", "counts"]) == 0
    assert CountedComplaint.objects.count() == 60
    # verify_all compares the kept counts with the register too.
    assert [check.ok for check in verify_all()] == [True]


def test_a_part_only_with_the_final_phase(capsys):
    with pytest.raises(SystemExit):
        main(["--part", "search"])
    assert "--part goes with --finish-only" in capsys.readouterr().err
