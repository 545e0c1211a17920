"""Documents kept as evidence: checked by content and size, stored unchanged with their SHA-256,
recorded in the chronology; a refused file leaves nothing behind."""

import hashlib
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reclamations.complaints.documents import check_upload, human_size
from reclamations.complaints.enums import Channel, DocumentRole, EventType, Status
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document
from reclamations.complaints.services import complaint_apply
from reclamations.reporting.integrity import verify_organisation
from tests.clock import NOW
from tests.factories import make_complaint


def _pdf() -> bytes:
    return (
        b"%PDF-1.4\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n"
        b"%%EOF\n"
    )


def _png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _jpeg() -> bytes:
    # SOI, a JFIF APP0 segment, EOI: enough for a content check, which reads the magic bytes.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"


TEXT_AS_PDF = b"Ceci est un simple fichier texte.\n"
BAD_TYPE = (
    "Le fichier « reponse.pdf » n'est pas un PDF, JPEG ou PNG valide (son contenu ne "
    "correspond pas). Enregistrez-le en PDF, JPEG ou PNG puis réessayez."
)


def _upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _stored_files(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


@pytest.fixture
def complaint(clock, organisation, referent) -> Complaint:
    return make_complaint(organisation, referent, channel="letter")


def _state() -> tuple:
    return (
        list(Complaint.objects.values()),
        list(ComplaintEvent.objects.values_list("sequence", "hash")),
        Document.objects.count(),
        list(ChainHead.objects.values()),
    )


# --- check_upload -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", _pdf(), "application/pdf"),
        ("photo.png", _png(), "image/png"),
        ("photo.jpg", _jpeg(), "image/jpeg"),
        ("sans-extension", _pdf(), "application/pdf"),
        ("trompeur.png", _pdf(), "application/pdf"),
    ],
)
def test_check_upload_returns_the_type_read_from_the_content(name, content, expected):
    assert check_upload(name=name, content=content, size=len(content)) == expected


def test_check_upload_refuses_a_text_file_named_pdf():
    with pytest.raises(ValidationError) as raised:
        check_upload(name="reponse.pdf", content=TEXT_AS_PDF, size=len(TEXT_AS_PDF))

    assert raised.value.messages == [BAD_TYPE]
    assert raised.value.code == "bad_type"


def test_check_upload_refuses_an_empty_file():
    with pytest.raises(ValidationError) as raised:
        check_upload(name="vide.pdf", content=b"", size=0)

    assert raised.value.messages == ["Le fichier « vide.pdf » est vide."]


def test_check_upload_refuses_a_file_over_the_limit_saying_both_sizes():
    with pytest.raises(ValidationError) as raised:
        check_upload(name="scan.pdf", content=_pdf(), size=10 * 1024 * 1024 + 1)

    assert raised.value.messages == [
        "Le fichier « scan.pdf » pèse 10,1 Mo : la limite est de 10 Mo. Réduisez la résolution "
        "du scan ou découpez le document."
    ]
    assert raised.value.code == "too_large"


def test_check_upload_accepts_a_file_of_exactly_the_limit():
    assert check_upload(name="scan.pdf", content=_pdf(), size=2048, max_bytes=2048) == (
        "application/pdf"
    )


def test_check_upload_follows_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 2048

    with pytest.raises(ValidationError) as raised:
        check_upload(name="scan.pdf", content=_pdf(), size=2049)

    assert raised.value.messages == [
        "Le fichier « scan.pdf » pèse 3 Ko : la limite est de 2 Ko. Réduisez la résolution du "
        "scan ou découpez le document."
    ]


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (1, "1 Ko"),
        (1024, "1 Ko"),
        (1025, "2 Ko"),
        (1024 * 1024, "1 Mo"),
        (3 * 1024 * 1024 // 2, "1,5 Mo"),
        (10 * 1024 * 1024, "10 Mo"),
        (10 * 1024 * 1024 + 1, "10,1 Mo"),
    ],
)
def test_human_size_rounds_up_in_french_units(size, text):
    assert human_size(size) == text


# --- documents through the services -----------------------------------------------------------


def test_register_letter_keeps_the_scan_unchanged_with_its_sha256(
    clock, organisation, referent, settings
):
    content = _pdf()

    complaint = make_complaint(
        organisation, referent, channel="letter", original=_upload("courrier client.pdf", content)
    )

    document = Document.objects.get(complaint=complaint)
    assert document.role == DocumentRole.ORIGINAL
    assert document.original_name == "courrier client.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.created_by == referent
    assert document.created_at == NOW
    assert document.organisation_id == organisation.pk
    assert document.file.name.startswith(f"documents/{organisation.pk}/2026/11/")
    with document.file.open("rb") as stored:
        assert stored.read() == content
    [event] = ComplaintEvent.objects.filter(complaint=complaint)
    assert event.event_type == EventType.REGISTERED
    assert event.document == document
    assert event.data["document"] == {
        "name": "courrier client.pdf",
        "type": "application/pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert _stored_files(settings.MEDIA_ROOT) == [Path(settings.MEDIA_ROOT) / document.file.name]
    assert verify_organisation(organisation).ok is True


def test_register_with_a_refused_original_writes_nothing(clock, organisation, referent, settings):
    with pytest.raises(ValidationError) as raised:
        make_complaint(
            organisation, referent, channel="letter", original=_upload("reponse.pdf", TEXT_AS_PDF)
        )

    assert raised.value.message_dict == {"original": [BAD_TYPE]}
    assert _state() == ([], [], 0, [])
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_add_document_png_is_stored_and_recorded(complaint, referent, settings):
    content = _png()

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={"role": "information", "description": "Capture d'écran du client."},
        document=_upload("capture.png", content, "image/png"),
    )

    document = Document.objects.get(complaint=complaint)
    assert document.role == DocumentRole.INFORMATION
    assert document.content_type == "image/png"
    with document.file.open("rb") as stored:
        assert stored.read() == content
    assert event.event_type == EventType.DOCUMENT_ADDED
    assert event.document == document
    assert complaint.status == Status.IN_PROGRESS
    assert event.data == {
        "role": "information",
        "description": "Capture d'écran du client.",
        "document": {
            "name": "capture.png",
            "type": "image/png",
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
    }


def test_add_document_defaults_to_an_attachment(complaint, referent):
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=_upload("scan.pdf", _pdf()),
    )

    assert Document.objects.get(complaint=complaint).role == DocumentRole.ATTACHMENT


def test_add_document_keeps_only_the_base_name_and_stores_under_a_generated_path(
    complaint, referent
):
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=_upload("../../etc/scan.pdf", _pdf()),
    )

    document = Document.objects.get(complaint=complaint)
    assert document.original_name == "scan.pdf"
    assert ".." not in document.file.name
    assert document.file.name.startswith("documents/")


def test_add_document_with_an_unknown_role_is_refused(complaint, referent, settings):
    before = _state()

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="add_document",
            data={"role": "secret"},
            document=_upload("scan.pdf", _pdf()),
        )

    assert raised.value.message_dict == {
        "role": [
            "Choisissez la nature parmi : Réclamation écrite (original), Confirmation écrite, "
            "Informations complémentaires, Copie de la réponse, Pièce jointe."
        ]
    }
    assert _state() == before
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_reply_with_a_jpeg_copy_needs_no_text(complaint, referent):
    content = _jpeg()

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={"resolution": "Remboursement du module.", "channel": "letter"},
        document=_upload("reponse.jpg", content, "image/jpeg"),
    )

    document = Document.objects.get(complaint=complaint)
    assert document.role == DocumentRole.REPLY_COPY
    assert document.content_type == "image/jpeg"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert complaint.status == Status.REPLIED
    assert event.document == document
    assert event.data["text"] == ""
    assert event.data["document"]["sha256"] == hashlib.sha256(content).hexdigest()


def test_record_confirmation_with_the_written_confirmation(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, channel=Channel.PHONE)

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_confirmation",
        data={"via": "letter"},
        document=_upload("confirmation.pdf", _pdf()),
    )

    assert Document.objects.get(complaint=complaint).role == DocumentRole.CONFIRMATION
    assert event.document.original_name == "confirmation.pdf"


def test_text_file_named_pdf_is_refused_and_nothing_written(complaint, referent, settings):
    before = _state()

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="reply",
            data={"resolution": "Remboursement.", "channel": "email"},
            document=_upload("reponse.pdf", TEXT_AS_PDF),
        )

    assert raised.value.message_dict == {"document": [BAD_TYPE]}
    assert _state() == before
    assert Complaint.objects.get(pk=complaint.pk).status == Status.IN_PROGRESS
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_file_over_the_upload_limit_is_refused_and_nothing_written(complaint, referent, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    content = _pdf() + b"%" + b"0" * 2000 + b"\n"
    before = _state()

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="add_document",
            data={"role": "attachment"},
            document=_upload("gros-scan.pdf", content),
        )

    assert raised.value.message_dict == {
        "document": [
            "Le fichier « gros-scan.pdf » pèse 3 Ko : la limite est de 1 Ko. Réduisez la "
            "résolution du scan ou découpez le document."
        ]
    }
    assert _state() == before
    assert _stored_files(settings.MEDIA_ROOT) == []


def test_refused_file_and_refused_data_are_reported_together(complaint, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="add_action",
            data={},
            document=_upload("reponse.pdf", TEXT_AS_PDF),
        )

    assert raised.value.message_dict == {
        "description": ["Décrivez l'action menée."],
        "document": [BAD_TYPE],
    }


@pytest.mark.tampered
def test_tampering_with_a_stored_document_hash_breaks_the_chain(complaint, referent):
    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=_upload("scan.pdf", _pdf()),
    )
    Document.objects.filter(pk=event.document_id).update(sha256="0" * 64)

    report = verify_organisation(complaint.organisation)

    assert (report.ok, report.broken_sequence) == (False, event.sequence)


def test_check_upload_refuses_a_pdf_that_is_also_a_web_page_saying_what_to_do():
    polyglot = _pdf() + b"<html><script>fetch('/api/v1/complaints')</script></html>"

    with pytest.raises(ValidationError) as refused:
        check_upload(name="facture.pdf", content=polyglot, size=len(polyglot))

    assert refused.value.code == "active_content"
    assert refused.value.messages == [
        "Le fichier « facture.pdf » contient du code (HTML, script ou PHP) : il n'est pas "
        "conservé, par sécurité. Imprimez-le en PDF (ou faites-en une capture) et joignez "
        "cette copie."
    ]


def test_check_upload_reads_an_uploaded_file_to_its_end_and_leaves_it_at_the_start():
    upload = SimpleUploadedFile("photo.png", _png() + b"<?php echo 1; ?>")

    with pytest.raises(ValidationError, match="contient du code"):
        check_upload(name="photo.png", content=upload, size=upload.size)

    assert upload.tell() == 0


def test_check_upload_names_a_pdf_that_runs_javascript_when_opened():
    booby_trapped = _pdf().replace(
        b"/Pages 2 0 R", b"/Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )

    with pytest.raises(ValidationError) as refused:
        check_upload(name="devis.pdf", content=booby_trapped, size=len(booby_trapped))

    assert refused.value.messages[0].startswith(
        "Le fichier « devis.pdf » est un PDF qui contient du JavaScript : il n'est pas conservé"
    )


@pytest.mark.parametrize(
    ("size", "text"),
    [(1025, "2 KB"), (1024 * 1024, "1 MB"), (3 * 1024 * 1024 // 2, "1.5 MB")],
)
def test_human_size_says_kb_and_mb_to_an_english_reader(size, text):
    with translation.override("en"):
        assert human_size(size) == text
