"""The greeting and the sign-off of a letter, found in a text typed by staff. Pure: no Django.

A reply's wording adds its own greeting ("Bonjour Julie Martin,"), the recourse and the
signature; a referent used to writing whole letters types them too, and the client reads
"Cordialement," twice. What the wording already says is looked for in the typed text, so that
the composer can say what to remove before anything goes.
"""

import re
import unicodedata
from dataclasses import dataclass

# A greeting is a first line made of a salutation and at most names ("Bonjour Julie Martin,",
# "Madame, Monsieur,"), not a sentence that starts with one ("Madame, c'est réglé.").
_SALUTATION = (
    r"(?i:bonjour|bonsoir|madame|monsieur|mesdames|messieurs|mademoiselle"
    r"|cher|chère|chers|chères|hello|salut)"
)
_NAME = r"(?:(?:d'|d\u2019)?[A-ZÀ-Ý][\w'\u2019.-]*|de|du|des|la|le|van|von)"
_GREETING = re.compile(rf"^{_SALUTATION}(?:[\s,]+(?:{_SALUTATION}|{_NAME}))*\s*[,.!]?$")
# A sign-off is one of the last lines of the text.
_SIGN_OFF = re.compile(
    r"^((bien|très|tres|trés)\s+)?(cordialement|sincèrement)\b|"
    r"^(bien|très bien)\s+à\s+vous\b|"
    r"^(sincères|meilleures|respectueuses|cordiales)\s+salutations\b|"
    r"^salutations\b|^respectueusement\b|^amicalement\b|"
    r"^(veuillez|je vous prie d'|nous vous prions d'|recevez|croyez)[^\n]*"
    r"(salutations|sentiments|considération|expression)",
    re.IGNORECASE,
)
_LAST_LINES = 8


@dataclass(frozen=True)
class Formulas:
    """The greeting and sign-off lines found in a text ("" when none)."""

    greeting: str = ""
    sign_off: str = ""


def _lines(text: str) -> list[str]:
    return [
        line.strip() for line in unicodedata.normalize("NFC", text).splitlines() if line.strip()
    ]


def formulas_in(text: str) -> Formulas:
    """The greeting (its first line) and the sign-off (among its last lines) of `text`."""
    lines = _lines(text)
    if not lines:
        return Formulas()
    greeting = lines[0] if _GREETING.match(lines[0]) else ""
    sign_off = next(
        (line for line in lines[-_LAST_LINES:] if _SIGN_OFF.match(line)),
        "",
    )
    return Formulas(greeting, sign_off)


def doubled_formulas(typed: str, wording_without_text: str) -> list[str]:
    """What the client would read twice, in French: the greeting or the sign-off of `typed`
    when the wording (rendered with an empty text) already has its own."""
    mine, added = formulas_in(typed), formulas_in(wording_without_text)
    problems = []
    if mine.greeting and added.greeting:
        problems.append(
            f"Le message commence déjà par « {added.greeting} » : retirez « {mine.greeting} » "
            "du début de votre texte."
        )
    if mine.sign_off and added.sign_off:
        problems.append(
            f"Le message se termine déjà par « {added.sign_off} » suivi de la signature : "
            f"retirez « {mine.sign_off} » et ce qui suit de la fin de votre texte."
        )
    return problems
