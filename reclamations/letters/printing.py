"""A letter printed to PDF with WeasyPrint: the HTML layout (letters/letter.html), the CSS of
a window-envelope letter (letters/letter.css) and the fonts of core.fonts, embedded.

Only the font files (and an image given inline, the organisation's logo) may be read while
printing: every other URL is refused, so that nothing a letter says, nor a layout a manager
writes, can make the printer fetch a file or reach the network.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.translation import gettext_noop

from reclamations.core.fonts import font_files
from reclamations.core.french import written_date
from reclamations.letters.content import DEFAULT_LAYOUT, Layout, Letter
from reclamations.letters.typography import french_typography

_TEMPLATES = Path(__file__).parent / "templates" / "letters"
_STYLESHEET = _TEMPLATES / "letter.css"
DEFAULT_HTML = (_TEMPLATES / "letter.html").read_text(encoding="utf-8")
DEFAULT_CSS = _STYLESHEET.read_text(encoding="utf-8")
# A layout's HTML is a template in Django's syntax, rendered without loaders or libraries:
# it reaches the letter's text, nothing else; what it prints is escaped.
LAYOUT_ENGINE = Engine(loaders=[], autoescape=True, string_if_invalid="", libraries={})
# Inline images only, as the logo is given: a layout cannot make the printer read a file.
_INLINE_IMAGES = ("data:image/png;base64,", "data:image/jpeg;base64,")


def letter_date(letter: Letter) -> str:
    """ "29 novembre 2026", "1er décembre 2026": a letter's date as French writes it."""
    return written_date(letter.dated)


def _font_urls() -> dict[str, str]:
    files = font_files()
    return {"regular": files.regular.as_uri(), "bold": files.bold.as_uri()}


# French where it is returned (the actions' refusals quote it); the pages translate it.
MISSING_PANGO = gettext_noop(
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


def _fonts_only(refused: list[str] | None = None) -> Any:
    """A URL fetcher that reads the font files and inline images, and nothing else (each URL
    refused is added to `refused`); a font that cannot be read stops the printing (a letter is
    never printed in a font other than its own)."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in _font_urls().values() and not url.startswith(_INLINE_IMAGES):
                if refused is not None:
                    refused.append(url)
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


def layout_context(letter: Letter, layout: Layout) -> dict[str, Any]:
    """What a layout's HTML may use (LAYOUT_VARIABLES says it to managers)."""
    return {
        "letter": letter,
        "title": f"{letter.subject} ({letter.reference})",
        "letterhead": [french_typography(line) for line in letter.letterhead],
        "dated": letter_date(letter),
        "subject": french_typography(letter.subject),
        "paragraphs": _paragraphs(letter.body),
        "enclosed": letter.enclosed,
        "logo": layout.logo_uri,
    }


@lru_cache(maxsize=32)
def _compiled(source: str) -> Any:
    return LAYOUT_ENGINE.from_string(source)


def letter_html(letter: Letter, layout: Layout = DEFAULT_LAYOUT) -> str:
    """The letter as HTML in `layout` (escaped: what the letter says is text, never markup)."""
    template = _compiled(layout.html or DEFAULT_HTML)
    return str(template.render(Context(layout_context(letter, layout))))


@dataclass(frozen=True)
class Enclosure:
    """A file embedded in a printed document (a PDF attachment), kept byte for byte."""

    name: str
    content: bytes
    description: str = ""


def _stylesheets(stylesheet: Path | str, footer: str, font_config: Any, fetcher: Any) -> list[Any]:
    from weasyprint import CSS

    own = (
        CSS(filename=str(stylesheet), font_config=font_config, url_fetcher=fetcher)
        if isinstance(stylesheet, Path)
        else CSS(string=stylesheet, font_config=font_config, url_fetcher=fetcher)
    )
    return [
        CSS(string=_fonts_css(), font_config=font_config, url_fetcher=fetcher),
        own,
        CSS(string=f"@page {{ @bottom-left {{ content: {_css_string(footer)}; }} }}"),
    ]


def laid_out(html: str, stylesheet: Path | str, *, footer: str = "") -> tuple[Any, list[str]]:
    """The document WeasyPrint lays out (its pages and boxes, to check where things fall), and
    the URLs it was refused; no document when a refused URL stopped it."""
    if printing_problem():
        raise RuntimeError(printing_problem())
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    refused: list[str] = []
    font_config = FontConfiguration()
    fetcher = _fonts_only(refused)
    try:
        stylesheets = _stylesheets(stylesheet, footer, font_config, fetcher)
        document = HTML(string=html, url_fetcher=fetcher).render(
            stylesheets=stylesheets, font_config=font_config
        )
    except FatalURLFetchingError:  # a BaseException: every refusal stops the printing
        return None, refused
    return document, refused


def print_html(
    html: str,
    stylesheet: Path | str,
    *,
    footer: str = "",
    enclosures: Sequence[Enclosure] = (),
) -> bytes:
    """A document of the application printed to PDF: `html` (escaped text, never a URL to
    fetch), `stylesheet` (a file, or the CSS itself), the embedded fonts, `footer` at the foot
    of every page, and `enclosures` embedded as attachments."""
    if printing_problem():
        raise RuntimeError(printing_problem())
    from weasyprint import HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = _fonts_only()
    stylesheets = _stylesheets(stylesheet, footer, font_config, fetcher)
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


def letter_pdf(letter: Letter, layout: Layout = DEFAULT_LAYOUT) -> bytes:
    """The PDF of `letter` in `layout` (the default one unless the organisation has its own):
    A4, its fonts embedded, page x / y and the footer on every page."""
    return print_html(letter_html(letter, layout), layout.css or DEFAULT_CSS, footer=letter.footer)
