"""A 25 MB message with attachments: every file kept with its SHA-256, nothing lost, within a
bounded memory (bench/large_message.py measures the command's time and peak memory)."""

import base64
import hashlib
import random
import tracemalloc

import pytest

from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.intake.models import InboundEmail, IntakeOutcome
from reclamations.intake.parsing import parse_message
from reclamations.intake.services import intake_process
from reclamations.reporting.integrity import verify_organisation

MB = 1024 * 1024
# Name, type, size, the start of the file (the register keeps PDF, JPEG and PNG up to 10 MB,
# sniffed from their content); the Word document stays inside the raw message.
FILES = [
    ("Facture F-2026-118 scannée.pdf", "application/pdf", 6 * MB, b"%PDF-1.5\n"),
    ("Contrat  signé (2 pages).pdf", "application/pdf", 2 * MB, b"%PDF-1.4\n"),
    ("IMG_20261112_091544.jpg", "image/jpeg", 3 * MB, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("IMG_20261112_091602.jpg", "image/jpeg", 3 * MB, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("Capture d'écran.png", "image/png", 1 * MB, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    (
        "Courrier de réclamation.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        3 * MB + 512 * 1024,
        b"PK\x03\x04\x14\x00\x06\x00",
    ),
]
KEPT = FILES[:5]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(MB), b""):
            digest.update(chunk)
    return digest.hexdigest()


def part(content_type: str, body: bytes, filename: str = "") -> bytes:
    """One MIME part in base64, 76-character lines, CRLF (what the stdlib's generator writes,
    five times faster for 25 MB)."""
    disposition = ""
    if filename:
        encoded = base64.b64encode(filename.encode()).decode()
        disposition = f'Content-Disposition: attachment; filename="=?utf-8?b?{encoded}?="\r\n'
    headers = f"Content-Type: {content_type}\r\n{disposition}Content-Transfer-Encoding: base64\r\n"
    return headers.encode() + b"\r\n" + base64.encodebytes(body).replace(b"\n", b"\r\n")


@pytest.fixture(scope="module")
def large_message() -> tuple[bytes, dict[str, bytes]]:
    """A complaint of 25 MB: a text and an HTML body, six attachments in base64 (random bytes
    behind real file headers: scans and photos do not compress)."""
    rng = random.Random(25)
    files = {name: head + rng.randbytes(size - len(head)) for name, _, size, head in FILES}
    text = "Bonjour,\n\nVoici ma réclamation et les pièces.\n\nHélène Chérel\n"
    html = "<p>Bonjour,</p><p>Voici ma réclamation et les pièces.</p>"
    parts = [
        b'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n--alt\r\n'
        + part("text/plain; charset=utf-8", text.encode())
        + b"--alt\r\n"
        + part("text/html; charset=utf-8", html.encode())
        + b"--alt--\r\n",
        *(part(content_type, files[name], name) for name, content_type, *_ in FILES),
    ]
    raw = (
        b"From: =?utf-8?q?H=C3=A9l=C3=A8ne_Ch=C3=A9rel?= <helene.cherel@example.org>\r\n"
        b"To: reclamations@ccs-legal.fr\r\n"
        b"Subject: =?utf-8?q?R=C3=A9clamation_:_facture_et_salle?=\r\n"
        b"Date: Tue, 24 Mar 2026 09:15:00 +0100\r\n"
        b"Message-ID: <large-25mb@example.org>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="mixed"\r\n\r\n'
    )
    raw += b"".join(b"--mixed\r\n" + body for body in parts) + b"--mixed--\r\n"
    assert 25 * MB <= len(raw) < 26 * MB
    return raw, files


@pytest.mark.django_db
def test_large_message_keeps_every_attachment_with_its_sha256(organisation, large_message):
    raw, files = large_message

    result = intake_process(organisation=organisation, raw=raw, arrived_at=None, source="eml")

    assert result.outcome == IntakeOutcome.CREATED
    complaint = Complaint.objects.get(reference=result.reference)
    documents = {document.original_name: document for document in complaint.documents.all()}
    original = next(d for d in documents.values() if d.role == DocumentRole.ORIGINAL)
    assert (original.size, original.sha256) == (len(raw), sha256(raw))
    assert stored_sha256(original.file) == sha256(raw)
    kept = {name: document for name, document in documents.items() if document is not original}
    assert sorted(kept) == sorted(name for name, *_ in KEPT)
    for name, document in kept.items():
        assert (document.size, document.sha256) == (len(files[name]), sha256(files[name]))
        assert stored_sha256(document.file) == sha256(files[name])
    registered = ComplaintEvent.objects.get(complaint=complaint, event_type=EventType.REGISTERED)
    assert registered.data["attachments"] == [
        *(f"{name} : conservée comme document" for name, *_ in KEPT),
        "Courrier de réclamation.docx : gardée dans le message d'origine "
        "(seuls PDF, JPEG et PNG sont conservés à part)",
    ]
    inbound = InboundEmail.objects.get(complaint=complaint)
    assert inbound.attachment_names == [name for name, *_ in FILES]
    assert (inbound.size, inbound.sha256) == (len(raw), sha256(raw))
    assert verify_organisation(organisation).ok


def test_parsing_a_large_message_takes_less_than_three_times_its_size(large_message):
    # The stdlib's parsebytes alone took 7 times the message (its whole text, then a copy at
    # four bytes a character); the parsed tree and the decoded files need about twice.
    raw, files = large_message
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        message = parse_message(raw)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()

    assert [a.sha256 for a in message.attachments] == [sha256(files[n]) for n, *_ in FILES]
    assert peak < 3 * len(raw)
