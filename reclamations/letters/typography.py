"""French typography for printed text. Pure: no Django.

A printed letter follows the French rules a reader notices when they are broken: a no-break
space before the colon and inside « guillemets », a narrow no-break space before ; ! and ?, so
that a sign never starts a line on its own; straight double quotes become guillemets. Only
spaces already typed are changed before : ; ! ? ("http://" and "10:30" stay as they are);
guillemets always get theirs.
"""

import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]+:")
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]+([;!?])")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]*»")
# A straight double quote opens after the start, a space or an opening bracket; else it closes.
_STRAIGHT_QUOTES = re.compile(r'(^|[\s(\[])"([^"\n]*?)"', re.MULTILINE)


def french_typography(text: str) -> str:
    """`text` with French spacing around : ; ! ? and « », and "straight" quotes as « »."""
    text = _STRAIGHT_QUOTES.sub(lambda match: f"{match[1]}«{match[2].strip()}»", text)
    text = _BEFORE_COLON.sub(f"{NBSP}:", text)
    text = _BEFORE_TALL.sub(lambda match: f"{NARROW_NBSP}{match[1]}", text)
    text = _AFTER_OPENING.sub(f"«{NBSP}", text)
    return _BEFORE_CLOSING.sub(f"{NBSP}»", text)
