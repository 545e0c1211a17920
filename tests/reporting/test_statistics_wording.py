"""The statistics' lines worded in the reader's language: computed and cached in French (the
PDF's and the API's words), each line says again in English what it counts (decision 0036)."""

from datetime import date

import pytest
from django.utils import translation

from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import Line, compute
from reclamations.reporting.statistics_wording import (
    Age,
    Choice,
    Month,
    NotGiven,
    Others,
    label,
    say,
)
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()
YEAR_TO_DATE = Period(date(2026, 1, 1), TODAY)

WORDINGS = [
    (Month(2026, 3), "mars 2026", "March 2026"),
    (Choice("channel", "letter"), "Courrier", "Letter"),
    (Choice("channel", "fax"), "fax", "fax"),  # a code the list no longer has: as stored
    (NotGiven(), "Non renseigné", "Not given"),
    (Others("training", 1), "1 autre formation", "1 other training"),
    (Others("trainer", 3), "3 autres formateurs ou formatrices", "3 other trainers"),
    (Age(6, 10), "6 à 10 j", "6 to 10 days"),
    (Age(21, None), "plus de 20 j", "more than 20 days"),
]


@pytest.mark.parametrize(("wording", "french", "english"), WORDINGS)
def test_a_line_is_worded_in_the_active_language(wording, french, english):
    assert say(wording) == french
    with translation.override("en"):
        assert say(wording) == english


def test_a_value_as_typed_is_shown_as_typed():
    with translation.override("en"):
        assert label("Excel avancé", None) == "Excel avancé"
        assert label("Non renseigné", NotGiven()) == "Not given"


def test_figures_computed_for_an_english_reader_are_french_and_say_it_in_english(
    organisation, referent
):
    make_complaint(organisation, referent, channel="letter", training="Excel")

    with translation.override("en"):
        figures = compute(organisation, YEAR_TO_DATE, today=TODAY)
        by_channel = next(b.lines for b in figures.breakdowns if b.key == "channel")
        in_english = [label(line.label, line.wording) for line in by_channel]

    assert by_channel == (Line("Courrier", 1, 0),)
    assert in_english == ["Letter"]
    assert figures.by_month[-1] == Line("novembre 2026", 1, 0)
    assert figures.by_month[-1].wording == Month(2026, 11)
    assert figures.open_by_age[0] == Line("0 à 5 j", 1)
