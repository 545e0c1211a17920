"""Checking an organisation's own letter layout before it is kept: its HTML compiles, its CSS
parses, a sample letter printed with it shows every part of the letter and has its address in
the envelope's window, and the logo is a real PNG or JPEG image, small enough.

A layout that fails any check is refused with what to correct (the line, when there is one):
a letter printed from it must always reach its client."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from html import unescape
from io import BytesIO
from typing import Any

import filetype
import tinycss2
from django.template import Engine, TemplateSyntaxError
from django.utils.html import strip_tags
from django.utils.translation import gettext_noop

from reclamations.letters.content import Layout, Letter
from reclamations.letters.printing import (
    DEFAULT_CSS,
    laid_out,
    letter_date,
    letter_html,
    printing_problem,
)

LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")
# Where a DL window envelope shows the address (mm from the page's left and top edges): its
# window is 100 x 45 mm, 20 mm from the envelope's right and 15 mm from its bottom, and the
# top third of the folded A4 sheet fills the envelope.
WINDOW = (100.0, 45.0, 200.0, 95.0)
MM_PER_PX = 25.4 / 96

_CHECKING_ENGINE = Engine(
    loaders=[], autoescape=True, string_if_invalid="", libraries={}, debug=True
)

# What a layout's HTML may use, as managers read it beside the form.
LAYOUT_VARIABLES: dict[str, str] = {
    "letter.organisation": gettext_noop("le nom de l'organisme"),
    "letterhead": gettext_noop(
        "les lignes de l'en-tête : adresse, téléphone, e-mail, site (une boucle "
        "{% for line in letterhead %})"
    ),
    "logo": gettext_noop(
        'le logo enregistré ici, à mettre dans <img src="{{ logo }}"> (vide sans logo)'
    ),
    "letter.recipient": gettext_noop(
        "les lignes de l'adresse du client (une boucle), dans un élément de classe « recipient »"
    ),
    "letter.place": gettext_noop("la ville de l'organisme (« Mouans-Sartoux »)"),
    "dated": gettext_noop("la date de la lettre (« 2 novembre 2026 »)"),
    "letter.reference": gettext_noop("la référence de la réclamation"),
    "subject": gettext_noop("l'objet"),
    "paragraphs": gettext_noop(
        "le texte : des paragraphes, chacun une liste de lignes (deux boucles)"
    ),
    "enclosed": gettext_noop("les noms des pièces jointes (une boucle)"),
    "title": gettext_noop("le titre du document PDF"),
}

SAMPLE_LETTER = Letter(
    organisation="Organisme de formation",
    letterhead=("351 chemin des Gourettes", "06370 Mouans-Sartoux", "07 70 16 23 81"),
    recipient=("Julie Martin", "12 rue des Lilas", "06400 CANNES"),
    place="Mouans-Sartoux",
    dated=date(2026, 11, 2),
    reference="REC-2026-0042",
    subject="Réponse à votre réclamation",
    body="Bonjour Julie Martin,\n\nVoici notre réponse.\n\nCordialement,\n\nFanny Maltese",
    footer="Organisme de formation \u2013 SIRET 000 000 000 00000",
    enclosed=("devis.pdf",),
)


def logo_problems(content: bytes) -> list[str]:
    """Why `content` cannot be the letters' logo (French; empty when it can)."""
    if len(content) > LOGO_MAX_BYTES:
        return [
            f"Le logo pèse {len(content) // 1024} Ko : {LOGO_MAX_BYTES // 1024} Ko au plus. "
            "Enregistrez-le en plus petit (400 pixels de large suffisent)."
        ]
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in LOGO_TYPES or not _decodes(content):
        return ["Le logo doit être une image PNG ou JPEG valide (son contenu ne l'est pas)."]
    return []


def logo_type(content: bytes) -> str:
    """The content type of a logo that passed logo_problems."""
    kind = filetype.guess(content[:8192])
    return kind.mime if kind is not None else ""


def _decodes(content: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    return True


def _html_problems(source: str) -> list[str]:
    try:
        _CHECKING_ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        debug = getattr(error, "template_debug", None)
        line = debug.get("line") if isinstance(debug, dict) else None
        where = f"HTML, ligne {line}" if isinstance(line, int) else "HTML"
        return [f"{where} : syntaxe incorrecte ({error})."]
    return []


def _css_problems(source: str) -> list[str]:
    problems = []
    for node in _css_nodes(source):
        if node.type == "error":
            problems.append(f"CSS, ligne {node.source_line} : {_css_error(node.message)}.")
    return problems


def _css_nodes(source: str) -> Iterator[Any]:
    yield from _rules(tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True))


def _rules(rules: list[Any]) -> Iterator[Any]:
    """Each rule, and what its block holds: declarations (a style rule, @page and its margin
    boxes, @font-face) or rules (@media, @supports)."""
    for rule in rules:
        yield rule
        content = getattr(rule, "content", None)
        if content is None:
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            yield from _rules(tinycss2.parse_rule_list(content, True, True))
        elif rule.type in ("qualified-rule", "at-rule"):
            yield from _rules(tinycss2.parse_declaration_list(content, True, True))


def _css_error(message: str) -> str:
    known = {
        "EOF in string": "guillemet non fermé",
        "Newline in string": "guillemet non fermé en fin de ligne",
        "Expected ':' after declaration name": "« : » manquant après le nom d'une propriété",
        "Stop token reached before {} block": "accolade « { » attendue (un guillemet ou une "
        "accolade n'est pas fermé plus haut ?)",
    }
    for english, french in known.items():
        if message.startswith(english):
            return french
    return f"erreur de syntaxe ({message})"


def _missing_parts(text: str, letter: Letter) -> list[str]:
    """The parts of `letter` a layout's text does not show, named for a manager."""
    parts = {
        "l'adresse du client (letter.recipient)": letter.recipient,
        "la date (dated)": (letter_date(letter),),
        "la référence (letter.reference)": (letter.reference,),
        "l'objet (subject)": (letter.subject,),
        "le texte de la lettre (paragraphs)": tuple(
            line for line in letter.body.splitlines() if line.strip()
        ),
        "les pièces jointes (enclosed)": letter.enclosed,
    }
    shown = text.split("<body", 1)[-1]  # the document's title is not printed
    flat = " ".join(unescape(strip_tags(shown)).split())
    return [name for name, pieces in parts.items() if any(p not in flat for p in pieces)]


def _recipient_box(document: Any) -> tuple[float, float, float, float] | None:
    """Where the address block falls on the first page (mm: left, top, right, bottom)."""
    for box in _boxes(document.pages[0]._page_box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "recipient" in classes:
            left, top = box.border_box_x() * MM_PER_PX, box.border_box_y() * MM_PER_PX
            width, height = box.border_width() * MM_PER_PX, box.border_height() * MM_PER_PX
            return left, top, left + width, top + height
    return None


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def _window_problems(document: Any) -> list[str]:
    box = _recipient_box(document)
    if box is None:
        return [
            "L'adresse du client doit être dans un élément de classe « recipient » (comme "
            '<address class="recipient">) : c\'est lui qui est placé dans la fenêtre.'
        ]
    left, top, right, bottom = box
    w_left, w_top, w_right, w_bottom = WINDOW
    if left < w_left or top < w_top or right > w_right or bottom > w_bottom:
        return [
            f"Le bloc adresse tombe de {left:.0f} à {right:.0f} mm du bord gauche et de {top:.0f} "
            f"à {bottom:.0f} mm du haut de la page : il doit rester entre {w_left:.0f} et "
            f"{w_right:.0f} mm, et entre {w_top:.0f} et {w_bottom:.0f} mm, pour se lire dans la "
            "fenêtre d'une enveloppe DL (norme NF Z10-011 : 110 mm et 50 mm par défaut)."
        ]
    return []


def layout_problems(layout: Layout) -> dict[str, list[str]]:
    """What stops `layout` being used (field -> French messages: html, css, logo); empty when
    a letter prints well with it."""
    problems: dict[str, list[str]] = {}
    if layout.logo:
        problems.setdefault("logo", []).extend(logo_problems(layout.logo))
    if layout.html:
        problems.setdefault("html", []).extend(_html_problems(layout.html))
    if layout.css:
        problems.setdefault("css", []).extend(_css_problems(layout.css))
    problems = {name: found for name, found in problems.items() if found}
    if problems:
        return problems
    try:
        html = letter_html(SAMPLE_LETTER, layout)
    except Exception as error:  # a manager's template may fail in any way: say how
        return {"html": [f"La mise en page ne s'affiche pas avec une lettre : {error}."]}
    missing = _missing_parts(html, SAMPLE_LETTER)
    if missing:
        return {"html": [f"La mise en page n'affiche pas {', '.join(missing)}."]}
    if printing_problem():
        return {}  # nothing more can be checked here; printing says so itself
    try:
        document, refused = laid_out(html, layout.css or DEFAULT_CSS, footer=SAMPLE_LETTER.footer)
    except Exception as error:
        return {"css": [f"La lettre ne s'imprime pas avec cette mise en page : {error}."]}
    if refused or document is None:
        names = ", ".join(f"« {url[:80]} »" for url in refused)
        return {
            "html": [
                f"La mise en page demande {names} : une lettre n'utilise que ses polices et le "
                "logo enregistré ici (rien d'extérieur n'est lu à l'impression)."
            ]
        }
    window = _window_problems(document)
    return {"css": window} if window else {}
