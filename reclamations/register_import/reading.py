"""A register file's bytes read into a table of cells: XLSX (openpyxl) or CSV. Pure: no Django.

The type is read from the content, never from the file's name. A CSV's encoding (UTF-8 with or
without BOM, UTF-16 as Excel's "texte Unicode", Windows-1252 as French Excel writes it) and its
separator (";", "," or a tab) are found, and said (`Table.how_read`): nothing is guessed
silently. In a workbook, a merged cell's value applies to every cell of its span.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import filetype

from reclamations.core.catalogue import as_is, gettext_noop

MAX_LINES = 20_000
MAX_COLUMNS = 200
# What a workbook may unpack to: a small file must not become gigabytes in memory.
MAX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_MEMBERS = 5_000

XLSX, CSV = "xlsx", "csv"
SEPARATORS = {
    ";": gettext_noop("point-virgule « ; »"),
    ",": gettext_noop("virgule « , »"),
    "\t": gettext_noop("tabulation"),
}
# The encodings a CSV is read in, by their French names (what Table.how_read says).
QUOTED = gettext_noop("« %(name)s »")
UTF8_BOM = gettext_noop("UTF-8 avec BOM")
UTF16 = gettext_noop("UTF-16 (« texte Unicode » d'Excel)")
UTF8 = "UTF-8"
CP1252 = gettext_noop("Windows-1252 (Excel français)")


class Unreadable(Exception):
    """The file cannot be read as a register: `message` (French, marked) says why and what to
    do, with `values` for its placeholders; `text` says it in a page's language."""

    def __init__(self, message: str, **values: object) -> None:
        self.message, self.values = message, values
        super().__init__(self.text())

    def text(self, translate: Callable[[str], str] = as_is) -> str:
        """The reason in French, or through `translate` (gettext, given by a page); a tuple
        of values is a list of names, each quoted."""
        message = translate(self.message)
        if not self.values:
            return message
        return message % {
            name: quoted(value, translate) if isinstance(value, tuple) else value
            for name, value in self.values.items()
        }


def quoted(names: tuple[str, ...], translate: Callable[[str], str] = as_is) -> str:
    """ "« Registre », « Synthèse »", or as `translate` quotes ("“Registre”, “Synthèse”")."""
    return ", ".join(translate(QUOTED) % {"name": name} for name in names)


Cell = object  # str, int, float, datetime, date, bool or None, as the file holds it


@dataclass(frozen=True)
class Table:
    """One sheet of a register: its rows as the file holds them (line n is rows[n - 1])."""

    kind: str  # XLSX or CSV
    rows: tuple[tuple[Cell, ...], ...]
    sheets: tuple[str, ...] = ()
    sheet: str = ""
    encoding: str = ""  # a CSV's: UTF8, UTF8_BOM, UTF16 or CP1252
    separator: str = ""  # a CSV's: one of SEPARATORS
    # Lines that a cell merged across the whole table fills (a section title: "Année 2023").
    title_lines: frozenset[int] = frozenset()
    # Lines where a merged cell spans several columns (a header over its sub-headers).
    spanned_lines: frozenset[int] = frozenset()
    width: int = field(default=0)

    @property
    def how_read(self) -> str:
        """In French: "Fichier CSV lu en Windows-1252 (Excel français), séparateur ..."."""
        return self.read_as()

    def read_as(self, translate: Callable[[str], str] = as_is) -> str:
        """How the file was read, in French or through `translate` (gettext, given by a page)."""
        if self.kind == CSV:
            return translate(
                gettext_noop("Fichier CSV lu en %(encoding)s, séparateur %(separator)s.")
            ) % {
                "encoding": translate(self.encoding),
                "separator": translate(SEPARATORS[self.separator]),
            }
        if len(self.sheets) > 1:
            return translate(
                gettext_noop(
                    "Classeur Excel (XLSX), feuille « %(sheet)s » (le classeur en a %(count)s : "
                    "choisissez celle du registre)."
                )
            ) % {"sheet": self.sheet, "count": len(self.sheets)}
        return translate(gettext_noop("Classeur Excel (XLSX), feuille « %(sheet)s ».")) % {
            "sheet": self.sheet
        }


def read_table(content: bytes, *, sheet: str = "") -> Table:
    """The table of a register file (the named sheet of a workbook, else its first), or
    Unreadable with the reason."""
    if not content:
        raise Unreadable(gettext_noop("Le fichier est vide."))
    if content.startswith(b"PK\x03\x04"):
        return _read_workbook(content, sheet)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(
            gettext_noop(
                "C'est un classeur Excel 97-2003 (.xls) : ouvrez-le dans Excel ou LibreOffice "
                "et enregistrez-le au format .xlsx (ou CSV), puis importez ce fichier."
            )
        )
    kind = filetype.guess(content[:8192])
    if kind is not None:
        raise Unreadable(
            gettext_noop(
                "Ce fichier n'est ni un classeur XLSX ni un CSV (son contenu est de type "
                "%(type)s) : enregistrez le registre au format .xlsx ou CSV."
            ),
            type=kind.extension.upper(),
        )
    return _read_csv(content)


def _zip_members(content: bytes) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Unreadable(
            gettext_noop(
                "Le fichier ressemble à un classeur mais il est endommagé : ouvrez-le dans Excel "
                "ou LibreOffice, enregistrez-le à nouveau au format .xlsx et recommencez."
            )
        ) from None


def _read_workbook(content: bytes, sheet: str) -> Table:
    members = _zip_members(content)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise Unreadable(
                gettext_noop(
                    "C'est un classeur OpenDocument (.ods) : enregistrez-le au format .xlsx ou "
                    "CSV depuis LibreOffice, puis importez ce fichier."
                )
            )
        raise Unreadable(
            gettext_noop(
                "Ce fichier est une archive ZIP, pas un classeur XLSX : importez le registre au "
                "format .xlsx ou CSV."
            )
        )
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES:
        raise Unreadable(
            gettext_noop(
                "Ce classeur se décompresse en plus de 150 Mo : enregistrez le registre seul "
                "(sans images ni autres feuilles volumineuses), ou en CSV."
            )
        )
    import openpyxl  # only workbooks need it, and it is slow to import

    try:
        with warnings.catch_warnings():
            # Extensions openpyxl skips (data validation, conditional formats) change no value.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged part
        raise Unreadable(
            gettext_noop(
                "Le classeur ne peut pas être lu (il est peut-être endommagé ou protégé par un "
                "mot de passe) : enregistrez-le à nouveau au format .xlsx, ou en CSV. "
                "Détail : %(detail)s."
            ),
            detail=error.__class__.__name__,
        ) from None
    sheets = tuple(workbook.sheetnames)
    if sheet and sheet not in sheets:
        raise Unreadable(
            gettext_noop("Le classeur n'a pas de feuille « %(sheet)s ». Feuilles : %(sheets)s."),
            sheet=sheet,
            sheets=sheets,
        )
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows, title_lines, spanned = _sheet_rows(worksheet)
    return Table(
        kind=XLSX,
        rows=rows,
        sheets=sheets,
        sheet=worksheet.title,
        title_lines=title_lines,
        spanned_lines=spanned,
        width=max((len(row) for row in rows), default=0),
    )


def _too_long() -> Unreadable:
    return Unreadable(
        gettext_noop(
            "Le registre dépasse %(lines)s lignes : découpez-le en plusieurs fichiers (par "
            "année, par exemple) et importez-les l'un après l'autre."
        ),
        lines=f"{MAX_LINES:,}".replace(",", " "),
    )


def _sheet_rows(
    worksheet: object,
) -> tuple[tuple[tuple[Cell, ...], ...], frozenset[int], frozenset[int]]:
    height = min(worksheet.max_row, MAX_LINES + 1)  # type: ignore[attr-defined]
    width = min(worksheet.max_column, MAX_COLUMNS)  # type: ignore[attr-defined]
    grid: list[list[Cell]] = [
        list(row)
        for row in worksheet.iter_rows(  # type: ignore[attr-defined]
            min_row=1, max_row=height, max_col=width, values_only=True
        )
    ]
    spans = []
    for merged in worksheet.merged_cells.ranges:  # type: ignore[attr-defined]
        top, left = merged.min_row, merged.min_col
        if top > height or left > width:
            continue
        value = grid[top - 1][left - 1]
        for line in range(top, min(merged.max_row, height) + 1):
            for column in range(left, min(merged.max_col, width) + 1):
                grid[line - 1][column - 1] = value
        spans.append((top, min(merged.max_row, height), left, min(merged.max_col, width)))
    rows = _trimmed(grid)
    if len(rows) > MAX_LINES:
        raise _too_long()
    used = max((len(row) for row in rows), default=0)
    title_lines: set[int] = set()
    spanned: set[int] = set()
    for top, bottom, left, right in spans:
        if right > left:
            spanned.update(range(top, bottom + 1))
            if used > 1 and left == 1 and right >= used:
                title_lines.update(range(top, bottom + 1))
    return rows, frozenset(title_lines), frozenset(spanned)


def _empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _trimmed(grid: list[list[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    """Without the empty lines and columns after the last value (a workbook's formatting
    reaches further than its data)."""
    while grid and all(_empty(value) for value in grid[-1]):
        grid.pop()
    width = 0
    for row in grid:
        for index in range(len(row) - 1, -1, -1):
            if not _empty(row[index]):
                width = max(width, index + 1)
                break
    return tuple(tuple(row[:width]) + (None,) * (width - len(row[:width])) for row in grid)


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV and the name of the encoding it was read in (French, marked)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), UTF8_BOM
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), UTF16
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in content:
        try:
            return content.decode("utf-8"), UTF8
        except UnicodeDecodeError:
            pass
        try:
            return content.decode("cp1252"), CP1252
        except UnicodeDecodeError:
            pass
    raise Unreadable(
        gettext_noop(
            "Ce fichier n'est ni un classeur XLSX ni un texte CSV lisible (UTF-8, UTF-16 ou "
            "Windows-1252) : enregistrez le registre au format .xlsx, ou en « CSV UTF-8 » "
            "depuis Excel."
        )
    )


def _records(text: str, separator: str, limit: int | None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records = []
    try:
        for record in reader:
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    except csv.Error as error:
        raise Unreadable(
            gettext_noop(
                "Ligne %(line)s du CSV illisible (%(error)s) : vérifiez les guillemets de cette "
                "ligne."
            ),
            line=reader.line_num,
            error=error,
        ) from None
    return records


def _separator(text: str) -> str:
    """The separator that splits the first lines into the most lines of the same width (above
    one column); ";" first when two do as well (French Excel's)."""
    best, best_score = "", (0, 0)
    for separator in SEPARATORS:
        widths = Counter(
            len(record) for record in _records(text, separator, 50) if any(map(str.strip, record))
        )
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        score = (count, width)
        if width > 1 and score > best_score:
            best, best_score = separator, score
    if not best:
        raise Unreadable(
            gettext_noop(
                "Une seule colonne lue : le séparateur des colonnes n'est ni le point-virgule, "
                "ni la virgule, ni la tabulation. Enregistrez le registre en CSV depuis Excel "
                "(ou en .xlsx)."
            )
        )
    return best


def _read_csv(content: bytes) -> Table:
    text, encoding = decode(content)
    separator = _separator(text)
    records = _records(text, separator, MAX_LINES + 1)
    if len(records) > MAX_LINES:
        raise _too_long()
    grid: list[list[Cell]] = [list(record) for record in records]
    rows = _trimmed(grid)
    return Table(
        kind=CSV,
        rows=rows,
        encoding=encoding,
        separator=separator,
        width=max((len(row) for row in rows), default=0),
    )
