"""Outlook's compressed RTF bodies -> plain text. Pure.

Outlook keeps a "rich text" body as compressed RTF (MS-OXRTFCP) in winmail.dat and .msg files,
often with no plain-text copy beside it. `compressed_rtf` undoes the compression and `striprtf`
keeps the text (docs/decisions/0017); both are small, pure Python, with no dependency of their own.
"""

import re

from compressed_rtf import decompress
from striprtf.striprtf import rtf_to_text

_ANSI_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
_BLANK_LINES = re.compile(r"\n{3,}")


def compressed_rtf_text(data: bytes) -> str:
    """The text of a compressed (or stored uncompressed) RTF body; "" when it is illegible."""
    try:
        rtf = decompress(data)
    except Exception:  # a corrupt or truncated body: the caller keeps the file as it is
        return ""
    return rtf_text(rtf)


def rtf_text(rtf: bytes) -> str:
    """The plain text of an RTF document, read in the code page it declares (\\ansicpgN)."""
    declared = _ANSI_CODEPAGE.search(rtf[:4096])
    encoding = f"cp{int(declared.group(1))}" if declared else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        # striprtf ships py.typed but leaves this function unannotated.
        text: str = rtf_to_text(  # type: ignore[no-untyped-call]
            rtf.decode("latin-1"), encoding=encoding, errors="replace"
        )
    except Exception:  # striprtf's own failure modes on malformed RTF
        return ""
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
