"""What a PDF, JPEG or PNG must not carry, read over the whole file, not its first bytes. Pure.

A file is typed by its first bytes (filetype); a polyglot is a valid PDF or image that is also
something else further on: an HTML page with a script (a browser that sniffs the type runs it),
PHP code (a misconfigured server runs it), or a PDF whose own actions run JavaScript or launch
a program when opened. The register keeps evidence that staff and auditors open: such a file is
refused, and the e-mail that brought it stays whole in the original.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator

__all__ = ["FOREIGN", "JAVASCRIPT", "LAUNCH", "RICH_MEDIA", "active_content"]

# What was found (the caller words it, in the reader's language).
FOREIGN = "foreign_code"  # HTML, a script or PHP beside the file
JAVASCRIPT = "pdf_javascript"
LAUNCH = "pdf_launch"
RICH_MEDIA = "pdf_rich_media"

# Markup or code that has no business in a scan, a photo or a PDF's raw bytes.
_FOREIGN = re.compile(
    rb"<\?php|<script|<html|<!doctype\s+html|<iframe|<svg[\s>]|<object[\s>]|<embed[\s>]"
    rb"|javascript:",
    re.IGNORECASE,
)
# PDF actions that run code or another program when the file is opened.
_PDF_ACTIVE_NAMES = {
    b"JavaScript": JAVASCRIPT,
    b"JS": JAVASCRIPT,
    b"Launch": LAUNCH,
    b"RichMedia": RICH_MEDIA,
}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# An object stream (PDF 1.5): objects compressed together, where names are not visible raw.
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b[^>]*>>\s*stream\r?\n", re.DOTALL)
_END_STREAM = re.compile(rb"endstream")
# What object streams may inflate to, in all: a small file must not become gigabytes.
_INFLATED_MAX = 16 * 1024 * 1024


def active_content(content_type: str, chunks: Iterable[bytes]) -> str | None:
    """What a file of `content_type` (read as `chunks`, within the upload size limit) carries
    that it must not (FOREIGN, JAVASCRIPT, LAUNCH, RICH_MEDIA), or None."""
    data = b"".join(chunks)
    if _FOREIGN.search(data):
        return FOREIGN
    if content_type == "application/pdf":
        return _pdf_actions(data)
    return None


def _names(data: bytes) -> Iterator[bytes]:
    for match in _PDF_NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name


def _pdf_actions(data: bytes) -> str | None:
    for name in _names(data):
        found = _PDF_ACTIVE_NAMES.get(name)
        if found:
            return found
    inflated_total = 0
    for start in _OBJECT_STREAM.finditer(data):
        end = _END_STREAM.search(data, start.end())
        stream = data[start.end() : end.start() if end else len(data)]
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(stream, _INFLATED_MAX - inflated_total)
        except zlib.error:
            continue  # not Flate, or damaged: what is visible was checked above
        inflated_total += len(inflated)
        if _FOREIGN.search(inflated):
            return FOREIGN
        for name in _names(inflated):
            found = _PDF_ACTIVE_NAMES.get(name)
            if found:
                return found
        if inflated_total >= _INFLATED_MAX:
            break
    return None
