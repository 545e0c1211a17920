"""Message-IDs as the register stores and compares them. Pure: no Django.

One form everywhere (intake, outbox, threading): the id in angle brackets, lowercased, without
whitespace (header folding can insert some), so that a client's answer quoting one of our
messages in In-Reply-To finds it by equality. Ids longer than the columns that hold them are
never stored: such a message is known by its hash instead.
"""

import re
from typing import Final

MESSAGE_ID_MAX: Final = 255
"""Size of every column holding a Message-ID (received or sent)."""

_BRACKETED: Final = re.compile(r"<([^<>]*)>")


def normalise_message_id(value: str | None) -> str | None:
    """ "<ABC@Example.org >" -> "<abc@example.org>"; None when there is no id at all.

    The first bracketed id wins; without brackets, the first whitespace-separated token.
    """
    if not value:
        return None
    match = _BRACKETED.search(value)
    if match:
        inner = "".join(match.group(1).split())
    else:
        tokens = value.split()
        inner = tokens[0].strip("<>") if tokens else ""
    if not inner:
        return None
    return f"<{inner.lower()}>"


def storable_message_id(value: str | None) -> str | None:
    """The normalised id when it fits the columns (and a mail header line), else None."""
    normalised = normalise_message_id(value)
    if normalised is None or len(normalised) > MESSAGE_ID_MAX:
        return None
    return normalised
