"""Months and the unit of working days in the reader's language (core.languages)."""

from django.utils import translation

from reclamations.core.languages import month_name, working_days_unit


def test_a_month_is_named_in_the_active_language_or_the_one_asked():
    assert month_name(8) == "août"
    assert month_name(8, "en") == "August"
    with translation.override("en"):
        assert month_name(1) == "January"


def test_the_unit_of_working_days_says_the_week_in_english():
    assert working_days_unit("ouvres") == "jours ouvrés"
    with translation.override("en"):
        assert working_days_unit("ouvrables") == "working days (Monday to Saturday)"
        assert working_days_unit("ouvres") == "working days (Monday to Friday)"
