"""The register printed: landscape A4, one line per complaint, to print, sign and hand over.

Every page says whose register it is, what it holds (period and filters), when it was printed,
the state of the chronology it was printed from (verified, with the fingerprint it ends with)
and the procedure in force; the last page closes the register with room for a signature.

Drawn with ReportLab's canvas, a page at a time (docs/decisions/0009): what a spreadsheet holds
in full (CSV, XLSX), a printed register summarises, each cell kept to a few lines.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import IO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from reclamations.complaints import chain
from reclamations.complaints.fields import choices_of
from reclamations.complaints.queries import ORDER_LABELS, RegisterFilters
from reclamations.core.fonts import font_files
from reclamations.core.french import counted
from reclamations.reporting.register_export import (
    ExportRow,
    actions_text,
    on_time_text,
    shown,
)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 28.0  # about 10 mm: within what any printer prints
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = 52.0  # above the footer's two lines
SIZE = 7.0  # the table's text
LEADING = 8.6
PADDING = 2.5
ELLIPSIS = "…"

# The most complaints one printed register holds (about 6,300 pages): a PDF is built whole
# before it is written, so this bounds its memory; beyond it, a shorter period, or the
# spreadsheet, which has no limit.
MAX_COMPLAINTS = 50_000


@dataclass(frozen=True)
class _PrintColumn:
    header: str
    width: float  # points; the widths fill the page between its margins
    max_lines: int


_COLUMNS = (
    _PrintColumn("Référence", 62, 2),
    _PrintColumn("Reçue le", 46, 1),
    _PrintColumn("Canal", 44, 2),
    _PrintColumn("Client\nCompte", 92, 4),
    _PrintColumn("Nature", 52, 2),
    _PrintColumn("Description (résumé)", 136, 6),
    _PrintColumn("Actions et solution", 178, 10),
    _PrintColumn("Réponse\nle", 46, 1),
    _PrintColumn("Jours\nouvr.", 28, 1),
    _PrintColumn("Dans le\ndélai", 32, 1),
    _PrintColumn("Statut", 70, 3),
)


@dataclass(frozen=True)
class PrintedRegister:
    """What the printed register says around its lines."""

    organisation: str  # its legal name when it has one
    identity: str  # "SIRET … · NDA …", or ""
    signatory: str  # who usually signs it ("Fanny Maltese, Référente pédagogique"), or ""
    filters: RegisterFilters
    printed_at: datetime  # in the organisation's time zone
    procedure_version: str
    chain_report: chain.ChainReport
    last_hash: str


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _label(name: str, value: str) -> str:
    return dict(choices_of(name)).get(value, value)


def scope_text(filters: RegisterFilters) -> str:
    """The period the register covers, in words."""
    start, end = filters.received_from, filters.received_to
    if start and end:
        return f"Réclamations reçues du {_day(start)} au {_day(end)}"
    if start:
        return f"Réclamations reçues à partir du {_day(start)}"
    if end:
        return f"Réclamations reçues jusqu'au {_day(end)}"
    return "Toutes les réclamations enregistrées"


def filters_text(filters: RegisterFilters) -> str:
    """The other filters the register was printed with, in words ("" when none)."""
    chosen = [
        f"{title} : {_label(name, value)}"
        for title, name, value in (
            ("statut", "status", filters.status),
            ("nature", "kind", filters.kind),
            ("canal", "channel", filters.channel),
            ("type de client", "client_type", filters.client_type),
            ("catégorie", "category", filters.category),
        )
        if value
    ]
    chosen += [
        f"{title} : « {value} »"
        for title, value in (
            ("formation", filters.training),
            ("session", filters.session),
            ("formateur", filters.trainer),
            ("financeur", filters.funder),
            ("cause", filters.cause),
        )
        if value
    ]
    if filters.search:
        chosen.append(f"recherche « {filters.search} »")
    if filters.open_only:
        chosen.append("ouvertes seulement")
    if filters.due_soon:
        chosen.append("échéance proche")
    if filters.overdue is True:
        chosen.append("en retard")
    elif filters.overdue is False:
        chosen.append("hors retard")
    return "Filtres : " + " ; ".join(chosen) if chosen else ""


def chain_text(facts: PrintedRegister) -> str:
    """The state of the chronology, as the footer of every page says it."""
    checked = f"le {facts.printed_at:%d/%m/%Y à %H:%M}"
    report = facts.chain_report
    if report.ok:
        events = counted(report.checked, "événement", "événements")
        return (
            f"Chronologie vérifiée {checked} : intègre ({events}), "
            f"dernière empreinte {facts.last_hash or '(aucune)'}"
        )
    return (
        f"ATTENTION : chronologie vérifiée {checked} et ALTÉRÉE à l'événement "
        f"n° {report.broken_sequence} ({report.problem}) : ce registre ne peut pas en attester"
    )


def _cells(row: ExportRow) -> tuple[str, ...]:
    account = row["client_account"]
    solution = row["resolution"]
    actions = actions_text(row)
    if solution:
        actions = f"{actions}\nSolution : {solution}" if actions else f"Solution : {solution}"
    days = row.days_to_reply
    return (
        row.reference,
        _day(row["received_on"]),
        str(shown(row, "channel")),
        f"{row['client_name']}\n{account}" if account else str(row["client_name"]),
        str(shown(row, "kind")),
        " ".join((row["description"] or "").split()),  # a summary: the letter's lines joined
        actions,
        _day(row["first_replied_on"]),
        "" if days is None else str(days),
        on_time_text(row),
        str(shown(row, "status")),
    )


REGULAR, BOLD = "RegisterSans", "RegisterSans-Bold"


@lru_cache(maxsize=1)
def pdf_fonts() -> tuple[str, str]:
    """Registers the register's fonts once (embedded, subset, in every PDF)."""
    files = font_files()
    pdfmetrics.registerFont(TTFont(REGULAR, str(files.regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(files.bold)))
    return REGULAR, BOLD


def printable(text: str) -> str:
    """The text without what a page cannot show: control characters, lone surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(
        character if character >= " " or character == "\n" else " " for character in text
    )


def wrap(text: str, width: float, font: str, size: float, max_lines: int) -> list[str]:
    """The text in lines no wider than `width`, words cut only when one is wider than a line;
    at most `max_lines`, the last one ending with "…" when the text goes on."""
    # A cell shows a few lines: reading more of a long text would cost time and show nothing.
    limit = max_lines * 200
    cut_short = len(text) > limit
    text = printable(text[:limit])
    measure = pdfmetrics.stringWidth
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if measure(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while measure(word, font, size) > width and len(word) > 1:
                cut = _longest_fitting(word, width, font, size)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        if line:
            lines.append(line)
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines or (lines and cut_short):
        lines = lines[:max_lines]
        last = lines[-1]
        while last and measure(last + ELLIPSIS, font, size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return lines


def _longest_fitting(word: str, width: float, font: str, size: float) -> int:
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


class _Pages:
    """The canvas, with where the next line goes and the pages' header and footer."""

    def __init__(self, target: str | IO[bytes], facts: PrintedRegister) -> None:
        self.regular, self.bold = pdf_fonts()
        self.facts = facts
        self.canvas = Canvas(target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
        self.canvas.setTitle(f"Registre des réclamations - {facts.organisation}")
        self.canvas.setAuthor(facts.organisation)
        self.canvas.setSubject(scope_text(facts.filters))
        self.canvas.setCreator("Réclamations")
        self.page = 0
        self.y = TOP
        self.shaded = False
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        canvas, facts = self.canvas, self.facts
        canvas.setFont(self.bold, 11)
        canvas.drawString(
            MARGIN, TOP - 10, printable(f"Registre des réclamations — {facts.organisation}")
        )
        canvas.setFont(self.regular, 8)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN, TOP - 10, f"Édité le {facts.printed_at:%d/%m/%Y à %H:%M}"
        )
        order = ORDER_LABELS.get(facts.filters.order, "")
        subtitle = " · ".join(
            part
            for part in (
                scope_text(facts.filters),
                filters_text(facts.filters),
                f"Ordre : {order.lower()}",
            )
            if part
        )
        self.y = TOP - 22
        for line in (facts.identity, subtitle):
            if line:
                canvas.drawString(MARGIN, self.y, printable(line)[:220])
                self.y -= 11
        self.y -= 2
        self._column_headers()
        self._footer()

    def _column_headers(self) -> None:
        canvas = self.canvas
        height = 2 * LEADING + 2 * PADDING
        canvas.setFillGray(0.85)
        canvas.rect(MARGIN, self.y - height, PAGE_WIDTH - 2 * MARGIN, height, stroke=0, fill=1)
        canvas.setFillGray(0)
        canvas.setFont(self.bold, SIZE)
        x = MARGIN
        for column in _COLUMNS:
            for number, line in enumerate(column.header.split("\n")):
                canvas.drawString(x + PADDING, self.y - PADDING - SIZE - number * LEADING, line)
            x += column.width
        self.y -= height

    def _footer(self) -> None:
        canvas = self.canvas
        facts = self.facts
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, BOTTOM - 8, PAGE_WIDTH - MARGIN, BOTTOM - 8)
        broken = not facts.chain_report.ok
        canvas.setFont(self.bold if broken else self.regular, 7)
        canvas.drawString(MARGIN, BOTTOM - 20, printable(chain_text(facts)))
        canvas.setFont(self.regular, 7)
        procedure = facts.procedure_version or "non renseignée"
        canvas.drawString(
            MARGIN,
            BOTTOM - 30,
            printable(f"Procédure de traitement des réclamations en vigueur : {procedure}"),
        )
        label = f"Page {self.page} / "
        x = PAGE_WIDTH - MARGIN - pdfmetrics.stringWidth("Page 0000 / 0000", self.regular, 8)
        canvas.setFont(self.regular, 8)
        canvas.drawString(x, BOTTOM - 30, label)
        canvas.saveState()
        canvas.translate(x + pdfmetrics.stringWidth(label, self.regular, 8), BOTTOM - 30)
        canvas.doForm("page_count")  # drawn once all pages are known (see close)
        canvas.restoreState()

    def _new_page(self) -> None:
        self.canvas.showPage()
        self._start_page()

    def line(self, cells: tuple[str, ...]) -> None:
        """One complaint; on the next page when it does not fit on this one."""
        wrapped = [
            wrap(text, column.width - 2 * PADDING, self.regular, SIZE, column.max_lines)
            for text, column in zip(cells, _COLUMNS, strict=True)
        ]
        height = max(len(lines) for lines in wrapped) * LEADING + 2 * PADDING
        if self.y - height < BOTTOM:
            self._new_page()
        canvas = self.canvas
        if self.shaded:  # every other line, to follow a line across the page on paper
            canvas.setFillGray(0.94)
            canvas.rect(MARGIN, self.y - height, PAGE_WIDTH - 2 * MARGIN, height, stroke=0, fill=1)
            canvas.setFillGray(0)
        self.shaded = not self.shaded
        text = canvas.beginText()
        text.setFont(self.regular, SIZE, LEADING)
        x = MARGIN
        for lines, column in zip(wrapped, _COLUMNS, strict=True):
            text.setTextOrigin(x + PADDING, self.y - PADDING - SIZE)
            for line in lines:
                text.textLine(line)
            x += column.width
        canvas.drawText(text)
        self.y -= height

    def note(self, text: str, *, bold: bool = False, gap: float = 0) -> None:
        """A line of text across the page (the end of the register)."""
        if self.y - gap - 12 < BOTTOM:
            self._new_page()
        self.y -= gap + 12
        self.canvas.setFont(self.bold if bold else self.regular, 9)
        self.canvas.drawString(MARGIN, self.y, printable(text))

    def close(self) -> None:
        canvas = self.canvas
        canvas.showPage()
        canvas.beginForm("page_count")
        canvas.setFont(self.regular, 8)
        canvas.drawString(0, 0, str(self.page))
        canvas.endForm()
        canvas.save()


def write_register_pdf(
    rows: Iterable[ExportRow], facts: PrintedRegister, target: str | IO[bytes]
) -> int:
    """Writes the printed register; returns the number of complaints it holds."""
    pages = _Pages(target, facts)
    count = 0
    for row in rows:
        pages.line(_cells(row))
        count += 1
    if count == 0:
        pages.note("Aucune réclamation pour cette période et ces filtres.", gap=6)
    closing = (
        f"Registre arrêté à {counted(count, 'réclamation', 'réclamations')}"
        f" le {facts.printed_at:%d/%m/%Y}."
    )
    pages.note(closing, bold=True, gap=14)
    signatory = facts.signatory or "_" * 40
    pages.note(f"Nom et fonction : {signatory}      Signature : " + "_" * 40, gap=22)
    pages.close()
    return count
