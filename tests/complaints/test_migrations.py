"""Moving the link between complaints and their messages out of the outbox keeps every link."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("complaints", "0003_event_types_and_message_documents"), ("outbox", "0001_initial")]
AFTER = [("complaints", "0004_complaint_messages"), ("outbox", "0002_complaint_messages")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_links_copies_and_staff_marks_survive_the_move(organisation, back_to_the_latest_schema):
    old = _migrate(BEFORE)
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

    new = _migrate(AFTER)

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
