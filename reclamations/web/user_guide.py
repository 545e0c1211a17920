"""The user guide: French Markdown files kept in the repository (reclamations/web/guide/),
rendered to HTML for the help pages.

markdown-it-py's "js-default" preset leaves raw HTML out (it is shown as text), so the
rendered page holds only what Markdown itself writes; links between guide files become the
help pages' addresses and images the static files served beside them (decision 0035)."""

from dataclasses import dataclass
from pathlib import Path

from django.templatetags.static import static
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.token import Token

GUIDE_DIR = Path(__file__).resolve().parent / "guide"
IMAGES_PREFIX = "images/"
STATIC_PREFIX = "reclamations/guide/"  # STATICFILES_DIRS' prefix for GUIDE_DIR/images
INDEX = "index"
# The guide's pages after its index, in reading order (file name without ".md").
PAGES: tuple[str, ...] = ("referent", "responsable", "auditeur")


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str  # the file's first "# " heading
    html: str


def _parser() -> MarkdownIt:
    parser = MarkdownIt("js-default")
    assert parser.options["html"] is False  # the guarantee the pages rely on
    return parser


def page_url(slug: str) -> str:
    return reverse("help") if slug == INDEX else reverse("help_page", args=[slug])


def _link_target(href: str) -> str:
    """A link to another guide file ("responsable.md#reglages") -> its help page."""
    path, _, anchor = href.partition("#")
    if "/" in path or not path.endswith(".md"):
        return href
    slug = path.removesuffix(".md")
    if slug != INDEX and slug not in PAGES:
        return href
    return page_url(slug) + (f"#{anchor}" if anchor else "")


def _rewrite(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            token.attrSet("href", _link_target(href))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if src.startswith(IMAGES_PREFIX):
                token.attrSet("src", static(STATIC_PREFIX + src.removeprefix(IMAGES_PREFIX)))
            token.attrSet("loading", "lazy")
        if token.children:
            _rewrite(token.children)


def source(slug: str) -> str:
    if slug != INDEX and slug not in PAGES:
        raise KeyError(slug)
    return (GUIDE_DIR / f"{slug}.md").read_text(encoding="utf-8")


def title_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line.removeprefix("# ").strip()
    return ""


def to_html(text: str) -> str:
    """Markdown -> HTML, raw HTML escaped, guide links and images made the application's."""
    parser = _parser()
    tokens = parser.parse(text)
    _rewrite(tokens)
    return str(parser.renderer.render(tokens, parser.options, {}))


def render(slug: str) -> GuidePage:
    """The guide page `slug` (KeyError for a name the guide does not have)."""
    text = source(slug)
    return GuidePage(slug=slug, title=title_of(text), html=to_html(text))


def contents() -> list[tuple[str, str]]:
    """(address, title) of every page after the index, in reading order."""
    return [(page_url(slug), title_of(source(slug))) for slug in PAGES]


def images_referenced(slug: str) -> list[str]:
    """The image paths a guide file names (relative to the guide folder): for the tests."""
    found: list[str] = []

    def walk(tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "image":
                found.append(str(token.attrGet("src") or ""))
            if token.children:
                walk(token.children)

    walk(_parser().parse(source(slug)))
    return found
