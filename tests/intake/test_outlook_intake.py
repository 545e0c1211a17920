"""Outlook's attachments through intake_process: a winmail.dat's files become the complaint's
documents, an attached .msg is summarised in the chronology, a damaged one loses nothing."""

import hashlib

import pytest

from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Complaint, Document
from reclamations.intake.models import IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.reporting.integrity import verify_organisation
from tests.intake.outlook_files import PDF, PNG

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]


def process(organisation, name: str):
    return intake_process(
        organisation=organisation, raw=eml(name), arrived_at=None, source=IntakeSource.EML
    )


def read(field_file) -> bytes:
    with field_file.open("rb") as stream:
        return stream.read()


def attachments_of(complaint: Complaint) -> list[tuple[str, str, bytes, str]]:
    documents = Document.objects.filter(complaint=complaint, role=DocumentRole.ATTACHMENT)
    return [
        (d.original_name, d.content_type, read(d.file), d.sha256) for d in documents.order_by("pk")
    ]


def test_files_of_a_winmail_dat_become_documents_of_the_complaint(organisation):
    result = process(organisation, "outlook-winmail-dat.eml")

    assert result.outcome == IntakeOutcome.CREATED
    complaint = Complaint.objects.get(reference=result.reference)
    assert attachments_of(complaint) == [
        ("réclamation  février.pdf", "application/pdf", PDF, hashlib.sha256(PDF).hexdigest()),
        ("photo.png", "image/png", PNG, hashlib.sha256(PNG).hexdigest()),
    ]
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        "winmail.dat : gardée dans le message d'origine (enveloppe Outlook (TNEF) dont les "
        "fichiers ont été extraits)",
        "réclamation  février.pdf (extraite de winmail.dat) : conservée comme document",
        "photo.png (extraite de winmail.dat) : conservée comme document",
        "notes.txt (extraite de winmail.dat) : gardée dans le message d'origine "
        "(seuls PDF, JPEG et PNG sont conservés à part)",
    ]
    # The winmail.dat itself stays inside the original message, kept byte for byte.
    original = Document.objects.get(complaint=complaint, role=DocumentRole.ORIGINAL)
    assert read(original.file) == eml("outlook-winmail-dat.eml")
    assert verify_organisation(organisation).ok


def test_rtf_body_of_a_winmail_dat_is_the_description(organisation):
    result = process(organisation, "outlook-winmail-dat-rtf-body.eml")

    assert result.inbound is not None
    assert result.inbound.excerpt == (
        "Bonjour,\n\nLa formation du 3 février a été annulée sans préavis.\n"
        "Je demande le remboursement.\n\nClaire Fontaine"
    )
    assert result.inbound.attachment_names == ["winmail.dat", "devis.pdf"]


def test_damaged_winmail_dat_registers_the_complaint_and_keeps_the_file(organisation):
    result = process(organisation, "outlook-winmail-dat-corrupt.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    assert attachments_of(complaint) == []
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        "winmail.dat : gardée dans le message d'origine "
        "(seuls PDF, JPEG et PNG sont conservés à part)",
    ]
    original = Document.objects.get(complaint=complaint, role=DocumentRole.ORIGINAL)
    assert read(original.file) == eml("outlook-winmail-dat-corrupt.eml")


def test_attached_msg_summarised_in_the_chronology(organisation):
    result = process(organisation, "outlook-msg-attachment.eml")

    complaint = Complaint.objects.get(reference=result.reference)
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        "message du client.msg : gardée dans le message d'origine (seuls PDF, JPEG et PNG sont "
        "conservés à part) ; message Outlook de Paul Martin <paul.martin@example.com>, envoyé "
        "le 02/03/2026 à 08:30 UTC, objet « Commande 4512 livrée incomplète » : Bonjour,\n\n"
        "Il manque deux cartons à la livraison d'hier.\n\nPaul Martin",
    ]
