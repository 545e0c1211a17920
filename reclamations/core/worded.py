"""A message made of French parts, each with the values of its %(name)s placeholders, said in
any language by the page that shows it. Plain Python (no Django): the French texts are marked
with core.catalogue.gettext_noop where they are written, and translated by whoever has a
reader (`text(gettext)`); str() and what is recorded stay French.

A part's values may hold the words of a server or a provider (an IMAP answer, an error
description): those are shown as they came."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Self

from reclamations.core.catalogue import as_is

Part = tuple[str, Mapping[str, object]]


def said(parts: Iterable[Part], translate: Callable[[str], str] = as_is) -> str:
    """The parts, each through `translate`, joined by a space."""
    return " ".join(
        translate(message) % dict(values) if values else translate(message)
        for message, values in parts
    )


def as_json(parts: Iterable[Part]) -> list[list[Any]]:
    """The parts as a JSON field keeps them (values as text: an exception, a number)."""
    return [
        [message, {name: str(value) for name, value in values.items()}] for message, values in parts
    ]


def from_json(stored: object) -> tuple[Part, ...]:
    """What as_json kept; () for anything else (an older row, a damaged value)."""
    if not isinstance(stored, list):
        return ()
    parts = []
    for item in stored:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], dict)
        ):
            return ()
        parts.append((item[0], item[1]))
    return tuple(parts)


class WordedError(Exception):
    """An error whose message is said in the reader's language (`text`), French by str()."""

    def __init__(
        self,
        message: str,
        *,
        values: Mapping[str, object] | None = None,
        then: Sequence[Part] = (),
    ) -> None:
        # str(): a lazy text given by a caller is fixed in the language active now.
        self.parts: tuple[Part, ...] = ((str(message), dict(values or {})), *then)
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = as_is) -> str:
        """The message through `translate` (gettext, given by a page)."""
        return said(self.parts, translate)

    @classmethod
    def of(cls, parts: Sequence[Part]) -> Self:
        """The error saying `parts` (another error's, with more said before or after)."""
        (message, values), *then = parts
        return cls(message, values=values, then=then)
