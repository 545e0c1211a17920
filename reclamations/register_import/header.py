"""Where a register's headers are, and the name of each column. Pure: no Django.

The header line is the line among the first ones whose cells name the most known fields (a
register often starts with a title, the organisation's name, a blank line). A header that is a
merged cell over several columns ("Réponse" over "Date" and "Texte") names them with the line
below it, after an angle quotation mark: "Réponse > Date", "Réponse > Texte" (SUB_HEADER).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from reclamations.core.catalogue import as_is, gettext_noop
from reclamations.register_import.reading import Cell, Table
from reclamations.register_import.vocabulary import IGNORED, field_for_header

SEARCHED_LINES = 20


SUB_HEADER = " \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "


@dataclass(frozen=True)
class Header:
    """The lines holding the headers (1-based), each column's name (unique in the table) and
    the text of its header (what the fields are proposed from).

    The names are identifiers too (a mapping file names the columns by them): the ones made
    here ("Colonne B", "Sans titre (colonne C)") stay French whatever the reader's language;
    `given` (each header as written, "" for none) lets `label` show them in the reader's."""

    lines: tuple[int, ...]
    names: tuple[str, ...]
    texts: tuple[str, ...]
    given: tuple[str, ...]

    @property
    def last_line(self) -> int:
        return self.lines[-1] if self.lines else 0

    def name(self, column: int) -> str:
        return self.names[column]

    def label(self, column: int, translate: Callable[[str], str] = as_is) -> str:
        """Column `column`'s name as a page shows it: a name made here through `translate`
        (gettext, given by the page), a header as written."""
        given = self.given[column]
        unique = self.names[column] == given
        return column_name(
            given, column, headless=not self.lines, unique=unique, translate=translate
        )

    def labels(self, translate: Callable[[str], str] = as_is) -> list[str]:
        return [self.label(column, translate) for column in range(len(self.names))]


def cell_text(value: Cell) -> str:
    """A cell as the spreadsheet shows it, in one line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, datetime):
        return (
            f"{value:%d/%m/%Y %H:%M}"
            if (value.hour, value.minute) != (0, 0)
            else (f"{value:%d/%m/%Y}")
        )
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return " ".join(str(value).split())


def column_letter(index: int) -> str:
    """0 -> "A", 26 -> "AA": as a spreadsheet names its columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _known(row: tuple[Cell, ...]) -> int:
    return len(
        {field_for_header(cell_text(value)) for value in row if cell_text(value)} - {IGNORED}
    )


def header_line(table: Table) -> int:
    """The line most likely to hold the headers (1-based), 0 for an empty table."""
    best, best_known = 0, 0
    for index, row in enumerate(table.rows[:SEARCHED_LINES]):
        line = index + 1
        if line in table.title_lines or not any(cell_text(value) for value in row):
            continue
        known = _known(row)
        if best == 0 or known > best_known:
            best, best_known = line, known
    above = best - 1
    if (
        above in table.spanned_lines
        and above not in table.title_lines
        and _known(table.rows[above - 1])
    ):
        # The sub-headers under a merged header: the header starts on the line above (whose
        # merged cells, filled down, made this line look the richer).
        return above
    return best


def find_header(table: Table, line: int = 0) -> Header:
    """The header at `line` (found when 0), with the line below it when a merged cell of the
    header spans several columns."""
    line = line or header_line(table)
    if line == 0 or line > len(table.rows):
        letters = tuple(
            column_name("", index, headless=True, unique=False) for index in range(table.width)
        )
        return Header((), letters, ("",) * table.width, ("",) * table.width)
    tops = [cell_text(value) for value in table.rows[line - 1]]
    lines: tuple[int, ...] = (line,)
    parts = [[top] for top in tops]
    if line in table.spanned_lines and line < len(table.rows):
        subs = [cell_text(value) for value in table.rows[line]]
        lines = (line, line + 1)
        parts = [
            [top, sub] if sub and sub != top else [top] for top, sub in zip(tops, subs, strict=True)
        ]
    names = [SUB_HEADER.join(part for part in column if part) for column in parts]
    texts = tuple(" ".join(part for part in column if part) for column in parts)
    return Header(lines, _unique(names), texts, tuple(names))


def _unique(names: list[str]) -> tuple[str, ...]:
    """Each column's name, told apart by its letter where two columns share one (or have
    none)."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return tuple(
        column_name(name, i, headless=False, unique=counts[name] == 1)
        for i, name in enumerate(names)
    )


def column_name(
    given: str,
    column: int,
    *,
    headless: bool,
    unique: bool,
    translate: Callable[[str], str] = as_is,
) -> str:
    """A column's name: its header when it has one of its own; else made from its letter, in
    French (the name mapping files know it by) or through `translate` (a page's)."""
    letter = column_letter(column)
    if headless:
        return translate(gettext_noop("Colonne %(letter)s")) % {"letter": letter}
    if given and unique:
        return given
    return translate(gettext_noop("%(name)s (colonne %(letter)s)")) % {
        "name": given or translate(gettext_noop("Sans titre")),
        "letter": letter,
    }
