"""The list of causes a complaint may be traced to (pure)."""

from reclamations.core.causes import (
    DEFAULT_CAUSES,
    MAX_CAUSE_LENGTH,
    MAX_CAUSES,
    causes_in_use,
    read_cause_lines,
)


def test_an_organisation_without_a_list_of_its_own_gets_the_default_one():
    assert causes_in_use([]) == DEFAULT_CAUSES
    assert causes_in_use(["Retard du formateur"]) == ("Retard du formateur",)


def test_lines_are_read_trimmed_without_blanks_or_repeats_in_their_order():
    causes, problems = read_cause_lines(
        "  Retard   du formateur \r\n\r\nSalle\nretard du formateur\n"
    )

    assert (causes, problems) == (["Retard du formateur", "Salle"], [])


def test_a_cause_too_long_and_too_many_causes_are_said_in_french():
    long_cause = "x" * (MAX_CAUSE_LENGTH + 1)
    _causes, problems = read_cause_lines(long_cause)
    assert problems == [f"« {'x' * 40}… » : une cause tient en 120 caractères au plus."]

    _causes, problems = read_cause_lines("\n".join(f"Cause {n}" for n in range(MAX_CAUSES + 1)))
    assert problems == ["60 causes au plus : regroupez les plus proches."]
