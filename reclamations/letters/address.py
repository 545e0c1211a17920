"""The recipient's address block as La Poste reads it (NF Z10-011). Pure: no Django.

At most six lines, name first, aligned left, the last line (postcode and town) in capitals.
"""

MAX_LINES = 6


def postal_lines(name: str, address: str) -> tuple[str, ...]:
    """The block: the name, then the address's non-empty lines, the last one in capitals."""
    lines = [" ".join(name.split())] if name.strip() else []
    lines += [" ".join(line.split()) for line in address.splitlines() if line.strip()]
    if len(lines) > 1:
        lines[-1] = lines[-1].upper()
    return tuple(lines)


def address_problems(name: str, address: str) -> list[str]:
    """Why a letter cannot be posted to this address, in French (empty when it can)."""
    problems = []
    if not name.strip():
        problems.append("le nom du client")
    if not address.strip():
        problems.append("son adresse postale")
    if problems:
        return [
            f"Pour imprimer la lettre, il manque {' et '.join(problems)} : complétez la fiche "
            "avec « Modifier la fiche »."
        ]
    lines = postal_lines(name, address)
    if len(lines) > MAX_LINES:
        return [
            f"L'adresse compte {len(lines)} lignes avec le nom : la norme postale en admet "
            f"{MAX_LINES}. Raccourcissez-la avec « Modifier la fiche »."
        ]
    return []


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
