"""Bytes -> text: charsets, tolerant base64, body text cleaning, HTML. Pure: no Django.

Decoding never fails: a wrong or unknown charset falls back to UTF-8, then Windows-1252, and
the caller gets a French note saying what was repaired. HTML is only ever shown sanitised.
"""

import binascii
import codecs
import functools
import re
from contextvars import ContextVar
from html.parser import HTMLParser
from typing import NamedTuple

import nh3

from reclamations.intake.parsing.htmlbounds import bound_html, stripped_text
from reclamations.intake.parsing.text import _clean

# --- Charsets -----------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n?")

# Declared ISO-8859-1 is written by software that really emits Windows-1252 (curly quotes,
# euro sign in 0x80-0x9F): decode as the superset, as browsers do.
_CHARSET_ALIASES = {
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "iso-8859-8-i": "iso8859-8",
    "iso8859-8-i": "iso8859-8",
    "unicode-1-1-utf-7": "utf-7",
    "csiso2022jp": "iso2022_jp",
}
# Charsets whose text is ASCII bytes that mean something else: never read as plain ASCII (the
# 7-bit escape charsets, ISO-2022-JP first, and UTF-7).
_ASCII_INCOMPATIBLE = (
    "utf-16",
    "utf16",
    "utf-32",
    "utf32",
    "utf-7",
    "utf7",
    "unicode-1-1-utf-7",
    "iso-2022",
    "iso2022",
    "csiso2022",
    "hz-gb-2312",
    "hz",
)
_SINGLE_BYTE = {"cp1252", "iso8859-15", "cp1250", "iso8859-2", "mac-roman"}
# A two- or three-byte UTF-8 sequence: natural Windows-1252 text practically never contains one.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _clean_text(value: str) -> str:
    """Body text: normalised newlines, tabs kept, other control characters removed."""
    value = _NEWLINES.sub("\n", value)
    if value.startswith("\ufeff"):
        value = value[1:]
    return _clean(value)


@functools.lru_cache(maxsize=256)
def _codec_for(charset: str) -> str | None:
    """Python codec name for a MIME charset, None if unknown or not a text encoding."""
    name = charset.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _CHARSET_ALIASES.get(info.name, info.name)


# A multi-byte charset the message declares somewhere (a part, an encoded word): its
# undeclared 8-bit text elsewhere (a header, a file name) is most likely in it too. Set by
# parse_message for the message being parsed.
DECLARED_ELSEWHERE: ContextVar[str] = ContextVar("declared_elsewhere", default="")
_UNDECLARED = ("", "us-ascii", "ascii")


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, then UTF-8, then the multi-byte charset the message
    declares elsewhere, then Windows-1252; say what was repaired."""
    declared = (charset or "").strip().strip("\"'").lower()
    if data.isascii() and not declared.startswith(_ASCII_INCOMPATIBLE):
        return data.decode("ascii"), None
    codec = _codec_for(declared) if declared else None
    if codec is not None:
        if codec in _SINGLE_BYTE and _UTF8_SEQUENCE.search(data):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                return text, f"déclaré en « {declared} » mais écrit en UTF-8, lu en UTF-8"
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            if codec == "cp1252":
                # Bytes undefined in Windows-1252 (0x81, 0x8D...): plain ISO-8859-1 then.
                return data.decode("latin-1"), None
    if codec != "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not declared:
                return text, None
            if codec is None:
                return text, f"jeu de caractères inconnu « {declared} », lu en UTF-8"
            return text, f"non conforme à son jeu de caractères « {declared} », lu en UTF-8"
    hint = DECLARED_ELSEWHERE.get()
    hinted = _codec_for(hint) if hint and declared in _UNDECLARED else None
    if hinted is not None:
        try:
            text = data.decode(hinted)
        except UnicodeDecodeError:
            pass
        else:
            return (
                text,
                f"jeu de caractères non déclaré, lu en « {hint} » comme le reste du message",
            )
    if _UTF8_SEQUENCE.search(data):
        # Mostly UTF-8 with a few stray bytes: Windows-1252 would garble every accent.
        return (
            data.decode("utf-8", "replace"),
            f"octets invalides en « {declared or 'utf-8'} », remplacés par « \ufffd »",
        )
    text = data.decode("cp1252", "replace")
    if not declared:
        return text, "jeu de caractères non déclaré, lu en Windows-1252"
    if codec is None:
        return text, f"jeu de caractères inconnu « {declared} », lu en Windows-1252"
    return text, f"non conforme à son jeu de caractères « {declared} », lu en Windows-1252"


_BASE64_ALPHABET = re.compile(rb"[^A-Za-z0-9+/]")


def _decode_base64(data: bytes) -> bytes:
    """Base64 as well as possible: stray characters dropped, padding repaired; b"" at worst."""
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        pass
    clean = _BASE64_ALPHABET.sub(b"", data)
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    clean += b"=" * (-len(clean) % 4)
    try:
        return binascii.a2b_base64(clean)
    except binascii.Error:
        return b""


# --- HTML ---------------------------------------------------------------------------------

_HTML_TAGS = {
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote",
    "pre", "code", "table", "thead", "tbody", "tr", "th", "td", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
_HTML_DROPPED_WITH_CONTENT = {"script", "style", "title", "template", "textarea", "select"}


# Sanitised HTML longer than this is not shown as HTML, its text is: a page must stay quick to
# send and to draw, and no complaint's HTML is anywhere near (a long reply chain: 100 KB).
MAX_SHOWN_HTML = 512 * 1024


class SanitisedHtml(NamedTuple):
    html: str  # sanitised; "" when too complex for the sanitiser
    # False: too large, or too complex for the sanitiser, to show as HTML: show the text.
    showable: bool
    too_complex: str  # the HTML too complex for the sanitiser, whose text is read without it

    def text(self) -> str:
        """Every piece of its text."""
        if self.too_complex:
            return stripped_text(self.too_complex)
        return _text_of_sanitised(self.html)


def sanitise_email_html(html: str) -> SanitisedHtml:
    """Sanitised in a time linear in the HTML's size; its text (`text()`) likewise."""
    bounded = bound_html(html, _HTML_TAGS)
    if bounded.too_complex:
        return SanitisedHtml("", False, bounded.html)
    clean = _nh3_clean(bounded.html)
    return SanitisedHtml(clean, len(clean) <= MAX_SHOWN_HTML, "")


def sanitise_html(html: str) -> str:
    """Safe to show: no script, style, image (so nothing remote loads) or event handler;
    "" for HTML too complex to sanitise in linear time (bound_html)."""
    bounded = bound_html(html, _HTML_TAGS)
    return "" if bounded.too_complex else _nh3_clean(bounded.html)


def _nh3_clean(html: str) -> str:
    # Only ever given bound_html's output: on deep nesting nh3 is slower than linear, and it
    # removes SVG and MathML elements with their text.
    return nh3.clean(
        html,
        tags=_HTML_TAGS,
        clean_content_tags=_HTML_DROPPED_WITH_CONTENT,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_BLOCK_TAGS = {
    "p", "div", "br", "tr", "table", "ul", "ol", "blockquote", "pre", "hr", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "address",
    "form", "fieldset", "center",
}  # fmt: skip
# Only what needs collapsing: single spaces between words are the common case, left alone.
_HTML_SPACE = re.compile(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.preformatted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_DROPPED_WITH_CONTENT:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            # Cells side by side on their row's line, separated by one space.
            if self.parts and self.parts[-1][-1:] not in ("\n", " "):
                self.parts.append(" ")
        elif tag == "tr":
            # A row is one line: its end breaks it, so a start would add a blank line.
            pass
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.preformatted += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" if tag == "p" else "\n")
            if tag == "pre":
                self.preformatted = max(0, self.preformatted - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.preformatted:
            self.parts.append(data)
            return
        text = _HTML_SPACE.sub(" ", data)
        if not self.parts or self.parts[-1][-1:] in ("\n", " "):
            text = text.lstrip(" ")
        if text:
            self.parts.append(text)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: paragraphs, line breaks and list items kept."""
    return sanitise_email_html(html).text()


def _text_of_sanitised(html: str) -> str:
    # Only ever given nh3's output: the stdlib HTMLParser is quadratic on some broken markup
    # (3,000 unclosed "<a " took a second), and nh3's well-formed output never is.
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except (AssertionError, ValueError):  # the stdlib parser's own failure modes
        pass
    text = "".join(extractor.parts).replace("\xa0", " ")
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()
