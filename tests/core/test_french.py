"""Dates and counts of working days as French readers expect them."""

from datetime import date

import pytest

from reclamations.core.calendar import working_days_text, working_days_unit
from reclamations.core.french import long_date


def test_long_date_spells_day_and_month():
    assert long_date(date(2026, 11, 14)) == "samedi 14 novembre 2026"
    assert long_date(date(2027, 8, 1)) == "dimanche 1 août 2027"


def test_long_date_of_nothing_is_empty():
    assert long_date(None) == ""


@pytest.mark.parametrize(
    ("days", "kind", "expected"),
    [
        (1, "ouvrables", "1 jour ouvrable"),
        (10, "ouvrables", "10 jours ouvrables"),
        (1, "ouvres", "1 jour ouvré"),
        (3, "ouvres", "3 jours ouvrés"),
        (0, "ouvres", "0 jours ouvrés"),
    ],
)
def test_working_days_text_says_the_organisation_count(days, kind, expected):
    assert working_days_text(days, kind) == expected


def test_working_days_text_refuses_an_unknown_count():
    with pytest.raises(ValueError):
        working_days_text(2, "calendaires")


def test_working_days_unit_names_the_count():
    assert (working_days_unit("ouvrables"), working_days_unit("ouvres")) == (
        "jours ouvrables",
        "jours ouvrés",
    )
