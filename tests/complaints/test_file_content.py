"""What a PDF, JPEG or PNG must not carry, found over the whole file: polyglots (an HTML page, a
script, PHP code beside a valid file) and PDFs that run code when opened. Pure."""

import struct
import zlib

import pytest

from reclamations.complaints.file_content import (
    FOREIGN,
    JAVASCRIPT,
    LAUNCH,
    active_content,
)

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def png(*extra_chunks: bytes, after: bytes = b"") -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        return struct.pack(">I", len(body)) + kind + body + crc

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    return (
        b"\x89PNG\r\n\x1a\n" + header + b"".join(extra_chunks) + pixels + chunk(b"IEND", b"")
    ) + after


def text_chunk(keyword: bytes, text: bytes) -> bytes:
    body = keyword + b"\x00" + text
    crc = struct.pack(">I", zlib.crc32(b"tEXt" + body) & 0xFFFFFFFF)
    return struct.pack(">I", len(body)) + b"tEXt" + body + crc


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


def scan(content_type: str, data: bytes) -> str | None:
    # Cut in uneven chunks, as a file is read: a marker may straddle two of them.
    return active_content(content_type, [data[i : i + 7] for i in range(0, len(data), 7)])


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/pdf", PDF),
        ("image/png", png()),
        ("image/png", png(text_chunk(b"Software", b"GIMP 2.10"))),
        ("image/jpeg", JPEG + b"\xff\xd9"),
        # An invoice with its Factur-X XML attached: an embedded file is not code.
        ("application/pdf", PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R /Names << "
                                        b"/EmbeddedFiles 3 0 R >>")),
    ],
    ids=["pdf", "png", "png-with-text", "jpeg", "pdf-factur-x"],
)  # fmt: skip
def test_ordinary_files_carry_nothing_active(content_type, data):
    assert scan(content_type, data) is None


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/pdf", PDF + b"<html><body><script>alert(1)</script></body></html>"),
        ("application/pdf", PDF[:9] + b"<!DOCTYPE html><iframe src=x>" + PDF[9:]),
        ("image/png", png(after=b"<?php system($_GET['c']); ?>")),
        ("image/png", png(text_chunk(b"Comment", b"<?PHP echo 1; ?>"))),
        ("image/jpeg", JPEG + b"\xff\xfe\x00\x20<script src=//x.example></script>\xff\xd9"),
        ("image/jpeg", JPEG + b"<svg onload=alert(1)>"),
    ],
    ids=["pdf-html", "pdf-doctype", "png-php-after-iend", "png-php-text", "jpeg-script",
         "jpeg-svg"],
)  # fmt: skip
def test_a_polyglot_is_found_wherever_its_code_hides(content_type, data):
    assert scan(content_type, data) == FOREIGN


@pytest.mark.parametrize(
    ("action", "found"),
    [
        (b"<< /S /JavaScript /JS (app.alert(1)) >>", JAVASCRIPT),
        (b"<< /S /J#61vaScript /J#53 (x) >>", JAVASCRIPT),
        (b"<< /S /Launch /F (cmd.exe) >>", LAUNCH),
    ],
    ids=["javascript", "javascript-hex-escaped", "launch"],
)
def test_a_pdf_that_runs_code_when_opened_is_named(action, found):
    data = PDF.replace(b"/Pages 2 0 R", b"/Pages 2 0 R /OpenAction " + action)

    assert scan("application/pdf", data) == found


def test_javascript_hidden_in_a_compressed_object_stream_is_found():
    objects = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"
    stream = zlib.compress(objects)
    data = (
        PDF[:9]
        + b"4 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream endobj\n"
        + PDF[9:]
    )

    assert b"JavaScript" not in data
    assert scan("application/pdf", data) == JAVASCRIPT


def test_a_compressed_bomb_is_not_inflated_past_its_bound():
    bomb = zlib.compress(b"\x00" * (64 * 1024 * 1024))
    data = (
        PDF[:9]
        + b"4 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
        + bomb
        + b"\nendstream endobj\n"
        + PDF[9:]
    )

    assert scan("application/pdf", data) is None
