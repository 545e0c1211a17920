"""A PDF read back as text, as an auditor's copy-paste would read it (poppler's pdftotext)."""

import shutil
import subprocess

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
