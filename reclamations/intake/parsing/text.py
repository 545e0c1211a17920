"""Small string helpers shared by the parsing modules. Pure: no Django.

Every string the package hands out has been through `_clean`: PostgreSQL refuses NUL, and a
lone surrogate (left by undeclared 8-bit bytes) cannot even be encoded.
"""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _collapse(value: str) -> str:
    """Runs of whitespace (newlines included) as single spaces, none at either end."""
    return " ".join(value.split())


def _clean(value: str) -> str:
    """No NUL (PostgreSQL refuses it), no other control character, no lone surrogate."""
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return value


def _short(value: str) -> str:
    """Collapsed, and at most 80 characters (an ellipsis marks a cut): to quote in a note."""
    value = _collapse(value)
    return value if len(value) <= 80 else value[:79] + "…"
