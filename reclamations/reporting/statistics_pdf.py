"""The statistics of a period as a PDF to print or file with the management review: portrait
A4, the key figures beside the compared period's, then every chart drawn on the canvas (solid
bar for the period, outlined for the one compared, every figure written: readable in black and
white)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.register_pdf import pdf_fonts, printable, wrap
from reclamations.reporting.statistics import Line, Spread, Statistics, compute

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 40.0
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = 50.0
LABEL_WIDTH = 170.0
BAR_WIDTH = 250.0
ROW = 16.0
INK = (0.114, 0.306, 0.537)  # the page's blue, #1d4e89


@dataclass(frozen=True)
class PrintedStatistics:
    organisation: str
    printed_at: datetime
    figures: Statistics


def printed_statistics(
    organisation: Organisation,
    period: Period,
    *,
    today: date,
    scope: Mapping[str, str] | None = None,
) -> PrintedStatistics:
    return PrintedStatistics(
        organisation=organisation.legal_name or organisation.name,
        printed_at=timezone.now().astimezone(local_zone(organisation)),
        figures=compute(organisation, period, today=today, scope=scope),
    )


def _spread(spread: Spread) -> str:
    if not spread.count:
        return "—"
    median = f"{spread.median:g}".replace(".", ",")
    return f"{median} j ; {spread.p90} j ({spread.count})"


def _share(share: float | None, part: int, whole: int) -> str:
    if share is None:
        return "—"
    return f"{share:g} % ({part} sur {whole})".replace(".", ",")


class _Document:
    def __init__(self, target: str | IO[bytes], facts: PrintedStatistics) -> None:
        self.regular, self.bold = pdf_fonts()
        self.facts = facts
        self.canvas = Canvas(target, pagesize=A4, pageCompression=1)
        self.canvas.setTitle(f"Statistiques des réclamations - {facts.organisation}")
        self.canvas.setAuthor(facts.organisation)
        self.canvas.setCreator("Réclamations")
        self.page = 0
        self.y = TOP
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        canvas = self.canvas
        canvas.setFont(self.regular, 8)
        canvas.setFillColorRGB(0.32, 0.38, 0.43)
        canvas.drawString(MARGIN, BOTTOM - 22, printable(self.facts.organisation))
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN - 20,
            BOTTOM - 22,
            f"Édité le {self.facts.printed_at:%d/%m/%Y à %H:%M} — page {self.page} / ",
        )
        canvas.doForm("page_count")
        canvas.setFillColorRGB(0, 0, 0)
        self.y = TOP

    def _room(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self._start_page()

    def text(self, value: str, *, size: float = 10, bold: bool = False, gap: float = 4) -> None:
        font = self.bold if bold else self.regular
        for line in wrap(value, PAGE_WIDTH - 2 * MARGIN, font, size, 6):
            self._room(size + gap)
            self.y -= size + gap
            self.canvas.setFont(font, size)
            self.canvas.drawString(MARGIN, self.y, line)

    def table(self, rows: list[tuple[str, str, str]]) -> None:
        columns = (MARGIN, MARGIN + 270, MARGIN + 400)
        for number, cells in enumerate(rows):
            self._room(ROW)
            self.y -= ROW
            font = self.bold if number == 0 else self.regular
            for x, cell, width in zip(columns, cells, (265, 125, 115), strict=True):
                (line,) = wrap(cell, width, font, 8.5, 1) or [""]
                self.canvas.setFont(font, 8.5)
                self.canvas.drawString(x, self.y, line)
            self.canvas.setLineWidth(0.3)
            self.canvas.line(MARGIN, self.y - 4, PAGE_WIDTH - MARGIN, self.y - 4)

    def chart(self, title: str, lines: tuple[Line, ...], *, compared: bool = True) -> None:
        self._room(3 * ROW)
        self.y -= 10
        self.text(title, size=12, bold=True, gap=8)
        if not lines:
            self.text("Aucune réclamation.", size=9)
            return
        top = max([line.value for line in lines] + [line.previous or 0 for line in lines] + [1])
        canvas = self.canvas
        for line in lines:
            self._room(ROW)
            self.y -= ROW
            (label,) = wrap(line.label, LABEL_WIDTH - 8, self.regular, 8.5, 1) or [""]
            canvas.setFont(self.regular, 8.5)
            canvas.drawRightString(MARGIN + LABEL_WIDTH - 8, self.y, label)
            x = MARGIN + LABEL_WIDTH
            canvas.setFillColorRGB(*INK)
            canvas.rect(x, self.y - 1, BAR_WIDTH * line.value / top, 8, stroke=0, fill=1)
            figure = str(line.value)
            if compared and line.previous is not None:
                canvas.setStrokeColorRGB(*INK)
                canvas.setLineWidth(0.6)
                canvas.rect(x, self.y - 5, BAR_WIDTH * line.previous / top, 3, stroke=1, fill=0)
                figure += f" ({line.previous})"
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(x + BAR_WIDTH + 6, self.y, figure)

    def close(self) -> None:
        canvas = self.canvas
        canvas.showPage()
        canvas.beginForm("page_count")
        canvas.setFont(self.regular, 8)
        canvas.setFillColorRGB(0.32, 0.38, 0.43)
        canvas.drawString(PAGE_WIDTH - MARGIN - 18, BOTTOM - 22, str(self.page))
        canvas.endForm()
        canvas.save()


def write_statistics_pdf(target: str | IO[bytes], facts: PrintedStatistics) -> None:
    figures = facts.figures
    document = _Document(target, facts)
    document.text(facts.organisation, size=9)
    document.text("Statistiques des réclamations", size=18, bold=True, gap=10)
    scope = f", {figures.scope_text()}" if figures.scope else ""
    document.text(f"Réclamations reçues {figures.period.text()}{scope}.", size=10)
    document.text(
        f"Comparées à celles reçues {figures.compared.text()} : entre parenthèses, et en barre "
        f"fine sous chaque barre. Délais en {figures.unit} : médiane ; 90 % en moins de "
        "(nombre de réclamations).",
        size=9,
    )
    document.y -= 8
    document.text("En bref", size=12, bold=True, gap=8)
    document.table(
        [
            ("Indicateur", "Période", "Période comparée"),
            ("Réclamations reçues", str(figures.received), str(figures.received_before)),
            (
                "Réponses dans le délai",
                _share(figures.on_time_share, figures.replied_on_time, figures.replied),
                _share(
                    figures.on_time_share_before,
                    figures.replied_on_time_before,
                    figures.replied_before,
                ),
            ),
            ("Délai de réponse", _spread(figures.to_reply), _spread(figures.to_reply_before)),
            (
                "Délai d'accusé de réception",
                _spread(figures.to_acknowledge),
                _spread(figures.to_acknowledge_before),
            ),
            ("Médiateur saisi", str(figures.mediation), str(figures.mediation_before)),
            ("Contentieux engagés", str(figures.litigation), str(figures.litigation_before)),
        ]
    )
    document.chart("Réclamations reçues par mois", figures.by_month)
    for breakdown in figures.breakdowns:
        document.chart(breakdown.title, breakdown.lines)
    document.chart(
        "Réclamations ouvertes à ce jour, par ancienneté", figures.open_by_age, compared=False
    )
    document.y -= 10
    document.text("Réclamations répétées sur la période", size=12, bold=True, gap=8)
    counts = figures.repeat_counts
    document.text(
        f"{counts['client']} client(s), {counts['account']} compte(s) et {counts['training']} "
        "formation(s) font l'objet d'au moins deux réclamations.",
        size=9,
    )
    names = {"client": "Client", "account": "Compte", "training": "Formation"}
    for repeat in figures.repeats:
        document.text(f"{names[repeat.what]} : {repeat.value} ({repeat.complaints})", size=8.5)
    document.close()
