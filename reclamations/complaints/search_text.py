"""The register's full-text search, the part without a database (pure).

What text is kept for each complaint (its fields and the words of its chronology: actions,
notes, replies, the client's messages), how a search typed by a person becomes words, and
which words of a text match them, for highlighting. The databases do the matching itself
(complaints/search.py): PostgreSQL's French full-text search with unaccent, SQLite's FTS5
without diacritics. Both ignore case and accents, as fold() does here.
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The fields the register's row shows, first: an excerpt shows what matched elsewhere.
SHOWN_FIELDS = ("reference", "client_name", "client_account")
OTHER_FIELDS = (
    "client_email",
    "client_phone",
    "client_address",
    "training",
    "session",
    "trainer",
    "funder",
    "cause",
    "cause_analysis",
    "description",
    "remedy_sought",
    "not_admissible_reason",
    "backdating_reason",
    "resolution",
    "mediator",
    "mediation_outcome",
    "litigation_court",
    "litigation_outcome",
)
SEARCHED_FIELDS = SHOWN_FIELDS + OTHER_FIELDS

# The keys of an event's data that hold what people wrote: actions and who did them, notes,
# replies, requests and what was missing, comments and reasons, the client's messages. The
# others hold codes, dates, identifiers or the complaint's fields (already in SEARCHED_FIELDS).
EVENT_TEXT_KEYS = frozenset(
    {
        "description",
        "done_by",
        "text",
        "note",
        "comment",
        "reason",
        "summary",
        "message",
        "missing",
        "subject",
        "sender",
        "excerpt",
        "reception_witness",
        "registered_number",
        # A complaint imported from an old register: its old reference and what was done.
        "source_reference",
        "actions",
    }
)

# Enough for any complaint's words; PostgreSQL refuses a tsvector over 1 MB.
MAX_TEXT_LENGTH = 200_000
MAX_TERMS = 10
MAX_TERM_LENGTH = 60

_WORD = re.compile(r"\w+")
# Letters that no Unicode decomposition separates, folded as unaccent and FTS5 do.
_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("Œ", "oe"), ("Æ", "ae"))


def fold(text: str) -> str:
    """Lower case, without accents: "Estérel" and "ESTEREL" are both "esterel"."""
    if text.isascii():  # nothing to decompose (a name, a reference): 80 times quicker
        return text.lower()
    for ligature, letters in _LIGATURES:
        text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", text)
    # Each accent (combining mark) found once, then removed wherever it is: a text holds few
    # different ones (a translation table, or a test of each character, read the text
    # character by character in Python: four times as long).
    for mark in {character for character in set(decomposed) if unicodedata.combining(character)}:
        decomposed = decomposed.replace(mark, "")
    return decomposed.casefold()


def searchable_text(
    fields: Mapping[str, Any],
    events_data: Iterable[Mapping[str, Any]],
    *,
    earlier: Iterable[str] = (),
) -> str:
    """The text kept for a complaint: one line per field of SEARCHED_FIELDS, in that order
    (empty ones too, so that the shown fields are always the first lines), then each text of
    its chronology once, in the chronology's order: the `earlier` ones (chronology_texts of
    the text kept so far), then those of `events_data`."""
    lines = [_one_line(fields.get(name)) for name in SEARCHED_FIELDS]
    seen = {line for line in lines if line}
    for line in earlier:
        if line and line not in seen:
            seen.add(line)
            lines.append(line)
    for data in events_data:
        for key, value in data.items():
            if key not in EVENT_TEXT_KEYS or not isinstance(value, str):
                continue
            line = _one_line(value)
            if line and line not in seen:
                seen.add(line)
                lines.append(line)
    return "\n".join(lines)[:MAX_TEXT_LENGTH]


def chronology_texts(text: str) -> list[str]:
    """The texts of the chronology in a text kept by searchable_text: its lines after the
    fields'."""
    return text.split("\n")[len(SEARCHED_FIELDS) :]


def _one_line(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    # NUL is refused by PostgreSQL's text; line breaks separate the fields.
    return " ".join(value.replace("\x00", " ").split())


def search_phrases(query: str) -> tuple[tuple[str, ...], ...]:
    """What a search looks for: each run of characters between spaces, as the words it holds in
    that order ("REC-2026-0042" and "CLI-200" hold three and two), folded. A complaint matches
    when its text holds every phrase, the last word of each as the beginning of a word
    ("lefev" finds "Lefèvre"). At most MAX_TERMS words in all."""
    phrases: dict[tuple[str, ...], None] = {}
    remaining = MAX_TERMS
    for chunk in fold(query).split():
        words = tuple(word[:MAX_TERM_LENGTH] for word in _WORD.findall(chunk) if word.strip("_"))[
            :remaining
        ]
        if words:
            phrases[words] = None
            remaining -= len(words)
        if remaining <= 0:
            break
    return tuple(phrases)


def search_terms(query: str) -> tuple[str, ...]:
    """Every word of a search, once: what the highlighting marks."""
    return tuple(dict.fromkeys(word for phrase in search_phrases(query) for word in phrase))


# A search of one character alone is looked for whole: as a beginning it matches nearly every
# complaint ("m" is the start of a word in 89 % of them), which helps nobody and costs most.
MIN_PREFIX_LENGTH = 2


def _as_prefix(phrase: tuple[str, ...]) -> bool:
    # After other words ("CLI-2") the phrase is narrow enough already.
    return len(phrase) > 1 or len(phrase[-1]) >= MIN_PREFIX_LENGTH


def fts5_query(phrases: tuple[tuple[str, ...], ...]) -> str:
    """SQLite FTS5: every phrase, its last word as a prefix (quotes cannot occur: words)."""
    return " AND ".join(
        '"' + " ".join(phrase) + '"' + ("*" if _as_prefix(phrase) else "") for phrase in phrases
    )


def tsquery(phrases: tuple[tuple[str, ...], ...]) -> str:
    """PostgreSQL to_tsquery: every phrase, its words followed by one another, the last one
    as a prefix (words hold no operator)."""
    return " & ".join(
        "(" + " <-> ".join([*phrase[:-1], phrase[-1] + (":*" if _as_prefix(phrase) else "")]) + ")"
        for phrase in phrases
    )


@dataclass(frozen=True)
class Segment:
    text: str
    matched: bool


def _matches(word: str, terms: tuple[str, ...]) -> bool:
    folded = fold(word)
    # PostgreSQL matches stems: "formations" finds "formation"; a plural's root does here.
    return any(folded.startswith(term) or folded.startswith(_root(term)) for term in terms)


def _root(term: str) -> str:
    if len(term) > 4 and term[-1] in "sx":
        return term[:-1]
    return term


def highlighted(text: str, terms: tuple[str, ...]) -> list[Segment]:
    """The text cut where words match a term, for a template to mark them."""
    if not terms or not text:
        return [Segment(text, False)] if text else []
    folded = fold(text)
    if not any(_root(term) in folded for term in terms):  # no word of it can match
        return [Segment(text, False)]
    segments: list[Segment] = []
    position = 0
    for word in _WORD.finditer(text):
        if _matches(word.group(), terms):
            if word.start() > position:
                segments.append(Segment(text[position : word.start()], False))
            segments.append(Segment(word.group(), True))
            position = word.end()
    if position < len(text):
        segments.append(Segment(text[position:], False))
    return segments


def excerpt(text: str, terms: tuple[str, ...], *, width: int = 160) -> list[Segment]:
    """Where a complaint's kept text matches beyond the fields its row shows: about `width`
    characters around the first matching word, highlighted; empty when nothing else matched."""
    # A word matches only where its line, folded whole, holds a term: the other lines are
    # not read word by word (folding each word was most of a search page's Python).
    roots = {_root(term) for term in terms}
    lines = text.split("\n")[len(SHOWN_FIELDS) :]
    # Folded in one call (a call a line was a search page's thousand calls); folding keeps
    # the lines as they are cut, but should a character ever fold into a line break, each
    # line is folded alone.
    folded_lines = fold("\n".join(lines)).split("\n")
    if len(folded_lines) != len(lines):
        folded_lines = [fold(line) for line in lines]
    for line, folded in zip(lines, folded_lines, strict=True):
        if not any(root in folded for root in roots):
            continue
        for word in _WORD.finditer(line):
            if _matches(word.group(), terms):
                start = max(0, word.start() - width // 3)
                if start:
                    # From the beginning of a word.
                    space = line.find(" ", start)
                    start = space + 1 if 0 <= space < word.start() else start
                end = min(len(line), start + width)
                if end < len(line):
                    space = line.rfind(" ", word.end(), end)
                    end = space if space > 0 else end
                shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
                return highlighted(shown, terms)
    return []
