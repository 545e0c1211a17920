"""The register written as CSV (for any spreadsheet, French Excel first) and as XLSX.

Both are produced row by row: CSV as a stream of lines, XLSX by XlsxWriter's constant-memory
mode into a file, so that memory stays flat whatever the register's size.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO

from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError

from reclamations.reporting.register_export import (
    ACTION_COLUMNS,
    COLUMNS,
    Column,
    ExportRow,
    Kind,
    Value,
    values_of,
)

# French Excel reads ";"-separated files, and UTF-8 only with its byte-order mark.
CSV_SEPARATOR = ";"
BOM = "\ufeff"
# A cell a spreadsheet would run as a formula (=, +, -, @; a tab or a carriage return first
# lets some of them through): prefixed with a quote, which shows it as text.
_FORMULA_START = frozenset("=+-@\t\r")
# Characters an XLSX file cannot hold (the XML 1.0 control characters).
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_text(value: Value) -> str:
    """A cell as CSV text: dates as dd/mm/yyyy (with hh:mm for a moment), nothing as "",
    formulas defused."""
    if value.__class__ is str:  # most cells: checked first, without isinstance's cost
        text = str(value)
        return "'" + text if text[:1] in _FORMULA_START else text
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return "'" + text if text[:1] in _FORMULA_START else text


class _Line:
    """Where csv.writer writes one line, to hand it on at once."""

    def write(self, text: str) -> str:
        return text


class _DayTexts(dict[date | None, str]):
    """Each day as dd/mm/yyyy, worked out once: a register holds few distinct days."""

    def __missing__(self, day: date | None) -> str:
        text = self[day] = "" if day is None else f"{day:%d/%m/%Y}"
        return text


class _LabelTexts(dict[object, str]):
    """A choice's label by its value; a value without a label, shown as it is."""

    def __missing__(self, value: object) -> str:
        text = self[value] = csv_text(value) if value else ""  # type: ignore[arg-type]
        return text


CsvCell = Callable[[ExportRow], str | int | None]


def _csv_cell(column: Column, days: _DayTexts) -> CsvCell:
    """How a column's cell becomes CSV text, in one call per cell (a register has millions):
    the complaint's field read directly where the column shows one."""
    if column.field is None:
        compute = column.value
        return lambda row: csv_text(compute(row))
    position = column.position
    if column.kind is Kind.DAY:
        return lambda row: days[row.values[position]]
    if column.kind is Kind.LABEL:
        labels = _LabelTexts(
            {value: csv_text(label) for value, label in (column.labels or {}).items()}
        )
        return lambda row: labels[row.values[position]]

    def text(row: ExportRow) -> str | int | None:
        value: str | None = row.values[position]  # None is written as ""
        return "'" + value if value and value[:1] in _FORMULA_START else value

    return text


def csv_lines(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The register as CSV, line by line: the byte-order mark and the header first."""
    writer = csv.writer(_Line(), delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    yield BOM + writer.writerow([column.header for column in COLUMNS])
    days = _DayTexts()
    cells = [_csv_cell(column, days) for column in COLUMNS]
    for row in rows:
        yield writer.writerow([cell(row) for cell in cells])


def write_csv(rows: Iterable[ExportRow], stream: IO[str]) -> None:
    for line in csv_lines(rows):
        stream.write(line)


def write_csv_to(rows: Iterable[ExportRow], target: str | IO[bytes]) -> None:
    """The CSV into a file, by its path or opened in binary."""
    if isinstance(target, str):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            write_csv(rows, stream)
        return
    for line in csv_lines(rows):
        target.write(line.encode("utf-8"))


def _xlsx_text(value: str) -> str:
    # A workbook cannot hold the XML control characters: left out rather than refused.
    return _ILLEGAL_IN_XLSX.sub("", value) if _ILLEGAL_IN_XLSX.search(value) else value


class _Sheet:
    """One sheet written row by row (XlsxWriter's constant-memory mode keeps only the current
    row): dates typed as dates, numbers as numbers, every string as text (never a formula)."""

    def __init__(self, book: Workbook, name: str, columns: Sequence[tuple[str, int]]) -> None:
        self.sheet = book.add_worksheet(name)
        self.day = book.add_format({"num_format": "dd/mm/yyyy"})
        self.moment = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        self.columns = len(columns)
        self.lines = 0
        header = book.add_format({"bold": True})
        for number, (title, width) in enumerate(columns):
            self.sheet.set_column(number, number, width)
            self.sheet.write_string(0, number, title, header)
        self.sheet.freeze_panes(1, 0)

    def append(self, values: Iterable[Value]) -> None:
        self.lines += 1
        line, sheet = self.lines, self.sheet
        for number, value in enumerate(values):
            if value.__class__ is str:
                if value:  # an empty cell is not written at all
                    sheet.write_string(line, number, _xlsx_text(str(value)))
            elif value is None:
                continue
            elif isinstance(value, datetime):  # shown in the time it was given in
                sheet.write_datetime(line, number, value.replace(tzinfo=None), self.moment)
            elif isinstance(value, date):
                sheet.write_datetime(line, number, value, self.day)
            elif isinstance(value, int):
                sheet.write_number(line, number, value)
            else:
                sheet.write_string(line, number, _xlsx_text(str(value)))

    def finish(self) -> None:
        self.sheet.autofilter(0, 0, self.lines, self.columns - 1)


def _workbook(target: str | IO[bytes]) -> Workbook:
    """A workbook written by XlsxWriter in constant-memory mode: its rows go to a temporary
    file as they come, so memory stays flat (docs/decisions/0008)."""
    options = {
        "constant_memory": True,
        # A cell is what the register holds: never read as a formula, a number or a link.
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
    }
    return Workbook(target, options)


def _close(book: Workbook) -> None:
    try:
        book.close()
    except FileCreateError as error:  # XlsxWriter's wrapping of the OSError that stopped it
        cause = error.args[0] if error.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(error)) from None


def write_xlsx(rows: Iterable[ExportRow], target: str | IO[bytes]) -> None:
    """The register in its first sheet ("Registre"), one line per action in the second
    ("Actions"): typed dates and numbers, header frozen, filters on every column."""
    book = _workbook(target)
    register = _Sheet(book, "Registre", [(column.header, column.width) for column in COLUMNS])
    actions = _Sheet(book, "Actions", ACTION_COLUMNS)
    for row in rows:
        register.append(values_of(row))
        for action in row.actions:
            actions.append((row.reference, action.done_on, action.description, action.done_by))
    register.finish()
    actions.finish()
    _close(book)


def table_csv_lines(
    columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[Value]]
) -> Iterator[str]:
    """Any table as CSV, line by line, as the register's: mark, ";", formulas defused."""
    writer = csv.writer(_Line(), delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    yield BOM + writer.writerow([title for title, _width in columns])
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row])


def write_xlsx_table(
    target: str | IO[bytes],
    name: str,
    columns: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[Value]],
) -> None:
    """Any table as a one-sheet workbook, typed and filtered as the register's."""
    book = _workbook(target)
    sheet = _Sheet(book, name, columns)
    for row in rows:
        sheet.append(row)
    sheet.finish()
    _close(book)


def csv_bytes(rows: Iterable[ExportRow]) -> bytes:
    """The whole CSV at once (for small registers and tests)."""
    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue().encode("utf-8")
