"""What every page of the statistics, the annual synthesis and the improvement plan carries at
its foot: the organisation on the left, "Édité le … — page x / y" on the right, y written once
all pages are known (a form every page draws, filled in when the document closes)."""

from datetime import datetime
from typing import IO

from reportlab.pdfgen.canvas import Canvas

from reclamations.reporting.register_pdf import printable

GREY = (0.32, 0.38, 0.43)
_PAGE_COUNT = "page_count"
SIZE = 8


def new_canvas(
    target: str | IO[bytes], pagesize: tuple[float, float], *, organisation: str, title: str
) -> Canvas:
    canvas = Canvas(target, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(f"{title} - {organisation}")
    canvas.setAuthor(organisation)
    canvas.setCreator("Réclamations")
    return canvas


def draw_footer(
    canvas: Canvas,
    font: str,
    *,
    organisation: str,
    printed_at: datetime,
    page: int,
    left: float,
    right: float,
    baseline: float,
) -> None:
    canvas.setFont(font, SIZE)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(left, baseline, printable(organisation))
    canvas.drawRightString(
        right - 20, baseline, f"Édité le {printed_at:%d/%m/%Y à %H:%M} — page {page} / "
    )
    canvas.doForm(_PAGE_COUNT)
    canvas.setFillColorRGB(0, 0, 0)


def close_with_page_count(
    canvas: Canvas, font: str, *, pages: int, right: float, baseline: float
) -> None:
    """End the last page, write the number of pages every footer shows, save."""
    canvas.showPage()
    canvas.beginForm(_PAGE_COUNT)
    canvas.setFont(font, SIZE)
    canvas.setFillColorRGB(*GREY)
    canvas.drawString(right - 18, baseline, str(pages))
    canvas.endForm()
    canvas.save()
