"""French typography of printed letters: what a French reader expects around signs."""

import pytest

from reclamations.letters.typography import NARROW_NBSP, NBSP, french_typography


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("Objet : réponse", f"Objet{NBSP}: réponse"),
        (
            "Vraiment ? Oui ! Bien ; merci",
            f"Vraiment{NARROW_NBSP}? Oui{NARROW_NBSP}! Bien{NARROW_NBSP}; merci",
        ),
        ("« déjà »", f"«{NBSP}déjà{NBSP}»"),
        ("«serré»", f"«{NBSP}serré{NBSP}»"),
        ('il a dit "bonjour" hier', f"il a dit «{NBSP}bonjour{NBSP}» hier"),
        ('("cité")', f"(«{NBSP}cité{NBSP}»)"),
    ],
)
def test_signs_get_the_spaces_french_gives_them(typed, printed):
    assert french_typography(typed) == printed


@pytest.mark.parametrize(
    "untouched",
    ["https://ccs.fr/?page=1", "rendez-vous à 10:30", "ratio 3:2", "Réf.:REC-1", "", "Oui!"],
)
def test_signs_not_after_a_space_stay_as_typed(untouched):
    assert french_typography(untouched) == untouched


def test_a_space_already_unbreakable_is_not_doubled():
    assert french_typography(f"Objet{NBSP}: x") == f"Objet{NBSP}: x"
    assert french_typography(f"«{NBSP}x{NBSP}»") == f"«{NBSP}x{NBSP}»"
