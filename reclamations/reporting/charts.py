"""Bar charts drawn as SVG on the server (pure): they print, go into PDFs and need no script.

Readable without colour: the period is a solid bar, the period it is compared with an outlined
one, and every bar carries its figure in text. Each chart is an <svg role="img"> whose title
says what it shows; the page gives the same figures as a table for screen readers.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

LABEL_WIDTH = 200
BAR_WIDTH = 320
FIGURE_WIDTH = 90
ROW_HEIGHT = 30
WIDTH = LABEL_WIDTH + BAR_WIDTH + FIGURE_WIDTH
INK = "#1d4e89"
MAX_LABEL = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    previous: int | None = None  # the compared period's figure, drawn outlined


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _printable(text: str) -> str:
    # XML 1.0 refuses most control characters and lone surrogates: a label never breaks a page.
    return "".join(
        c
        for c in text
        if (c in "\t\n" or ord(c) >= 0x20) and not 0xD800 <= ord(c) <= 0xDFFF and c != "\ufffe"
    )


def _clean(text: str) -> str:
    return escape(_printable(text))


def bar_chart(
    title: str, bars: Sequence[Bar], *, compared: bool = True, empty: str = "Aucune donnée"
) -> str:
    """Horizontal bars, one row per label; with `compared`, a thin outlined bar under each for
    the period compared with; without bars, `empty` says so. Every text is drawn as given (the
    caller's language). Returns the <svg> element as text, everything escaped."""
    top = max([bar.value for bar in bars] + [bar.previous or 0 for bar in bars] + [1])
    height = ROW_HEIGHT * max(len(bars), 1) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" class="chart" font-family="sans-serif" '
        f'font-size="12"><title>{_clean(title)}</title>'
    ]
    if not bars:
        parts.append(f'<text x="0" y="20" fill="#52606d">{_clean(empty)}</text>')
    for row, bar in enumerate(bars):
        y = row * ROW_HEIGHT + 5
        length = round(BAR_WIDTH * bar.value / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 13}" text-anchor="end" fill="#1f2933">'
            f"{escape(_short(_printable(bar.label)))}</text>"
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length}" height="14" fill="{INK}"/>'
        )
        figure = f"{bar.value}"
        if compared and bar.previous is not None:
            previous = round(BAR_WIDTH * bar.previous / top, 1)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 18}" width="{previous}" height="6" '
                f'fill="none" stroke="{INK}" stroke-width="1"/>'
            )
            figure += f" ({bar.previous})"
        parts.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 13}" fill="#1f2933">'
            f"{_clean(figure)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
