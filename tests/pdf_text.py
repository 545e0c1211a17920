"""A PDF read back as text, as an auditor's copy-paste would read it (poppler's pdftotext)."""

import re
import shutil
import subprocess
from html import unescape

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # Debian's poppler-utils


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines, laid out as printed, spaces collapsed (columns become words)."""
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(  # noqa: S603 - a fixed program reading bytes the test made
        [PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [
        [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        for page in text.split("\f")
        if page.strip()
    ]


def pdf_text(pdf: bytes) -> str:
    """The text as pdftotext reads it, spaces kept as printed (no-break ones included)."""
    assert pdf.startswith(b"%PDF-")
    return subprocess.run(  # noqa: S603 - a fixed program reading bytes the test made
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdf_words(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """(page from 1, word, left, top) of every word, in millimetres from the page's corner."""
    assert pdf.startswith(b"%PDF-")
    html = subprocess.run(  # noqa: S603 - a fixed program reading bytes the test made
        [PDFTOTEXT, "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*)</word>', line)
        if match:
            left, top = (float(match[n]) * 25.4 / 72 for n in (1, 2))
            words.append((page, unescape(match[3]), left, top))
    return words
