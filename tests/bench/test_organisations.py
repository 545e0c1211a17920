"""bench/organisations.py fills one installation with many organisations, each register
verifying on its own chain: with the letters its replies by post printed, or, with
--no-letters, replies by e-mail and nothing printed."""

import pytest
from django.db.models import F
from organisations import main

from reclamations.complaints.counts_models import CountedComplaint
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent, ComplaintSearch, Document
from reclamations.core.models import Organisation
from reclamations.reporting.integrity import verify_all

from .conftest import reply_channels


# Not in a test's transaction: on PostgreSQL the generator ends with VACUUM, which runs outside.
@pytest.mark.django_db(transaction=True)
def test_every_organisation_verifies_with_the_letters_it_printed(clock):
    assert main(["--organisations", "3", "--complaints", "40", "--seed", "3"]) == 0

    checks = verify_all()
    assert [(check.organisation.name, check.ok) for check in checks] == [
        (name, True)
        for name in Organisation.objects.order_by("name").values_list("name", flat=True)
    ]
    assert len(checks) == 3
    letters = Document.objects.all()
    replies_by_post = ComplaintEvent.objects.filter(
        event_type=EventType.REPLIED, document__isnull=False
    )
    assert letters.count() == replies_by_post.count() > 0
    # Each letter belongs to the organisation of the complaint it answers.
    assert not letters.exclude(organisation_id=F("complaint__organisation_id")).exists()


@pytest.mark.django_db(transaction=True)
def test_without_letters_the_replies_by_post_go_by_email(clock):
    assert main(["--organisations", "2", "--complaints", "40", "--seed", "3", "--no-letters"]) == 0

    assert all(check.ok for check in verify_all())
    assert not Document.objects.exists()
    channels = reply_channels()
    assert "letter" not in channels
    assert "email" in channels


@pytest.mark.django_db(transaction=True)
def test_the_final_phase_in_parts_side_by_side(clock):
    """Two processes may share the generation and then the final phase's parts."""
    assert main(["--organisations", "1", "--complaints", "20", "--no-letters", "--no-finish"]) == 0
    assert main(["--organisations", "1", "--complaints", "20", "--no-letters", "--start", "2"]) == 0
    ComplaintSearch.objects.all().delete()
    CountedComplaint.objects.all().delete()

    assert main(["--finish-only", "--part", "search", "--part", "vacuum"]) == 0
    assert ComplaintSearch.objects.count() == 40
    assert not CountedComplaint.objects.exists()
    assert main(["--finish-only", "--part", "counts"]) == 0
    assert CountedComplaint.objects.count() == 40
    assert all(check.ok for check in verify_all())


def test_a_part_only_with_the_final_phase(capsys):
    with pytest.raises(SystemExit):
        main(["--part", "counts"])
    assert "--part goes with --finish-only" in capsys.readouterr().err
