"""The recipient's block as La Poste reads it (NF Z10-011)."""

from reclamations.letters.address import address_problems, postal_lines, town_of


def test_the_block_is_the_name_then_the_address_its_last_line_in_capitals():
    assert postal_lines("Julie  Martin", "12 rue des Lilas\n\n  Bât. B \n06400 Cannes ") == (
        "Julie Martin",
        "12 rue des Lilas",
        "Bât. B",
        "06400 CANNES",
    )


def test_a_letter_needs_a_name_and_an_address():
    assert address_problems("", "12 rue des Lilas\n06400 Cannes") == [
        "Pour imprimer la lettre, il manque le nom du client : complétez la fiche avec "
        "« Modifier la fiche »."
    ]
    assert address_problems("", " ") == [
        "Pour imprimer la lettre, il manque le nom du client et son adresse postale : complétez "
        "la fiche avec « Modifier la fiche »."
    ]


def test_more_than_six_lines_cannot_go_through_the_window():
    address = "\n".join(f"ligne {n}" for n in range(1, 7))

    assert address_problems("Julie Martin", address) == [
        "L'adresse compte 7 lignes avec le nom : la norme postale en admet 6. Raccourcissez-la "
        "avec « Modifier la fiche »."
    ]
    assert address_problems("Julie Martin", "12 rue des Lilas\n06400 Cannes") == []


def test_the_place_of_the_letter_is_the_town_of_the_organisation():
    assert town_of("351 chemin des Gourettes\n06370 Mouans-Sartoux") == "Mouans-Sartoux"
    assert town_of("BP 12\n06131 Grasse CEDEX 4") == "Grasse"
    assert town_of("") == ""
