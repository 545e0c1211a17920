"""A portrait A4 document drawn on a ReportLab canvas, as the statistics and the annual
synthesis print: headings, text, three-column tables and bar charts (solid bar for the period,
outlined for the one compared, every figure written: readable in black and white), a footer on
every page with the organisation, the date printed and "page x / y"."""

from datetime import datetime
from typing import IO

from reportlab.lib.pagesizes import A4

from reclamations.reporting.pdf_footer import close_with_page_count, draw_footer, new_canvas
from reclamations.reporting.register_pdf import pdf_fonts, wrap
from reclamations.reporting.statistics import Line, Spread, Statistics

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 40.0
TOP = PAGE_HEIGHT - MARGIN
BOTTOM = 50.0
LABEL_WIDTH = 170.0
BAR_WIDTH = 250.0
ROW = 16.0
INK = (0.114, 0.306, 0.537)  # the page's blue, #1d4e89


def spread_text(spread: Spread) -> str:
    if not spread.count:
        return "—"
    median = f"{spread.median:g}".replace(".", ",")
    return f"{median} j ; {spread.p90} j ({spread.count})"


def share_text(share: float | None, part: int, whole: int) -> str:
    if share is None:
        return "—"
    return f"{share:g} % ({part} sur {whole})".replace(".", ",")


class PortraitDocument:
    def __init__(
        self, target: str | IO[bytes], *, organisation: str, printed_at: datetime, title: str
    ) -> None:
        self.regular, self.bold = pdf_fonts()
        self.organisation = organisation
        self.printed_at = printed_at
        self.canvas = new_canvas(target, A4, organisation=organisation, title=title)
        self.page = 0
        self.y = TOP
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        draw_footer(
            self.canvas,
            self.regular,
            organisation=self.organisation,
            printed_at=self.printed_at,
            page=self.page,
            left=MARGIN,
            right=PAGE_WIDTH - MARGIN,
            baseline=BOTTOM - 22,
        )
        self.y = TOP

    def keep(self, height: float) -> None:
        """Start a new page unless `height` points fit on this one (a heading with what
        follows it)."""
        self._room(height)

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
        close_with_page_count(
            self.canvas,
            self.regular,
            pages=self.page,
            right=PAGE_WIDTH - MARGIN,
            baseline=BOTTOM - 22,
        )


def key_figure_rows(figures: Statistics) -> list[tuple[str, str, str]]:
    """The key figures beside the compared period's, with their header."""
    return [
        ("Indicateur", "Période", "Période comparée"),
        ("Réclamations reçues", str(figures.received), str(figures.received_before)),
        (
            "Réponses dans le délai",
            share_text(figures.on_time_share, figures.replied_on_time, figures.replied),
            share_text(
                figures.on_time_share_before,
                figures.replied_on_time_before,
                figures.replied_before,
            ),
        ),
        ("Délai de réponse", spread_text(figures.to_reply), spread_text(figures.to_reply_before)),
        (
            "Délai d'accusé de réception",
            spread_text(figures.to_acknowledge),
            spread_text(figures.to_acknowledge_before),
        ),
        ("Médiateur saisi", str(figures.mediation), str(figures.mediation_before)),
        ("Contentieux engagés", str(figures.litigation), str(figures.litigation_before)),
    ]
