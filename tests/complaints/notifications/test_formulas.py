"""What a referent types that the reply's wording already says: found before anything goes."""

import pytest

from reclamations.complaints.notifications.formulas import (
    Formulas,
    doubled_formulas,
    formulas_in,
)

WORDING = (
    "Bonjour Julie Martin,\n\nVoici notre réponse à votre réclamation REC-2026-0001.\n\n\n\n"
    "Cordialement,\n\nFanny Maltese\nRéférente pédagogique\nCCS\n"
)


@pytest.mark.parametrize(
    "line",
    [
        "Bonjour,",
        "Bonjour.",
        "bonjour",
        "Madame,",
        "MADAME,",
        "Madame, Monsieur,",
        "Bonjour Julie Martin,",
        "Chère Madame Dupont,",
        "Bonjour Madame de la Tour,",
        "Bonsoir Monsieur d'Estérel !",
    ],
)
def test_a_first_line_of_a_salutation_and_names_is_a_greeting(line):
    assert formulas_in(f"{line}\n\nVos séances sont reprogrammées.").greeting == line


@pytest.mark.parametrize(
    "line",
    [
        "Madame, c'est réglé.",
        "Madame, les trois séances seront reprogrammées en mars.",
        "Bonjour, suite à votre appel nous avons vérifié.",
        "Monsieur le directeur nous a transmis votre demande.",
        "Vos séances sont reprogrammées.",
    ],
)
def test_a_sentence_that_starts_with_a_salutation_is_not_a_greeting(line):
    assert formulas_in(line).greeting == ""


@pytest.mark.parametrize(
    "sign_off",
    [
        "Cordialement,",
        "Bien cordialement",
        "Très cordialement,",
        "Bien à vous,",
        "Sincères salutations.",
        "Respectueusement,",
        "Veuillez agréer, Madame, l'expression de nos salutations distinguées.",
        "Je vous prie d'agréer, Monsieur, mes sentiments les meilleurs.",
    ],
)
def test_a_sign_off_among_the_last_lines_is_found_with_the_signature_after_it(sign_off):
    text = f"Vos séances sont reprogrammées.\n\n{sign_off}\nMarie Dupont\nRéférente\nCCS"

    assert formulas_in(text) == Formulas("", sign_off)


def test_a_sign_off_word_far_from_the_end_is_part_of_the_text():
    text = "Cordialement reçue, votre demande a été étudiée.\n" + "Ligne.\n" * 12

    assert formulas_in(text).sign_off == ""


def test_empty_and_blank_texts_have_no_formula():
    assert formulas_in("") == formulas_in(" \n\t\n") == Formulas()


def test_the_greeting_and_the_sign_off_typed_twice_are_named_with_what_to_remove():
    typed = "Madame,\n\nVos séances sont reprogrammées.\n\nBien cordialement,\nMarie"

    assert doubled_formulas(typed, WORDING) == [
        "Le message commence déjà par « Bonjour Julie Martin, » : retirez « Madame, » du "
        "début de votre texte.",
        "Le message se termine déjà par « Cordialement, » suivi de la signature : retirez "
        "« Bien cordialement, » et ce qui suit de la fin de votre texte.",
    ]


def test_what_the_wording_does_not_say_may_be_typed():
    own_wording = "{{ reply_text }}\n"  # an organisation's wording that adds nothing
    typed = "Madame,\n\nVos séances sont reprogrammées.\n\nCordialement,\nMarie"

    assert doubled_formulas(typed, own_wording) == []
    assert doubled_formulas("Vos séances sont reprogrammées.", WORDING) == []
