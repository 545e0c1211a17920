"""Constants and small helpers shared by the web tests."""

import html
import re
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse

# Small but real files, recognised by their content.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def text_of(response: HttpResponse) -> str:
    """The page's visible text, tags removed and whitespace collapsed to single spaces."""
    page = response.content.decode()
    page = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def field_errors(response: HttpResponse, name: str) -> list[str]:
    """The messages shown next to a field of the page's form."""
    return list(response.context["form"].errors.get(name, []))


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in response.context["messages"]]
