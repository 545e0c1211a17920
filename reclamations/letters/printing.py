"""A letter printed to PDF with WeasyPrint: the HTML layout (letters/letter.html), the CSS of
a window-envelope letter (letters/letter.css) and the fonts of core.fonts, embedded.

Only the font files may be read while printing: every other URL is refused, so that nothing a
letter says can make the printer fetch a file or reach the network.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from reclamations.core.fonts import font_files
from reclamations.core.french import MONTHS
from reclamations.letters.content import Letter
from reclamations.letters.typography import french_typography

_STYLESHEET = Path(__file__).parent / "templates" / "letters" / "letter.css"


def letter_date(letter: Letter) -> str:
    """ "29 novembre 2026", "1er décembre 2026": a letter's date as French writes it."""
    day = letter.dated
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def _font_urls() -> dict[str, str]:
    files = font_files()
    return {"regular": files.regular.as_uri(), "bold": files.bold.as_uri()}


MISSING_PANGO = (
    "Les lettres ne peuvent pas être imprimées sur ce serveur : la bibliothèque Pango manque "
    "(Debian, Ubuntu : apt-get install libpango-1.0-0 libpangoft2-1.0-0). Joignez la copie de "
    "la réponse envoyée, ou demandez à l'administrateur de l'installer."
)


@lru_cache(maxsize=1)
def printing_problem() -> str:
    """Why letters cannot be printed here, in French ("" when they can): WeasyPrint needs the
    system's Pango, which a server may lack; the rest of the application runs without it."""
    try:
        import weasyprint  # noqa: F401 - loaded on first use: Pango may be missing
    except OSError:
        return MISSING_PANGO
    return ""


def _fonts_only() -> Any:
    """A URL fetcher that reads the font files and nothing else; a font that cannot be read
    stops the printing (a letter is never printed in a font other than its own)."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in _font_urls().values():
                raise ValueError(f"A letter reads no file but its fonts, not {url}")
            return super().fetch(url, headers)

    return FontsOnly()


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@lru_cache(maxsize=1)
def _fonts_css() -> str:
    urls = _font_urls()
    return (
        f'@font-face {{ font-family: "LetterSans"; src: url("{urls["regular"]}"); }}\n'
        f'@font-face {{ font-family: "LetterSans"; font-weight: bold; '
        f'src: url("{urls["bold"]}"); }}\n'
    )


def _paragraphs(body: str) -> list[list[str]]:
    paragraphs: list[list[str]] = [[]]
    for line in french_typography(body).splitlines():
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [paragraph for paragraph in paragraphs if paragraph]


def letter_html(letter: Letter) -> str:
    """The letter as HTML (escaped: what the letter says is text, never markup)."""
    return render_to_string(
        "letters/letter.html",
        {
            "letter": letter,
            "title": f"{letter.subject} ({letter.reference})",
            "letterhead": [french_typography(line) for line in letter.letterhead],
            "dated": letter_date(letter),
            "subject": french_typography(letter.subject),
            "paragraphs": _paragraphs(letter.body),
            "enclosed": letter.enclosed,
        },
    )


@dataclass(frozen=True)
class Enclosure:
    """A file embedded in a printed document (a PDF attachment), kept byte for byte."""

    name: str
    content: bytes
    description: str = ""


def print_html(
    html: str,
    stylesheet: Path,
    *,
    footer: str = "",
    enclosures: Sequence[Enclosure] = (),
) -> bytes:
    """A document of the application printed to PDF: `html` (escaped text, never a URL to
    fetch), `stylesheet`, the embedded fonts, `footer` at the foot of every page, and
    `enclosures` embedded as attachments."""
    if printing_problem():
        raise RuntimeError(printing_problem())
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = _fonts_only()
    stylesheets = [
        CSS(string=_fonts_css(), font_config=font_config, url_fetcher=fetcher),
        CSS(filename=str(stylesheet), font_config=font_config, url_fetcher=fetcher),
        CSS(string=f"@page {{ @bottom-left {{ content: {_css_string(footer)}; }} }}"),
    ]
    attachments = [
        Attachment(
            file_obj=BytesIO(enclosure.content),
            name=enclosure.name,
            description=enclosure.description or None,
            url_fetcher=fetcher,
        )
        for enclosure in enclosures
    ]
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(
        stylesheets=stylesheets, font_config=font_config, attachments=attachments
    )
    assert isinstance(pdf, bytes)  # no target given: the bytes are returned
    return pdf


def letter_pdf(letter: Letter) -> bytes:
    """The PDF of `letter`: A4, its fonts embedded, page x / y and the footer on every page."""
    return print_html(letter_html(letter), _STYLESHEET, footer=letter.footer)
