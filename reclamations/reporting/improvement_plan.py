"""The improvement plan (Qualiopi indicator 32) as files: a workbook of one line per action,
and a PDF on landscape A4 to file with the management review or hand to an auditor (each
action with its origin, cause, owner, due date, status, what was done and the check of its
effectiveness)."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO

from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape

from reclamations.complaints.enums import (
    CheckResult,
    ImprovementSource,
    ImprovementStatus,
    improvement_status_label,
)
from reclamations.complaints.improvement_queries import PlanLine
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.reporting.pdf_footer import close_with_page_count, draw_footer, new_canvas
from reclamations.reporting.register_export import Value
from reclamations.reporting.register_pdf import pdf_fonts, printable, wrap
from reclamations.reporting.spreadsheets import write_xlsx_table

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Référence", 13),
    ("Décidée le", 12),
    ("Intitulé", 36),
    ("Description", 50),
    ("Origine", 18),
    ("Précision sur l'origine", 24),
    ("Réclamations", 24),
    ("Cause traitée", 30),
    ("Responsable", 20),
    ("Échéance", 12),
    ("En retard", 10),
    ("Statut", 22),
    ("Réalisée le", 12),
    ("Ce qui a été fait", 40),
    ("Efficacité vérifiée le", 14),
    ("Résultat", 20),
    ("Preuves de l'efficacité", 40),
    ("Clôturée le", 12),
    ("Motif de l'abandon", 30),
)
_SOURCES = dict(ImprovementSource.choices)
_RESULTS = dict(CheckResult.choices)


def plan_rows(lines: Sequence[PlanLine]) -> Iterator[list[Value]]:
    for line in lines:
        action = line.action
        yield [
            action.reference,
            action.created_on,
            action.title,
            action.description,
            str(_SOURCES.get(action.source, action.source)),
            action.source_detail,
            ", ".join(line.complaints),
            action.cause,
            action.owner.display_name if action.owner else "",
            action.due_date,
            "oui" if line.overdue else "non",
            improvement_status_label(action.status),
            action.done_on,
            action.done_summary,
            action.checked_on,
            str(_RESULTS.get(action.check_result, action.check_result)),
            action.check_evidence,
            action.closed_on,
            action.abandon_reason,
        ]


def write_plan_xlsx(lines: Sequence[PlanLine], target: str | IO[bytes]) -> None:
    write_xlsx_table(target, "Plan d'amélioration", COLUMNS, plan_rows(lines))


# --- PDF ----------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 32.0
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = 46.0
SIZE = 7.5
LEADING = 9.0
# (title, width in points) of the printed columns; their cells are worked out in _cells.
_PRINTED = (
    ("Référence", 58),
    ("Action", 190),
    ("Origine et cause", 120),
    ("Responsable, échéance", 88),
    ("Statut", 70),
    ("Réalisation", 120),
    ("Efficacité", 132),
)
MAX_LINES = 8


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _cells(line: PlanLine) -> tuple[str, ...]:
    action = line.action
    origin = str(_SOURCES.get(action.source, action.source))
    if action.source_detail:
        origin += f" : {action.source_detail}"
    if line.complaints:
        origin += f" ({', '.join(line.complaints)})"
    if action.cause:
        origin += f". Cause : {action.cause}"
    owner = action.owner.display_name if action.owner else "Non désigné"
    due = f"{owner}, pour le {_day(action.due_date)}" + (" (en retard)" if line.overdue else "")
    done = f"{_day(action.done_on)} : {action.done_summary}" if action.done_on else ""
    if action.check_result:
        result = str(_RESULTS.get(action.check_result, action.check_result))
        checked = f"{result} ({_day(action.checked_on)}) : {action.check_evidence}"
    else:
        checked = "À vérifier" if action.status == ImprovementStatus.DONE else ""
    status = improvement_status_label(action.status)
    if action.closed_on:
        status += f" le {_day(action.closed_on)}"
    if action.abandon_reason:
        status += f" : {action.abandon_reason}"
    title = f"{action.title}. {action.description}"
    return (action.reference, title, origin, due, status, done, checked)


class _PlanPages:
    def __init__(self, target: str | IO[bytes], organisation: str, printed_at: datetime) -> None:
        self.regular, self.bold = pdf_fonts()
        self.organisation = organisation
        self.printed_at = printed_at
        self.canvas = new_canvas(
            target,
            (PAGE_WIDTH, PAGE_HEIGHT),
            organisation=organisation,
            title="Plan d'amélioration",
        )
        self.page = 0
        self.y = TOP

    def start_page(self, heading: bool) -> None:
        self.page += 1
        canvas = self.canvas
        draw_footer(
            canvas,
            self.regular,
            organisation=self.organisation,
            printed_at=self.printed_at,
            page=self.page,
            left=MARGIN,
            right=PAGE_WIDTH - MARGIN,
            baseline=BOTTOM - 22,
        )
        self.y = TOP
        if heading:
            self.y -= 10
            canvas.setFont(self.regular, 9)
            canvas.drawString(MARGIN, self.y, printable(self.organisation))
            canvas.setFont(self.bold, 16)
            self.y -= 22
            canvas.drawString(MARGIN, self.y, "Plan d'amélioration")
            self.y -= 8
        self.header()

    def header(self) -> None:
        canvas = self.canvas
        self.y -= 14
        canvas.setFont(self.bold, SIZE)
        x = MARGIN
        for title, width in _PRINTED:
            canvas.drawString(x, self.y, title)
            x += width
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, self.y - 3, PAGE_WIDTH - MARGIN, self.y - 3)
        self.y -= 4

    def row(self, cells: tuple[str, ...]) -> None:
        wrapped = [
            wrap(cell, width - 6, self.regular, SIZE, MAX_LINES) or [""]
            for cell, (_title, width) in zip(cells, _PRINTED, strict=True)
        ]
        height = LEADING * max(len(lines) for lines in wrapped) + 4
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self.start_page(heading=False)
        canvas = self.canvas
        canvas.setFont(self.regular, SIZE)
        x = MARGIN
        for lines, (_title, width) in zip(wrapped, _PRINTED, strict=True):
            for number, text in enumerate(lines):
                canvas.drawString(x, self.y - LEADING * (number + 1), text)
            x += width
        self.y -= height
        canvas.setLineWidth(0.3)
        canvas.line(MARGIN, self.y + 1, PAGE_WIDTH - MARGIN, self.y + 1)

    def note(self, text: str) -> None:
        self.y -= 16
        self.canvas.setFont(self.regular, 9)
        self.canvas.drawString(MARGIN, self.y, text)

    def close(self) -> None:
        close_with_page_count(
            self.canvas,
            self.regular,
            pages=self.page,
            right=PAGE_WIDTH - MARGIN,
            baseline=BOTTOM - 22,
        )


def write_plan_pdf(
    lines: Sequence[PlanLine],
    target: str | IO[bytes],
    *,
    organisation: Organisation,
    scope: str,
) -> None:
    """The plan on landscape A4: organisation, what it covers, date printed, page x / y."""
    printed_at = timezone.now().astimezone(local_zone(organisation))
    pages = _PlanPages(target, organisation.legal_name or organisation.name, printed_at)
    pages.start_page(heading=True)
    for line in lines:
        pages.row(_cells(line))
    closed = sum(1 for line in lines if line.action.status == ImprovementStatus.CLOSED)
    if lines:
        pages.note(f"{scope} : {len(lines)} action(s), dont {closed} clôturée(s).")
    else:
        pages.note(f"{scope} : aucune action d'amélioration.")
    pages.close()
