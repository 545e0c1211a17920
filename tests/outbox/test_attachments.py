"""Files sent with a message: read from storage when the message goes, checked against the
SHA-256 taken when it was queued, and kept in the copy exactly as the server received them."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from reclamations.outbox.delivery import deliver_due, listen, unlisten
from reclamations.outbox.models import OutgoingAttachment, OutgoingStatus
from reclamations.outbox.services import Attachment, outbox_queue
from tests.outbox.test_delivery import CLIENT, Heard

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _stored(name: str, content: bytes) -> Attachment:
    stored_as = default_storage.save(f"tests/{name}", ContentFile(content))
    return Attachment(
        filename=name,
        content_type="application/pdf",
        stored_as=stored_as,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _queued_with(organisation, *attachments: Attachment):
    return outbox_queue(
        organisation=organisation,
        kind="reply",
        to=CLIENT,
        subject="Réponse",
        body_text="Madame,\nvoici le devis rectifié.",
        attachments=attachments,
    )


def test_the_files_go_with_the_message_in_the_order_chosen(smtp_server, organisation):
    queued = _queued_with(
        organisation, _stored("devis rectifié.pdf", PDF), _stored("avoir.pdf", PDF + b"%2")
    )

    report = deliver_due()

    assert report.sent == 1
    (received,) = smtp_server.received
    parts = list(received.message.iter_attachments())
    assert [part.get_filename() for part in parts] == ["devis rectifié.pdf", "avoir.pdf"]
    assert [part.get_content() for part in parts] == [PDF, PDF + b"%2"]
    assert [part.get_content_type() for part in parts] == ["application/pdf"] * 2
    body = received.message.get_body(preferencelist=("plain",))
    assert body.get_content().replace("\r\n", "\n") == "Madame,\nvoici le devis rectifié.\n"
    assert list(queued.attachments.values_list("position", flat=True)) == [1, 2]


def test_the_copy_kept_is_byte_for_byte_what_the_server_received(smtp_server, organisation):
    heard = Heard()
    listen(heard)
    try:
        queued = _queued_with(organisation, _stored("devis.pdf", PDF))
        deliver_due()
    finally:
        unlisten(heard)

    (received,) = smtp_server.received
    # The multipart boundary comes from the Message-ID: the copy built for the record and
    # the message the backend sent are one and the same.
    assert heard.sent == [(queued.pk, received.raw)]
    assert b"=_part_" in received.raw


def test_a_file_changed_since_it_was_queued_stops_the_message(smtp_server, organisation):
    attachment = _stored("devis.pdf", PDF)
    queued = _queued_with(organisation, attachment)
    default_storage.delete(attachment.stored_as)
    default_storage.save(attachment.stored_as, ContentFile(PDF + b"altered"))

    report = deliver_due()

    assert (report.sent, report.failed) == (0, 1)
    assert smtp_server.received == []
    queued.refresh_from_db()
    assert queued.status == OutgoingStatus.FAILED
    assert "« devis.pdf » manque ou a changé" in queued.last_error


def test_a_missing_file_stops_the_message_and_not_the_others(smtp_server, organisation):
    attachment = _stored("devis.pdf", PDF)
    broken = _queued_with(organisation, attachment)
    default_storage.delete(attachment.stored_as)
    plain = _queued_with(organisation)

    report = deliver_due()

    assert (report.sent, report.failed) == (1, 1)
    (received,) = smtp_server.received
    assert received.message["Message-ID"] == plain.message_id
    broken.refresh_from_db()
    assert broken.status == OutgoingStatus.FAILED


def test_a_message_without_files_stays_a_single_part(smtp_server, organisation):
    _queued_with(organisation)

    deliver_due()

    (received,) = smtp_server.received
    assert not received.message.is_multipart()
    assert OutgoingAttachment.objects.count() == 0
