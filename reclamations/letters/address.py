"""The recipient's address block as La Poste reads it (NF Z10-011). Pure: no Django.

At most six lines, name first, aligned left, the last line (postcode and town) in capitals.
"""

from reclamations.core.catalogue import gettext_noop

MAX_LINES = 6


def postal_lines(name: str, address: str) -> tuple[str, ...]:
    """The block: the name, then the address's non-empty lines, the last one in capitals."""
    lines = [" ".join(name.split())] if name.strip() else []
    lines += [" ".join(line.split()) for line in address.splitlines() if line.strip()]
    if len(lines) > 1:
        lines[-1] = lines[-1].upper()
    return tuple(lines)


# French, marked for the catalogue: the records keep them so, a page shows them translated
# (complaints.notifications.letter.letter_problems).
NO_NAME = gettext_noop(
    "Pour imprimer la lettre, il manque le nom du client : complétez la fiche avec « Modifier la "
    "fiche »."
)
NO_ADDRESS = gettext_noop(
    "Pour imprimer la lettre, il manque son adresse postale : complétez la fiche avec « Modifier "
    "la fiche »."
)
NO_NAME_NOR_ADDRESS = gettext_noop(
    "Pour imprimer la lettre, il manque le nom du client et son adresse postale : complétez la "
    "fiche avec « Modifier la fiche »."
)
TOO_MANY_LINES = gettext_noop(
    "L'adresse compte %(lines)s lignes avec le nom : la norme postale en admet %(most)s. "
    "Raccourcissez-la avec « Modifier la fiche »."
)

Problem = tuple[str, dict[str, object]]


def address_problem_texts(name: str, address: str) -> list[Problem]:
    """Why a letter cannot be posted to this address, each as its French text (marked for the
    catalogue) and the values it takes; empty when it can."""
    if not name.strip() or not address.strip():
        if address.strip():
            return [(NO_NAME, {})]
        return [(NO_ADDRESS if name.strip() else NO_NAME_NOR_ADDRESS, {})]
    lines = postal_lines(name, address)
    if len(lines) > MAX_LINES:
        return [(TOO_MANY_LINES, {"lines": len(lines), "most": MAX_LINES})]
    return []


def address_problems(name: str, address: str) -> list[str]:
    """Why a letter cannot be posted to this address, in French (empty when it can)."""
    return [text % values for text, values in address_problem_texts(name, address)]


def town_of(address: str) -> str:
    """ "Mouans-Sartoux" from an address ending "06370 Mouans-Sartoux" (the letter's place)."""
    lines = [line.strip() for line in address.splitlines() if line.strip()]
    if not lines:
        return ""
    words = lines[-1].split()
    while words and any(character.isdigit() for character in words[0]):
        words.pop(0)
    while words and (words[-1].upper() == "CEDEX" or words[-1].isdigit()):
        words.pop()
    return " ".join(words)
