"""The register's statistics: each figure of a small register, its compared period, and a
fixed number of queries whatever the register's size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.services import complaint_apply
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import Line, Spread, compute, spread
from tests.clock import NOW, at
from tests.factories import REPLY, make_complaint

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()  # Monday 2 November 2026
YEAR_TO_DATE = Period(date(2026, 1, 1), TODAY)


def _replied(organisation, referent, received, replied_on, **fields):
    complaint = make_complaint(organisation, referent, received_at=received, **fields)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={**REPLY, "replied_on": replied_on},
    )
    return complaint


@pytest.fixture
def register(organisation, referent):
    alice = {
        "client_name": "Alice Bernard",
        "client_account": "CLI-1",
        "training": "Excel",
        "trainer": "Paul Roux",
        "funder": "OPCO Atlas",
    }
    on_time = _replied(organisation, referent, at(2026, 10, 5), "2026-10-09", **alice)  # 4 days
    complaint_apply(
        complaint=on_time,
        actor=referent,
        action="analyse_cause",
        data={"cause": "Locaux, matériel ou équipement", "cause_analysis": "Vidéoprojecteur."},
    )
    _replied(  # 17 days (ouvrables, Sundays excepted): late
        organisation, referent, at(2026, 10, 12), "2026-10-31", channel="letter", **alice
    )
    mediated = _replied(organisation, referent, at(2026, 9, 1), "2026-09-03", training="Word")
    complaint_apply(complaint=mediated, actor=referent, action="escalate_mediation", data={})
    make_complaint(organisation, referent, training="Word")  # received today, open
    _replied(organisation, referent, at(2025, 3, 3), "2025-03-05", training="Excel")  # compared


def test_the_compared_period_is_the_same_dates_a_year_earlier_or_the_length_before():
    assert YEAR_TO_DATE.compared() == Period(date(2025, 1, 1), date(2025, 11, 2))
    assert Period(date(2024, 2, 29), date(2024, 3, 1)).compared() == Period(
        date(2023, 2, 28), date(2023, 3, 1)
    )
    two_years = Period(date(2024, 1, 1), date(2025, 12, 31))
    assert two_years.compared() == Period(date(2021, 12, 31), date(2023, 12, 31))
    assert Period(date(1, 1, 1), date(1, 3, 1)).compared().start == date.min


def test_received_by_month_beside_the_same_month_a_year_earlier(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)

    assert (figures.received, figures.received_before) == (4, 1)
    assert [line.label for line in figures.by_month] == [
        f"{month} 2026"
        for month in (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
        )
    ]
    assert figures.by_month[2] == Line("mars 2026", 0, 1)
    assert figures.by_month[8:] == (
        Line("septembre 2026", 1, 0),
        Line("octobre 2026", 2, 0),
        Line("novembre 2026", 1, 0),
    )


def test_breakdowns_by_channel_and_training(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)
    breakdowns = {breakdown.key: breakdown.lines for breakdown in figures.breakdowns}

    # In the order of the choices, those of neither period left out.
    assert breakdowns["channel"] == (Line("Courrier", 1, 0), Line("E-mail", 3, 1))
    assert breakdowns["kind"] == (Line("Réclamation", 4, 1),)
    assert breakdowns["training"] == (Line("Excel", 2, 1), Line("Word", 2, 0))
    assert list(breakdowns) == [
        "kind",
        "channel",
        "category",
        "client_type",
        "funding",
        "client_satisfaction",
        "client_acceptance",
        "training",
        "trainer",
        "funder",
        "cause",
    ]


def test_breakdowns_by_trainer_funder_and_cause_count_the_unknown_apart(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)
    breakdowns = {breakdown.key: breakdown.lines for breakdown in figures.breakdowns}

    assert breakdowns["trainer"] == (Line("Paul Roux", 2, 0), Line("Non renseigné", 2, 1))
    assert breakdowns["funder"] == (Line("OPCO Atlas", 2, 0), Line("Non renseigné", 2, 1))
    assert breakdowns["cause"] == (
        Line("Locaux, matériel ou équipement", 1, 0),
        Line("Non renseigné", 3, 1),
    )


def test_figures_limited_to_a_trainer_say_so_and_count_only_theirs(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY, scope={"trainer": "Paul Roux"})

    assert (figures.received, figures.received_before) == (2, 0)
    assert figures.to_reply.count == 2
    assert figures.mediation == 0  # the mediated complaint is another trainer's
    assert figures.scope_text() == "formateur ou formatrice : « Paul Roux »"
    by_cause = {b.key: b.lines for b in figures.breakdowns}["cause"]
    assert by_cause == (Line("Locaux, matériel ou équipement", 1, 0), Line("Non renseigné", 1, 0))


def test_figures_limited_to_a_cause_nobody_has_are_zero(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY, scope={"cause": "Autre"})

    assert (figures.received, figures.received_before, figures.replied) == (0, 0, 0)
    assert figures.to_acknowledge.count == 0


def test_working_days_to_reply_and_the_share_on_time(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)

    assert figures.to_reply == Spread(3, 4.0, 17)
    assert figures.to_reply_before == Spread(1, 2.0, 2)
    assert (figures.replied, figures.replied_on_time, figures.on_time_share) == (3, 2, 66.7)
    assert figures.on_time_share_before == 100.0
    assert figures.unit == "jours ouvrables"


def test_open_complaints_by_age_repeats_and_escalations(organisation, register):
    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)

    assert [line.value for line in figures.open_by_age] == [1, 0, 0, 0]
    # The factory's Julie Martin (CLI-001) came twice too.
    assert figures.repeat_counts == {"client": 2, "account": 2, "training": 2}
    assert {(r.what, r.value, r.complaints) for r in figures.repeats} == {
        ("client", "Alice Bernard", 2),
        ("client", "Julie Martin", 2),
        ("account", "CLI-1", 2),
        ("account", "CLI-001", 2),
        ("training", "Excel", 2),
        ("training", "Word", 2),
    }
    assert (figures.mediation, figures.mediation_before) == (1, 0)
    assert (figures.litigation, figures.litigation_before) == (0, 0)


def test_an_empty_period_has_figures_too(organisation, register):
    figures = compute(organisation, Period(date(2020, 1, 1), date(2020, 1, 31)), today=TODAY)

    assert (figures.received, figures.received_before) == (0, 0)
    assert figures.to_reply == Spread(0, None, None)
    assert figures.on_time_share is None
    assert all(not breakdown.lines for breakdown in figures.breakdowns)


def test_another_organisation_counts_nothing(organisation, other_organisation, register):
    assert compute(other_organisation, YEAR_TO_DATE, today=TODAY).received == 0


def test_the_query_count_does_not_grow_with_the_register(organisation, referent):
    make_complaint(organisation, referent)
    with CaptureQueriesContext(connection) as small:
        compute(organisation, YEAR_TO_DATE, today=TODAY)
    for day in range(1, 20):
        _replied(organisation, referent, at(2026, 10, day), "2026-10-30", training=f"T{day}")
    with CaptureQueriesContext(connection) as large:
        compute(organisation, YEAR_TO_DATE, today=TODAY)
    assert len(large) == len(small) <= 13  # SQLite counts each free text apart


@pytest.mark.parametrize(
    ("days", "expected"),
    [([], Spread(0, None, None)), ([5], Spread(1, 5.0, 5)), ([1, 2, 3, 4], Spread(4, 2.5, 4))],
)
def test_spread_is_the_median_and_the_nearest_rank_90th_percentile(days, expected):
    assert spread(days) == expected
    assert spread(list(range(1, 11))) == Spread(10, 5.5, 9)


def test_an_acknowledgement_printed_to_post_counts_on_the_day_it_was_printed(
    organisation, referent
):
    complaint = make_complaint(
        organisation, referent, received_at=at(2026, 10, 26), channel="letter", client_email=""
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )

    figures = compute(organisation, YEAR_TO_DATE, today=TODAY)

    # Monday 26 October to Monday 2 November: six working days (ouvrables: Saturday counts).
    assert figures.to_acknowledge == Spread(1, 6.0, 6)
