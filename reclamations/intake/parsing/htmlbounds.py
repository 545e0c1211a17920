"""An email's HTML checked before the sanitiser, in one linear pass, so that none of it costs
more than linear time and no text is lost on the way. Pure: no Django.

nh3 parses HTML as a browser does (html5ever), with two faults for a complaints mailbox:
- Time. Each block start tag searches the stack of open elements, and the formatting elements
  still open (b, font...) are re-opened inside every later block: 10,000 nested <blockquote>
  (1 MB) took minutes, and 100 unclosed <b> made 100 KB of HTML 5.8 MB. HTML nested deeper
  than MAX_DEPTH (or long and deep: MAX_DEPTH_WORK), or re-opening formatting elements more
  than MAX_REOPENED times, is "too complex": it never reaches nh3, its text is read by
  `stripped_text` and shown instead.
- Text lost. <svg> and <math> switch the parser to foreign content, whose elements nh3 removes
  with all their text (an SVG's <text>, a formula's <mi>), and after an unclosed <svg><style>
  every later word outside a block tag. So inside them only the tags nh3 keeps anyway stay;
  the others go and their text stays, except an SVG's own style sheet or script (text without
  a tag in it, closed by its end tag), which nobody wrote to be read.

The counts are an estimate from the tags alone (no stack, no implied end tags): they may find
more nesting than a browser would, never less; a message wrongly found too complex is shown as
its complete text. nh3 still runs on all HTML that is shown: nothing here decides what is safe.
"""

import html as html_module
import re
from collections.abc import Collection
from typing import NamedTuple

# Open elements (div, blockquote, table, span...): a reply chain quoted by Gmail takes three a
# reply.
MAX_DEPTH = 500
# The open elements each start tag finds, summed over the message: what nh3's time grows with.
# 512 KB of HTML (the most a page shows) 300 elements deep all along stays under it.
MAX_DEPTH_WORK = 10_000_000
# Formatting elements re-opened inside later elements, over the whole message, beyond the
# first four open at once (a link in bold italics in a font is ordinary).
MAX_REOPENED = 20_000
_USUAL_FORMATTING = 4
# So few tags that neither can cost much: no need to count.
_FEW_TAGS = 200

# A start or end tag. "[^<>]*" and not "[^>]*": an unclosed "<a " must not search the rest of
# the text for a ">" (quadratic). Tags inside comments and style sheets count too.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)([^<>]*)>")
_TAG_NAMES = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*>")
# SVG and MathML element names: nh3 removes elements so named with all their text, even in
# plain HTML (a <text> or <g> some mailer wrote).
_FOREIGN_NAMES = frozenset({
    "svg", "math", "altglyph", "altglyphdef", "altglyphitem", "animate", "animatecolor",
    "animatemotion", "animatetransform", "circle", "clippath", "cursor", "defs", "desc", "ellipse",
    "feblend", "fecolormatrix", "fecomponenttransfer", "fecomposite", "feconvolvematrix",
    "fediffuselighting", "fedisplacementmap", "fedistantlight", "fedropshadow", "feflood",
    "fefunca", "fefuncb", "fefuncg", "fefuncr", "fegaussianblur", "feimage", "femerge",
    "femergenode", "femorphology", "feoffset", "fepointlight", "fespecularlighting", "fespotlight",
    "fetile", "feturbulence", "filter", "foreignobject", "g", "glyph", "glyphref", "hkern", "line",
    "lineargradient", "marker", "mask", "metadata", "mpath", "path", "pattern", "polygon",
    "polyline", "radialgradient", "rect", "set", "stop", "switch", "symbol", "text", "textpath",
    "tref", "tspan", "use", "view", "vkern", "maction", "maligngroup", "malignmark", "menclose",
    "merror", "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn",
    "mo", "mover", "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries",
    "mscarry", "msgroup", "msline", "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub",
    "msubsup", "msup", "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics",
    "annotation", "annotation-xml",
})  # fmt: skip
_FOREIGN_START = re.compile(
    r"</?(?:" + "|".join(sorted(_FOREIGN_NAMES, key=len, reverse=True)) + r")[\s/>]",
    re.IGNORECASE,
)
_TAG_LIKE = re.compile(r"<[A-Za-z/]")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
})  # fmt: skip
# Never nested in one another by the parser: a new one closes the last.
_NOT_NESTED = frozenset({
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body", "frameset",
})  # fmt: skip
_FORMATTING = frozenset({
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
})  # fmt: skip


class BoundedHtml(NamedTuple):
    html: str  # SVG and MathML made plain HTML
    too_complex: bool  # not for nh3: read its text with stripped_text


def bound_html(html: str, kept: Collection[str]) -> BoundedHtml:
    """`html` with its SVG and MathML made plain, and whether it is too complex for nh3.
    `kept`: the tags nh3 keeps, the only ones left inside SVG and MathML."""
    if _FOREIGN_START.search(html):
        html = _Foreign(html, kept).plain()
    return BoundedHtml(html, html.count("<") > _FEW_TAGS and _too_complex(html))


def _too_complex(html: str) -> bool:
    open_by_name: dict[str, int] = {}
    depth = formatting = reopened = depth_work = 0
    for closing, tag in _TAG_NAMES.findall(html):
        name = tag.lower()
        if closing:
            if open_by_name.get(name):
                open_by_name[name] -= 1
                depth -= 1
                if name in _FORMATTING:
                    formatting -= 1
        elif name in _FORMATTING:
            if name != "a" or not open_by_name.get("a"):  # a link in a link closes the first
                open_by_name[name] = open_by_name.get(name, 0) + 1
                depth += 1
                formatting += 1
        else:
            # Any other element: the formatting elements open are re-opened inside it.
            if formatting > _USUAL_FORMATTING:
                reopened += formatting - _USUAL_FORMATTING
                if reopened > MAX_REOPENED:
                    return True
            if name not in _VOID and name not in _NOT_NESTED:
                open_by_name[name] = open_by_name.get(name, 0) + 1
                depth += 1
            depth_work += depth
        if depth > MAX_DEPTH or depth_work > MAX_DEPTH_WORK:
            return True
    return False


class _Foreign:
    """Copies HTML, SVG and MathML elements (and tags so named) left out, their text kept."""

    def __init__(self, html: str, kept: Collection[str]) -> None:
        self.html = html
        self.lower = html.lower()
        self.kept = kept
        self.out: list[str] = []
        self.depth = 0  # svg and math elements open
        # Where the next "</style" or "</script" is: searched once per name and position.
        self.end_tags: dict[str, int] = {}

    def plain(self) -> str:
        html, position = self.html, 0
        while True:
            if not self.depth:
                start = _FOREIGN_START.search(html, position)
                if start is None:
                    break
                self.out.append(html[position : start.start()])
                position = start.start()
            match = _TAG.search(html, position)
            if match is None:
                break
            self.out.append(html[position : match.start()])
            position = self.tag(match)
        self.out.append(html[position:])
        return "".join(self.out)

    def tag(self, match: re.Match[str]) -> int:
        """Copies what stays of this tag; returns where the text goes on."""
        closing, name = match.group(1), match.group(2).lower()
        if not self.depth and name not in _FOREIGN_NAMES:
            self.out.append(match.group(0))
            return match.end()
        if name in ("svg", "math"):
            if closing:
                self.depth = max(0, self.depth - 1)
            elif not match.group(3).rstrip().endswith("/"):
                self.depth += 1
            return match.end()
        if not closing and name in ("style", "script"):
            end = self.end_of(name, match.end())
            if end != -1 and _TAG_LIKE.search(self.html, match.end(), end) is None:
                close = self.html.find(">", end)
                return len(self.html) if close == -1 else close + 1
        if name in self.kept:
            self.out.append(match.group(0))
        return match.end()

    def end_of(self, name: str, start: int) -> int:
        found = self.end_tags.get(name)
        if found is None or (found != -1 and found < start):
            found = self.lower.find("</" + name, start)
            self.end_tags[name] = found
        return found


# --- Text without nh3, for HTML too complex for it -------------------------------------------

_NOT_TEXT = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|title|template|textarea|select)\b[^<>]*>.*?(?:</\1\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_LINE_BREAKING = re.compile(
    r"</?(?:p|div|br|tr|table|ul|ol|blockquote|pre|hr|dl|dt|dd|h[1-6]|section|article|header"
    r"|footer|address|form|fieldset|center)\b[^<>]*>",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_CELL = re.compile(r"<t[dh]\b[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")  # in HTML, a line break in the source is a space
_SPACES = re.compile(r"[ \xa0]+")
_SPACED_LINES = re.compile(r" *\n *")
_BLANK_LINES = re.compile(r"\n{3,}")


def stripped_text(html: str) -> str:
    """The text of any HTML in linear time: no script, style sheet or comment; a line for each
    block, "- " before a list item. Plainer than the sanitiser's way, never slower."""
    text = _WHITESPACE.sub(" ", _NOT_TEXT.sub("", html))
    text = _LINE_BREAKING.sub("\n", text)
    text = _LIST_ITEM.sub("\n- ", text)
    text = _CELL.sub(" ", text)
    text = html_module.unescape(_ANY_TAG.sub("", text))
    text = _SPACED_LINES.sub("\n", _SPACES.sub(" ", text))
    return _BLANK_LINES.sub("\n\n", text).strip()
