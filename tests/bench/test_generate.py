"""bench/generate.py writes a register that verifies: its hash chain, its counts, and the
letters it printed, each stored in the storage as the services store it and named by its
events."""

import pytest
from generate import main

from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.reporting.integrity import verify_all


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
