"""WorkingCalendar: which days count, French public holidays by subdivision, counting.

Every expected date was computed by hand from a printed calendar; the weekday is in a comment.
No database, no Django: plain functions.
"""

from datetime import date, datetime, timedelta
from time import perf_counter

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reclamations.core.calendar import (
    CALENDAR_KINDS,
    SUBDIVISIONS,
    WorkingCalendar,
    normalise_subdivision,
)

OUVRABLES = WorkingCalendar()
OUVRES = WorkingCalendar(kind="ouvres")
MOSELLE = WorkingCalendar(subdivision="57")
ALSACE = WorkingCalendar(subdivision="6AE")

# The project's conftest has an autouse function-scoped fixture (Django settings); these
# properties do not use it.
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# --- constants and subdivisions ---------------------------------------------------------------


def test_calendar_kinds_are_ouvrables_then_ouvres():
    assert CALENDAR_KINDS == ("ouvrables", "ouvres")


def test_subdivisions_are_the_package_regions_without_school_zones():
    assert SUBDIVISIONS == (
        "57",
        "6AE",
        "971",
        "972",
        "973",
        "974",
        "976",
        "BL",
        "MF",
        "NC",
        "PF",
        "PM",
        "TF",
        "WF",
    )


@pytest.mark.parametrize(
    ("given_code", "expected"),
    [
        pytest.param(None, None, id="none-is-metropole"),
        pytest.param("", None, id="empty-is-metropole"),
        pytest.param("   ", None, id="blank-is-metropole"),
        pytest.param("57", "57", id="moselle-code"),
        pytest.param("6AE", "6AE", id="alsace-code"),
        pytest.param("6ae", "6AE", id="alsace-code-lowercase"),
        pytest.param(" 974 ", "974", id="reunion-code-with-spaces"),
        pytest.param("Moselle", "57", id="alias-moselle"),
        pytest.param("moselle", "57", id="alias-moselle-lowercase"),
        pytest.param("Alsace", "6AE", id="alias-alsace"),
        pytest.param("GP", "971", id="alias-gp-guadeloupe"),
        pytest.param("Guadeloupe", "971", id="alias-guadeloupe"),
        pytest.param("MQ", "972", id="alias-mq-martinique"),
        pytest.param("GY", "973", id="alias-gy-guyane"),
        pytest.param("RE", "974", id="alias-re-reunion"),
        pytest.param("La Réunion", "974", id="alias-la-reunion-accented"),
        pytest.param("YT", "976", id="alias-yt-mayotte"),
        pytest.param("Nouvelle-Calédonie", "NC", id="alias-nouvelle-caledonie"),
        pytest.param("wf", "WF", id="wallis-lowercase"),
    ],
)
def test_normalise_subdivision_returns_package_code_for_codes_and_aliases(given_code, expected):
    assert normalise_subdivision(given_code) == expected


@pytest.mark.parametrize("code", SUBDIVISIONS)
def test_normalise_subdivision_keeps_every_supported_code(code):
    assert normalise_subdivision(code) == code


@pytest.mark.parametrize("code", ["XX", "75", "FR", "Paris", "97", "6A", "Corse"])
def test_normalise_subdivision_rejects_unknown_code_in_french(code):
    with pytest.raises(ValueError, match="Subdivision inconnue pour les jours fériés"):
        normalise_subdivision(code)


@pytest.mark.parametrize("code", ["Zone A", "Zone B", "Zone C", "zone a", " ZONE C "])
def test_normalise_subdivision_rejects_school_zones_in_french(code):
    with pytest.raises(ValueError, match="zone de vacances scolaires"):
        normalise_subdivision(code)


def test_calendar_rejects_unknown_subdivision():
    with pytest.raises(ValueError, match="Subdivision inconnue"):
        WorkingCalendar(subdivision="XX")


def test_calendar_rejects_school_zone():
    with pytest.raises(ValueError, match="zone de vacances scolaires"):
        WorkingCalendar(subdivision="Zone B")


def test_calendar_rejects_unknown_kind_in_french():
    with pytest.raises(ValueError, match="Type de décompte inconnu"):
        WorkingCalendar(kind="ouvré")  # type: ignore[arg-type]


def test_calendar_normalises_alias_so_equal_settings_give_equal_calendars():
    assert WorkingCalendar(subdivision="Moselle") == MOSELLE
    assert WorkingCalendar(subdivision="Moselle").subdivision == "57"
    assert hash(WorkingCalendar(subdivision="Moselle")) == hash(MOSELLE)
    assert WorkingCalendar(subdivision="") == OUVRABLES


def test_calendar_is_hashable_with_closures_and_worked_holidays():
    calendar = WorkingCalendar(
        extra_closures=frozenset({date(2026, 8, 14)}), worked_holidays=frozenset({date(2026, 5, 8)})
    )
    assert {calendar: 1}[calendar] == 1


def test_calendar_accepts_any_iterable_of_dates_and_freezes_it():
    calendar = WorkingCalendar(extra_closures=[date(2026, 8, 14)])  # type: ignore[arg-type]
    assert calendar.extra_closures == frozenset({date(2026, 8, 14)})
    assert calendar == WorkingCalendar(extra_closures=frozenset({date(2026, 8, 14)}))


def test_calendar_rejects_datetime_in_closures():
    with pytest.raises(TypeError, match="Une date"):
        WorkingCalendar(extra_closures=frozenset({datetime(2026, 8, 14, 9, 0)}))


def test_calendar_is_frozen():
    with pytest.raises(AttributeError):
        OUVRABLES.kind = "ouvres"  # type: ignore[misc]


# --- weekends ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "ouvrables", "ouvres"),
    [
        pytest.param(date(2026, 11, 16), True, True, id="monday"),
        pytest.param(date(2026, 11, 18), True, True, id="wednesday"),
        pytest.param(date(2026, 11, 20), True, True, id="friday"),
        pytest.param(date(2026, 11, 21), True, False, id="saturday"),
        pytest.param(date(2026, 11, 22), False, False, id="sunday"),
    ],
)
def test_is_working_day_follows_the_week_in_each_mode(day, ouvrables, ouvres):
    assert OUVRABLES.is_working_day(day) is ouvrables
    assert OUVRES.is_working_day(day) is ouvres


# --- metropolitan public holidays -------------------------------------------------------------

METROPOLITAN_HOLIDAYS_2026 = [
    # (date, weekday, French name)
    (date(2026, 1, 1), "Thursday", "Jour de l'an"),
    (date(2026, 4, 6), "Monday", "Lundi de Pâques"),
    (date(2026, 5, 1), "Friday", "Fête du Travail"),
    (date(2026, 5, 8), "Friday", "Fête de la Victoire"),
    (date(2026, 5, 14), "Thursday", "Ascension"),
    (date(2026, 5, 25), "Monday", "Lundi de Pentecôte"),
    (date(2026, 7, 14), "Tuesday", "Fête nationale"),
    (date(2026, 8, 15), "Saturday", "Assomption"),
    (date(2026, 11, 1), "Sunday", "Toussaint"),
    (date(2026, 11, 11), "Wednesday", "Armistice"),
    (date(2026, 12, 25), "Friday", "Noël"),
]


@pytest.mark.parametrize(
    ("day", "weekday", "name"),
    [pytest.param(*row, id=f"{row[0].isoformat()}-{row[2]}") for row in METROPOLITAN_HOLIDAYS_2026],
)
def test_metropolitan_holiday_is_named_in_french_and_not_worked(day, weekday, name):
    assert day.strftime("%A") == weekday
    assert OUVRABLES.holiday_name(day) == name
    assert OUVRABLES.is_working_day(day) is False
    assert OUVRES.is_working_day(day) is False


def test_metropole_has_exactly_eleven_public_holidays_in_2026():
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert [d for d in days if OUVRABLES.holiday_name(d)] == [
        row[0] for row in METROPOLITAN_HOLIDAYS_2026
    ]


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(date(2027, 3, 29), "Lundi de Pâques", id="easter-monday-2027"),  # Monday
        pytest.param(date(2027, 5, 1), "Fête du Travail", id="1-may-2027-saturday"),
        pytest.param(date(2027, 5, 6), "Ascension", id="ascension-2027"),  # Thursday
        pytest.param(date(2027, 5, 8), "Fête de la Victoire", id="8-may-2027-saturday"),
        pytest.param(date(2027, 5, 17), "Lundi de Pentecôte", id="whit-monday-2027"),  # Monday
    ],
)
def test_holiday_name_is_french_in_2027(day, name):
    assert OUVRABLES.holiday_name(day) == name


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 4, 3), id="good-friday-worked-in-metropole"),  # Friday
        pytest.param(date(2026, 12, 26), id="26-december-worked-in-metropole"),  # Saturday
        pytest.param(date(2026, 11, 2), id="day-after-all-saints"),  # Monday
        pytest.param(date(2026, 12, 24), id="christmas-eve"),  # Thursday
    ],
)
def test_holiday_name_is_none_on_an_ordinary_day(day):
    assert OUVRABLES.holiday_name(day) is None
    assert OUVRABLES.is_working_day(day) is True


def test_holiday_saturday_is_not_working_in_ouvrables():
    # 1 May and 8 May 2027 are Saturdays: a Saturday would be an ouvrable day otherwise.
    assert date(2027, 5, 1).weekday() == 5
    assert date(2027, 5, 8).weekday() == 5
    assert OUVRABLES.is_working_day(date(2027, 5, 1)) is False
    assert OUVRABLES.is_working_day(date(2027, 5, 8)) is False
    assert OUVRABLES.is_working_day(date(2027, 5, 15)) is True  # an ordinary Saturday


def test_holiday_names_are_french_whatever_the_process_locale(monkeypatch):
    # Without language="fr" the package follows the locale and answers in English.
    monkeypatch.setenv("LANGUAGE", "en_US")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    calendar = WorkingCalendar(subdivision="PM")  # (PM, 2041) is used by no other test
    assert calendar.holiday_name(date(2041, 6, 10)) == "Lundi de Pentecôte"  # Monday


# --- Alsace-Moselle and overseas --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        pytest.param(date(2026, 4, 3), "Vendredi saint", id="good-friday-2026"),  # Friday
        pytest.param(date(2026, 12, 26), "Saint-Étienne", id="26-december-2026"),  # Saturday
        pytest.param(date(2025, 12, 26), "Saint-Étienne", id="26-december-2025"),  # Friday
    ],
)
@pytest.mark.parametrize("calendar", [MOSELLE, ALSACE], ids=["57", "6AE"])
def test_alsace_moselle_extra_holiday_is_not_worked(calendar, day, name):
    assert calendar.holiday_name(day) == name
    assert calendar.is_working_day(day) is False
    assert OUVRABLES.is_working_day(day) is True


def test_alsace_and_moselle_codes_give_the_same_days():
    after, up_to = date(2025, 12, 31), date(2030, 12, 31)
    moselle = MOSELLE.count_working_days(after, up_to)
    assert moselle == ALSACE.count_working_days(after, up_to)
    # Five Good Fridays (2026-04-03, 2027-03-26, 2028-04-14, 2029-03-30, 2030-04-19) and four
    # 26 Decembers (2026 Sat, 2028 Tue, 2029 Wed, 2030 Thu; 2027 is a Sunday anyway).
    assert moselle == OUVRABLES.count_working_days(after, up_to) - 9


OVERSEAS_OWN_DAYS = [
    # (subdivision, date, weekday, French name)
    ("971", date(2026, 5, 27), "Wednesday", "Abolition de l'esclavage"),
    ("971", date(2026, 3, 12), "Thursday", "Mi-Carême"),
    ("971", date(2026, 7, 21), "Tuesday", "Fête de Victor Schoelcher"),
    ("972", date(2026, 5, 22), "Friday", "Abolition de l'esclavage"),
    ("973", date(2026, 6, 10), "Wednesday", "Abolition de l'esclavage"),
    ("974", date(2025, 12, 20), "Saturday", "Abolition de l'esclavage"),
    ("974", date(2027, 12, 20), "Monday", "Abolition de l'esclavage"),
    ("976", date(2026, 4, 27), "Monday", "Abolition de l'esclavage"),
    ("BL", date(2026, 10, 9), "Friday", "Abolition de l'esclavage"),
    ("MF", date(2026, 5, 28), "Thursday", "Abolition de l'esclavage"),
    ("NC", date(2026, 9, 24), "Thursday", "Fête de la Citoyenneté"),
    ("PF", date(2026, 3, 5), "Thursday", "Arrivée de l'Évangile"),
    ("PF", date(2026, 4, 3), "Friday", "Vendredi saint"),
    ("WF", date(2026, 7, 29), "Wednesday", "Fête du Territoire"),
]


@pytest.mark.parametrize(
    ("subdivision", "day", "weekday", "name"),
    [pytest.param(*row, id=f"{row[0]}-{row[1].isoformat()}") for row in OVERSEAS_OWN_DAYS],
)
def test_overseas_own_holiday_is_not_worked_there_but_worked_in_metropole(
    subdivision, day, weekday, name
):
    calendar = WorkingCalendar(subdivision=subdivision)
    assert day.strftime("%A") == weekday
    assert calendar.holiday_name(day) == name
    assert calendar.is_working_day(day) is False
    assert OUVRABLES.holiday_name(day) is None
    assert OUVRABLES.is_working_day(day) is True


@pytest.mark.parametrize("subdivision", SUBDIVISIONS)
def test_every_subdivision_keeps_the_national_holidays(subdivision):
    calendar = WorkingCalendar(subdivision=subdivision)
    for day, _weekday, _name in METROPOLITAN_HOLIDAYS_2026:
        assert calendar.is_working_day(day) is False, day


# --- closures and worked holidays -------------------------------------------------------------


def test_extra_closure_makes_an_ordinary_day_non_working():
    calendar = WorkingCalendar(extra_closures=frozenset({date(2026, 8, 14)}))  # Friday
    assert calendar.is_working_day(date(2026, 8, 14)) is False
    assert calendar.holiday_name(date(2026, 8, 14)) is None  # a closure is not a holiday


def test_extra_closure_on_a_saturday_matters_in_ouvrables():
    closed = frozenset({date(2026, 11, 21)})  # Saturday
    assert WorkingCalendar(extra_closures=closed).is_working_day(date(2026, 11, 21)) is False
    assert OUVRABLES.is_working_day(date(2026, 11, 21)) is True


def test_worked_holiday_is_a_working_day_and_keeps_its_name():
    calendar = WorkingCalendar(worked_holidays=frozenset({date(2026, 5, 25)}))  # Whit Monday
    assert calendar.is_working_day(date(2026, 5, 25)) is True
    assert calendar.holiday_name(date(2026, 5, 25)) == "Lundi de Pentecôte"
    assert calendar.is_working_day(date(2026, 5, 14)) is False  # other holidays unchanged


def test_worked_holiday_on_a_sunday_stays_non_working():
    calendar = WorkingCalendar(worked_holidays=frozenset({date(2026, 11, 1)}))  # Sunday
    assert calendar.is_working_day(date(2026, 11, 1)) is False


def test_worked_holiday_on_a_saturday_works_in_ouvrables_only():
    worked = frozenset({date(2026, 8, 15)})  # Assomption, a Saturday
    assert WorkingCalendar(worked_holidays=worked).is_working_day(date(2026, 8, 15)) is True
    assert (
        WorkingCalendar(kind="ouvres", worked_holidays=worked).is_working_day(date(2026, 8, 15))
        is False
    )


def test_worked_date_that_is_no_holiday_changes_nothing():
    worked = frozenset({date(2026, 11, 22), date(2026, 11, 17)})  # Sunday, Tuesday
    calendar = WorkingCalendar(worked_holidays=worked)
    assert calendar.is_working_day(date(2026, 11, 22)) is False
    assert calendar.is_working_day(date(2026, 11, 17)) is True


def test_closure_wins_over_worked_holiday_on_the_same_date():
    day = date(2026, 11, 11)  # Wednesday, Armistice
    calendar = WorkingCalendar(extra_closures=frozenset({day}), worked_holidays=frozenset({day}))
    assert calendar.is_working_day(day) is False


def test_worked_alsace_holiday_is_working_in_moselle():
    calendar = WorkingCalendar(subdivision="57", worked_holidays=frozenset({date(2026, 4, 3)}))
    assert calendar.is_working_day(date(2026, 4, 3)) is True  # Good Friday


# --- next_working_day -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "day", "expected"),
    [
        # Thursday -> Friday
        pytest.param(OUVRABLES, date(2026, 11, 19), date(2026, 11, 20), id="thursday"),
        # Friday -> Saturday in ouvrables, Monday in ouvrés
        pytest.param(OUVRABLES, date(2026, 11, 20), date(2026, 11, 21), id="friday-ouvrables"),
        pytest.param(OUVRES, date(2026, 11, 20), date(2026, 11, 23), id="friday-ouvres"),
        # Saturday and Sunday -> Monday
        pytest.param(OUVRABLES, date(2026, 11, 21), date(2026, 11, 23), id="saturday"),
        pytest.param(OUVRABLES, date(2026, 11, 22), date(2026, 11, 23), id="sunday"),
        # Tuesday 10 Nov -> Thursday 12 (Wednesday 11 November)
        pytest.param(OUVRABLES, date(2026, 11, 10), date(2026, 11, 12), id="over-11-november"),
        # Saturday 23 May -> Tuesday 26 (Sunday, Whit Monday)
        pytest.param(OUVRABLES, date(2026, 5, 23), date(2026, 5, 26), id="over-whit-monday"),
        # Thursday 31 Dec -> Saturday 2 Jan 2027 (New Year's Day) / Monday 4 in ouvrés
        pytest.param(OUVRABLES, date(2026, 12, 31), date(2027, 1, 2), id="new-year-ouvrables"),
        pytest.param(OUVRES, date(2026, 12, 31), date(2027, 1, 4), id="new-year-ouvres"),
        # Thursday 24 Dec 2026 in Moselle -> Monday 28 (Christmas, Saint-Étienne, Sunday)
        pytest.param(MOSELLE, date(2026, 12, 24), date(2026, 12, 28), id="moselle-christmas"),
    ],
)
def test_next_working_day_is_strictly_after(calendar, day, expected):
    assert calendar.next_working_day(day) == expected


# --- add_working_days -------------------------------------------------------------------------


def test_add_zero_working_days_returns_start_even_on_a_sunday():
    assert OUVRABLES.add_working_days(date(2026, 11, 22), 0) == date(2026, 11, 22)


def test_add_working_days_rejects_negative():
    with pytest.raises(ValueError, match="positif ou nul"):
        OUVRABLES.add_working_days(date(2026, 11, 2), -1)


def test_add_working_days_rejects_bool_and_float():
    with pytest.raises(TypeError):
        OUVRABLES.add_working_days(date(2026, 11, 2), True)
    with pytest.raises(TypeError):
        OUVRABLES.add_working_days(date(2026, 11, 2), 2.0)  # type: ignore[arg-type]


def test_calendar_methods_reject_datetime_which_needs_a_local_date_first():
    moment = datetime(2026, 11, 2, 23, 30)
    for call in (
        lambda: OUVRABLES.is_working_day(moment),
        lambda: OUVRABLES.holiday_name(moment),
        lambda: OUVRABLES.add_working_days(moment, 1),
        lambda: OUVRABLES.count_working_days(moment, date(2026, 11, 5)),
        lambda: OUVRABLES.count_working_days(date(2026, 11, 1), moment),
    ):
        with pytest.raises(TypeError, match="Une date"):
            call()


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        # Mon 2 Nov 2026 + 10 ouvrables: 3,4,5,6,7,9,10,12,13,14 (11 Nov) -> Saturday 14
        pytest.param(OUVRABLES, date(2026, 11, 2), 10, date(2026, 11, 14), id="november-ouvrables"),
        # ... in ouvrés: 3,4,5,6,9,10,12,13,16,17 -> Tuesday 17
        pytest.param(OUVRES, date(2026, 11, 2), 10, date(2026, 11, 17), id="november-ouvres"),
        # Tue 22 Dec 2026 + 10: 23,24,26,28,29,30,31,2,4,5 (25 Dec, 1 Jan) -> Tue 5 Jan 2027
        pytest.param(OUVRABLES, date(2026, 12, 22), 10, date(2027, 1, 5), id="year-end-ouvrables"),
        # ... in ouvrés: 23,24,28,29,30,31,4,5,6,7 -> Thursday 7 Jan 2027
        pytest.param(OUVRES, date(2026, 12, 22), 10, date(2027, 1, 7), id="year-end-ouvres"),
        # Thu 31 Dec 2026 + 1 ouvré: Fri 1 Jan holiday, weekend -> Monday 4 Jan 2027
        pytest.param(OUVRES, date(2026, 12, 31), 1, date(2027, 1, 4), id="one-day-over-new-year"),
    ],
)
def test_add_working_days_counts_strictly_after_start(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


def test_add_working_days_over_several_years_matches_day_by_day_walk():
    start, n = date(2026, 6, 15), 900
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += OUVRABLES.is_working_day(day)
    assert OUVRABLES.add_working_days(start, n) == day


# --- count_working_days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "after", "up_to", "expected"),
    [
        pytest.param(OUVRABLES, date(2026, 11, 2), date(2026, 11, 2), 0, id="same-day"),
        pytest.param(OUVRABLES, date(2026, 11, 5), date(2026, 11, 2), 0, id="reversed"),
        # Mon 2 -> Sat 14 Nov 2026: 3,4,5,6,7,9,10,12,13,14
        pytest.param(OUVRABLES, date(2026, 11, 2), date(2026, 11, 14), 10, id="november"),
        # Fri 20 -> Mon 23 Nov: Saturday and Monday / Monday only
        pytest.param(OUVRABLES, date(2026, 11, 20), date(2026, 11, 23), 2, id="weekend-ouvrables"),
        pytest.param(OUVRES, date(2026, 11, 20), date(2026, 11, 23), 1, id="weekend-ouvres"),
        # Sat 21 -> Sun 22: nothing in ouvrables (Saturday excluded, Sunday off)
        pytest.param(OUVRABLES, date(2026, 11, 21), date(2026, 11, 22), 0, id="sat-to-sun"),
        # Thu 24 Dec 2026 -> Mon 4 Jan 2027: 26,28,29,30,31,2,4 / 28,29,30,31,4
        pytest.param(OUVRABLES, date(2026, 12, 24), date(2027, 1, 4), 7, id="year-ouvrables"),
        pytest.param(OUVRES, date(2026, 12, 24), date(2027, 1, 4), 5, id="year-ouvres"),
        # ... in Moselle the 26th (Saturday) is off: 28,29,30,31,2,4
        pytest.param(MOSELLE, date(2026, 12, 24), date(2027, 1, 4), 6, id="year-moselle"),
        # Whole 2026 in ouvrés: 261 weekdays - 9 holidays on weekdays (15 Aug Sat, 1 Nov Sun)
        pytest.param(OUVRES, date(2025, 12, 31), date(2026, 12, 31), 252, id="year-2026-ouvres"),
        # ... in ouvrables: 313 Monday-Saturday days - 10 holidays (1 Nov is a Sunday)
        pytest.param(
            OUVRABLES, date(2025, 12, 31), date(2026, 12, 31), 303, id="year-2026-ouvrables"
        ),
    ],
)
def test_count_working_days_counts_after_exclusive_up_to_inclusive(
    calendar, after, up_to, expected
):
    assert calendar.count_working_days(after, up_to) == expected


# --- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
calendars = st.builds(
    WorkingCalendar,
    kind=st.sampled_from(CALENDAR_KINDS),
    subdivision=st.sampled_from([None, "57", "6AE", "971", "974", "NC"]),
    extra_closures=st.frozensets(days, max_size=5),
    worked_holidays=st.frozensets(days, max_size=5),
)


def _oracle_is_working(calendar: WorkingCalendar, day: date) -> bool:
    """The rule, straight from the package, without any table or cache."""
    if day.weekday() == 6 or (day.weekday() == 5 and calendar.kind == "ouvres"):
        return False
    if day in calendar.extra_closures:
        return False
    public = holidays.France(years=day.year, subdiv=calendar.subdivision)
    return day not in public or day in calendar.worked_holidays


@PROPERTY
@given(calendar=calendars, day=days)
def test_is_working_day_matches_the_rule_computed_directly(calendar, day):
    assert calendar.is_working_day(day) is _oracle_is_working(calendar, day)


@PROPERTY
@given(calendar=calendars, start=days, n=st.integers(min_value=0, max_value=400))
def test_add_then_count_gives_back_n(calendar, start, n):
    end = calendar.add_working_days(start, n)
    assert calendar.count_working_days(start, end) == n
    if n:
        assert end > start
        assert calendar.is_working_day(end)


@PROPERTY
@given(calendar=calendars, start=days, span=st.integers(min_value=0, max_value=60))
def test_count_matches_a_day_by_day_walk(calendar, start, span):
    end = start + timedelta(days=span)
    walked = sum(calendar.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1))
    assert calendar.count_working_days(start, end) == walked


@PROPERTY
@given(calendar=calendars, dates=st.lists(days, min_size=3, max_size=3))
def test_count_is_additive_over_consecutive_periods(calendar, dates):
    a, b, c = sorted(dates)
    assert calendar.count_working_days(a, c) == calendar.count_working_days(
        a, b
    ) + calendar.count_working_days(b, c)


@PROPERTY
@given(day=days)
def test_ouvres_days_are_a_subset_of_ouvrables_days(day):
    assert not (OUVRES.is_working_day(day) and not OUVRABLES.is_working_day(day))


# --- performance ------------------------------------------------------------------------------


def test_lookups_are_cheap_once_the_year_is_built():
    calendar = WorkingCalendar(subdivision="974")
    calendar.is_working_day(date(2026, 1, 1))  # builds 2026
    start = perf_counter()
    for i in range(50_000):
        calendar.count_working_days(date(2026, 3, 2), date(2026, 3, 2) + timedelta(days=i % 200))
    assert perf_counter() - start < 1.0  # about 0.03 s on a laptop
