"""Moving the link between complaints and their messages out of the outbox keeps every link."""

import pytest
from django.db import connection
from django.utils import timezone

from reclamations.complaints.models import Complaint as LatestComplaint
from reclamations.complaints.search import matching
from tests.harness.migrations import migrate_to

BEFORE = [("complaints", "0003_event_types_and_message_documents"), ("outbox", "0001_initial")]
AFTER = [("complaints", "0004_complaint_messages"), ("outbox", "0002_complaint_messages")]

# Rows written through an earlier schema's models, not through the services: the register
# they leave is not one `verify` is asked to prove (tests/harness/register_check.py).
pytestmark = pytest.mark.tampered


@pytest.mark.django_db(transaction=True)
def test_links_copies_and_staff_marks_survive_the_move(organisation, back_to_the_latest_schema):
    old = migrate_to(BEFORE)
    Organisation = old.get_model("core", "Organisation")
    Complaint = old.get_model("complaints", "Complaint")
    Document = old.get_model("complaints", "Document")
    OutgoingMessage = old.get_model("outbox", "OutgoingMessage")
    now = timezone.now()
    owner = Organisation.objects.get(pk=organisation.pk)
    complaint = Complaint.objects.create(
        organisation=owner,
        reference="REC-2026-0001",
        status="in_progress",
        channel="email",
        received_at=now,
        received_on=now.date(),
    )
    copy = Document.objects.create(
        organisation=owner,
        complaint=complaint,
        role="sent_message",
        original_name="acknowledgement-1.eml",
        content_type="message/rfc822",
        size=10,
        sha256="0" * 64,
        file="documents/x",
        created_at=now,
    )

    def message(kind, number, **links):
        return OutgoingMessage.objects.create(
            organisation=owner,
            kind=kind,
            to="a@example.org",
            subject="s",
            body_text="b",
            message_id=f"<{number}@x.org>",
            next_attempt_at=now,
            created_at=now,
            **links,
        )

    sent = message("acknowledgement", 1, complaint=complaint, eml=copy, status="sent")
    notice = message("staff_notice", 2, complaint=complaint)
    digest = message("staff_digest", 3)

    new = migrate_to(AFTER)

    ComplaintMessage = new.get_model("complaints", "ComplaintMessage")
    Outgoing = new.get_model("outbox", "OutgoingMessage")
    links = {
        link.outgoing_id: (link.complaint_id, link.to_client, link.copy_id)
        for link in ComplaintMessage.objects.all()
    }
    assert links == {
        sent.pk: (complaint.pk, True, copy.pk),
        notice.pk: (complaint.pk, False, None),
    }
    assert dict(Outgoing.objects.values_list("pk", "auto_submitted")) == {
        sent.pk: False,
        notice.pk: True,
        digest.pk: True,
    }


SEARCH_BEFORE = [("complaints", "0006_register_open_due")]
SEARCH_AFTER = [("complaints", "0007_complaint_search")]


@pytest.mark.django_db(transaction=True)
def test_the_search_index_is_written_for_the_complaints_already_registered(
    organisation, back_to_the_latest_schema
):
    old = migrate_to(SEARCH_BEFORE)
    Organisation = old.get_model("core", "Organisation")
    Complaint = old.get_model("complaints", "Complaint")
    ComplaintEvent = old.get_model("complaints", "ComplaintEvent")
    now = timezone.now()
    owner = Organisation.objects.get(pk=organisation.pk)
    complaint = Complaint.objects.create(
        organisation=owner,
        reference="REC-2026-0001",
        status="in_progress",
        channel="email",
        received_at=now,
        received_on=now.date(),
        client_name="Hélène Lefèvre",
    )
    ComplaintEvent.objects.create(
        organisation=owner,
        sequence=1,
        complaint=complaint,
        event_type="note_added",
        actor_name="Fanny Maltese",
        occurred_on=now.date(),
        recorded_at=now,
        data={"text": "Rappel de l'Estérel."},
        previous_hash="0" * 64,
        hash="1" * 64,
    )

    new = migrate_to(SEARCH_AFTER)

    text = new.get_model("complaints", "ComplaintSearch").objects.get(pk=complaint.pk).text
    assert text.startswith("REC-2026-0001\nHélène Lefèvre\n")
    assert text.endswith("\nRappel de l'Estérel.")
    for search in ("esterel", "lefevre", "REC-2026-0001"):
        found = matching(
            LatestComplaint.objects.all(), search, organisation_id=complaint.organisation_id
        )
        assert list(found.values_list("pk", flat=True)) == [complaint.pk], search

    migrate_to(SEARCH_BEFORE)  # and back: the index goes with its table
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert not [name for name in tables if name.startswith("complaints_search")]


def _search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints_search' "
            "AND indexdef LIKE '%USING gin%'"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="un index de PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_search_index_comes_to_lead_with_the_organisation_and_goes_back(
    back_to_the_latest_schema,
):
    migrate_to([("complaints", "0022_client_language")])
    before = _search_indexes()
    migrate_to([("complaints", "0023_search_index_by_organisation")])
    after = _search_indexes()
    migrate_to([("complaints", "0022_client_language")])

    assert before == ["complaints_search_document"]
    assert after == ["complaints_search_organisation_document"]
    assert _search_indexes() == before


def _plain_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'complaints_search' "
            "AND indexdef LIKE '%USING btree (organisation_id)%'"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="un index de PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_search_table_s_organisation_index_comes_and_goes(back_to_the_latest_schema):
    migrate_to([("complaints", "0025_register_replied_index")])
    before = _plain_search_indexes()
    migrate_to([("complaints", "0026_search_by_organisation")])
    after = _plain_search_indexes()
    migrate_to([("complaints", "0025_register_replied_index")])

    assert before == []
    assert after == [
        "CREATE INDEX complaints_search_organisation ON public.complaints_search "
        "USING btree (organisation_id)"
    ]
    assert _plain_search_indexes() == []
