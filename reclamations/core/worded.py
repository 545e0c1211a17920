"""A message made of French parts, each with the values of its %(name)s placeholders, said in
any language by the page that shows it. Plain Python (no Django): the French texts are marked
with core.catalogue.gettext_noop where they are written, and translated by whoever has a
reader (`text(gettext)`); str() and what is recorded stay French.

A part's values may hold the words of a server or a provider (an IMAP answer, an error
description): those are shown as they came."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from reclamations.core.catalogue import as_is

Part = tuple[str, Mapping[str, object]]


@dataclass(frozen=True)
class Phrase:
    """A value that is itself words of ours, translated with the sentence that holds it: what
    the IMAP server refused ("ouvrir %(folder)s") inside "Le serveur IMAP a refusé « … »"."""

    message: str
    values: Mapping[str, object] = field(default_factory=dict)

    def said(self, translate: Callable[[str], str] = as_is) -> str:
        return said(((self.message, self.values),), translate)

    def __str__(self) -> str:
        return self.said()


def _filled(message: str, values: Mapping[str, object], translate: Callable[[str], str]) -> str:
    if not values:
        return translate(message)
    return translate(message) % {
        name: value.said(translate) if isinstance(value, Phrase) else value
        for name, value in values.items()
    }


def said(parts: Iterable[Part], translate: Callable[[str], str] = as_is) -> str:
    """The parts, each through `translate`, joined by a space."""
    return " ".join(_filled(message, values, translate) for message, values in parts)


def _json_values(values: Mapping[str, object]) -> dict[str, Any]:
    return {
        name: {"phrase": [value.message, _json_values(value.values)]}
        if isinstance(value, Phrase)
        else str(value)
        for name, value in values.items()
    }


def as_json(parts: Iterable[Part]) -> list[list[Any]]:
    """The parts as a JSON field keeps them (values as text: an exception, a number; a phrase
    as {"phrase": [message, values]})."""
    return [[message, _json_values(values)] for message, values in parts]


def _stored_part(item: object) -> Part | None:
    """A part as as_json kept it, phrases in its values included; None for anything else."""
    if (
        not isinstance(item, list)
        or len(item) != 2
        or not isinstance(item[0], str)
        or not isinstance(item[1], dict)
    ):
        return None
    values: dict[str, object] = {}
    for name, value in item[1].items():
        if isinstance(value, dict):
            phrase = _stored_part(value.get("phrase"))
            if phrase is None:
                return None
            values[str(name)] = Phrase(*phrase)
        else:
            values[str(name)] = value
    return item[0], values


def from_json(stored: object) -> tuple[Part, ...]:
    """What as_json kept; () for anything else (an older row, a damaged value)."""
    if not isinstance(stored, list):
        return ()
    parts = [_stored_part(item) for item in stored]
    if any(part is None for part in parts):
        return ()
    return tuple(part for part in parts if part is not None)


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
