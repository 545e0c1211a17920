"""insert_new writes a new row exactly as Model.save() writes it, with a statement built once."""

from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

from reclamations.core.models import Organisation
from reclamations.core.rows import _statement, insert_new
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource

RECEIVED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def inbound(organisation: Organisation, message_id: str) -> InboundEmail:
    record = InboundEmail(
        organisation=organisation,
        source=IntakeSource.EML,
        size=42,
        sha256="a" * 64,
        message_id=message_id,
        subject="Réclamation : « formation annulée »",
        sender_name="Élodie Durand",
        sender_address="elodie@example.fr",
        attachment_names=["convocation.pdf", "facture été.pdf"],
        received_at=RECEIVED,
        processed_at=RECEIVED,
        outcome=IntakeOutcome.TRIAGE,
    )
    # An uncommitted file, stored by the field's pre_save as save() stores it.
    record.raw.save("message.eml", ContentFile(b"From: x\r\n\r\nbonjour"), save=False)
    return record


def stored(record: InboundEmail) -> dict[str, object]:
    row = InboundEmail.objects.filter(pk=record.pk).values().get()
    del row["id"], row["message_id"], row["raw"]
    return row


def test_the_row_is_the_one_save_writes(organisation):
    saved = inbound(organisation, "<saved@example.fr>")
    saved.save()
    inserted = inbound(organisation, "<inserted@example.fr>")

    insert_new(inserted)

    assert stored(inserted) == stored(saved)
    reread = InboundEmail.objects.get(pk=inserted.pk)
    assert reread.attachment_names == ["convocation.pdf", "facture été.pdf"]
    assert reread.received_at == RECEIVED
    assert reread.raw.read() == b"From: x\r\n\r\nbonjour"


def test_the_instance_is_saved_afterwards(organisation):
    record = inbound(organisation, "<a@example.fr>")

    insert_new(record)

    assert record.pk is not None
    assert not record._state.adding
    assert record._state.db == "default"
    record.reason = "relu"
    record.save(update_fields=["reason"])  # an UPDATE of the row just inserted
    assert InboundEmail.objects.get(pk=record.pk).reason == "relu"


def test_one_statement_a_row(organisation):
    record = inbound(organisation, "<b@example.fr>")

    with CaptureQueriesContext(connection) as queries:
        insert_new(record)

    assert len(queries) == 1
    assert queries[0]["sql"].startswith('INSERT INTO "intake_inboundemail"')


def test_a_row_that_has_a_key_already_is_refused(organisation):
    record = inbound(organisation, "<c@example.fr>")
    record.save()

    with pytest.raises(ValueError, match="already has a primary key"):
        insert_new(record)


def test_a_related_object_not_saved_yet_is_refused_as_save_refuses_it(db):
    record = inbound(Organisation(name="Pas encore enregistré"), "<d@example.fr>")

    with pytest.raises(ValueError, match="unsaved related object 'organisation'"):
        insert_new(record)


def test_a_model_with_receivers_goes_through_save(organisation):
    heard: list[InboundEmail] = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    signals.post_save.connect(receiver, sender=InboundEmail)
    try:
        record = inbound(organisation, "<e@example.fr>")
        insert_new(record)
    finally:
        signals.post_save.disconnect(receiver, sender=InboundEmail)

    assert heard == [record]
    assert record.pk is not None


def test_models_it_cannot_insert_are_left_to_save():
    # A primary key that is not an automatic one: save() decides between INSERT and UPDATE.
    assert _statement(Session, "default") is None
    assert _statement(InboundEmail, "default") is not None
