"""The whole register's statistics are read from counts kept as complaints change (decision
0029): over a register that went through every kind of change, they are exactly the figures
read from the complaints themselves, for periods of whole months, of ragged ends, of one day
or of several years."""

from datetime import date, timedelta
from random import Random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.anonymisation import anonymise_complaint, archive_complaint
from reclamations.complaints.client_requests import client_gives_opinion
from reclamations.complaints.counts_rebuild import rebuild_counts
from reclamations.complaints.models import CountedComplaint, StatisticsCount
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import compute
from tests.clock import NOW, PARIS, at
from tests.factories import REPLY, make_complaint

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()  # Monday 2 November 2026
PERIODS = [
    Period(date(2026, 1, 1), TODAY),  # the year to date, beside the same dates of 2025
    Period(date(2025, 1, 1), date(2025, 12, 31)),  # a whole year
    Period(date(2025, 10, 15), date(2026, 2, 10)),  # ragged at both ends
    Period(date(2026, 3, 1), date(2026, 3, 31)),  # one month
    Period(date(2025, 6, 17), date(2025, 6, 17)),  # one day
    Period(date(2024, 7, 10), TODAY),  # over a year: beside the days just before
    Period(date(2025, 5, 20), date(2025, 5, 31)),  # the end of a month
    # 366 days: beside the same dates a year before, which end on its first day
    Period(date(2025, 3, 1), date(2026, 3, 1)),
]
TRAININGS = ["Excel", "Word", "Anglais", "Management", "", "Sécurité incendie"]
TRAINERS = ["Paul Roux", "Anne Lenoir", ""]
FUNDERS = ["OPCO Atlas", "Caisse des dépôts", ""]
CAUSES = ["Locaux, matériel ou équipement", "Autre"]


def _registered(clock, organisation, referent, rng, when, **fields):
    clock.move_to(when)
    values = {
        "channel": rng.choice(["email", "email", "web", "api", "letter"]),
        "category": rng.choice(["pedagogy", "trainer", "administrative", ""]),
        "funding": rng.choice(["cpf", "opco", "self_funded", ""]),
        "training": rng.choice(TRAININGS),
        "trainer": rng.choice(TRAINERS),
        "funder": rng.choice(FUNDERS),
        "client_name": rng.choice(["Julie Martin", "Alice Bernard", "Marc Petit"]),
        "client_account": rng.choice(["CLI-1", "CLI-2", "CLI-3"]),
        **fields,
    }
    if values["channel"] == "letter":
        values["client_email"] = ""
    complaint = make_complaint(organisation, referent, **values)
    if rng.random() < 0.6:  # the acknowledgement e-mailed that day; else with the next step
        deliver_due()
    return complaint


def _apply(clock, complaint, referent, action, when=None, **data):
    if when is not None:
        clock.move_to(when)
    complaint_apply(complaint=complaint, actor=referent, action=action, data=data)
    deliver_due()


def _reply(clock, complaint, referent, days_later):
    replied = complaint.received_on + timedelta(days=days_later)
    moment = at(replied.year, replied.month, replied.day, 15)
    _apply(clock, complaint, referent, "reply", moment, **{**REPLY, "replied_on": replied})


def _lives(clock, organisation, referent, rng, when, life):
    """One complaint, taken through one of ten lives."""
    later = when + timedelta(days=rng.randint(1, 4))
    if life == 3:
        complaint = _registered(clock, organisation, referent, rng, when, channel="phone")
        _apply(
            clock, complaint, referent, "record_confirmation", later,
            received_on=later.date(), via="letter",
        )  # fmt: skip
        _reply(clock, complaint, referent, rng.randint(5, 12))
        _apply(clock, complaint, referent, "escalate_mediation")
        return
    if life == 9:  # incomplete, still open
        _registered(clock, organisation, referent, rng, when, client_account="")
        return
    # A letter is acknowledged by post (life 4), the others by e-mail when registered.
    channel = {"channel": "letter"} if life == 4 else {}
    complaint = _registered(clock, organisation, referent, rng, when, **channel)
    if life == 0:
        _reply(clock, complaint, referent, rng.randint(2, 9))
        _apply(clock, complaint, referent, "close", outcome="granted", client_acceptance="accepted")
    elif life == 1:  # late, closed, reopened, replied again, closed again
        _reply(clock, complaint, referent, rng.randint(15, 25))
        _apply(clock, complaint, referent, "close", outcome="rejected")
        _apply(clock, complaint, referent, "reopen", reason="Le client conteste.")
        _reply(clock, complaint, referent, 30)
        _apply(clock, complaint, referent, "close", outcome="partly_granted")
    elif life == 2:
        _apply(
            clock, complaint, referent, "request_information", later,
            missing="Le numéro de session.", sent_via="email",
        )  # fmt: skip
        answered = later + timedelta(days=3)
        _apply(
            clock, complaint, referent, "record_information", answered,
            received_on=answered.date(), summary="Session de mars.",
        )  # fmt: skip
        _reply(clock, complaint, referent, rng.randint(8, 14))
    elif life == 4:  # acknowledged by post, then the client's opinion
        _apply(clock, complaint, referent, "send_acknowledgement", later, channel="letter")
        _reply(clock, complaint, referent, rng.randint(3, 10))
        client_gives_opinion(
            complaint=complaint,
            satisfaction=rng.choice(["satisfied", "partly", "not_satisfied"]),
            resolved=rng.choice(["yes", "no"]),
        )
        _apply(clock, complaint, referent, "close", outcome="granted")
    elif life == 5:
        return  # in progress
    elif life == 6:
        _apply(clock, complaint, referent, "declare_not_admissible", reason="Hors du champ.")
    elif life == 7:  # its reception, channel and training corrected; archived, anonymised
        earlier = complaint.received_at - timedelta(days=rng.randint(1, 40))
        _apply(
            clock, complaint, referent, "update_details", later,
            received_at=earlier.astimezone(PARIS).isoformat(), reason="Cachet de la poste.",
            channel="letter", training="Bureautique", category="trainer",
        )  # fmt: skip
        _reply(clock, complaint, referent, rng.randint(30, 50))
        _apply(clock, complaint, referent, "close", outcome="granted", client_acceptance="disputed")
        complaint.refresh_from_db()
        archive_complaint(complaint, actor=referent, today=TODAY)
        anonymise_complaint(complaint, actor=referent, today=TODAY, reason="test")
    elif life == 8:
        _apply(
            clock, complaint, referent, "analyse_cause", later,
            cause=rng.choice(CAUSES), cause_analysis="Vu avec l'équipe.",
        )  # fmt: skip
        _reply(clock, complaint, referent, rng.randint(1, 12))
        _apply(clock, complaint, referent, "escalate_litigation")


@pytest.fixture
def lived_register(clock, organisation, referent):
    """About forty complaints received from March 2024 to today, each through one of ten lives
    (the same register every run: its draws are seeded)."""
    rng = Random(29)
    day = date(2024, 3, 4)
    life = 0
    while day < TODAY - timedelta(days=2):
        when = at(day.year, day.month, day.day, rng.randint(9, 17))
        _lives(clock, organisation, referent, rng, when, life % 10)
        life += 1
        day += timedelta(days=rng.randint(10, 25))
    # On the day a period of 366 days shares with the year before it (PERIODS)
    _registered(clock, organisation, referent, rng, at(2025, 3, 1, 10))
    for days_ago in (12, 5, 1):  # open for a few days
        day = TODAY - timedelta(days=days_ago)
        _registered(clock, organisation, referent, rng, at(day.year, day.month, day.day, 11))
    clock.move_to(NOW)
    deliver_due()
    return organisation


def test_the_kept_counts_give_the_figures_read_from_the_complaints(lived_register):
    for period in PERIODS:
        kept = compute(lived_register, period, today=TODAY)
        read = compute(lived_register, period, today=TODAY, from_register=True)
        assert kept == read, period
    whole = compute(lived_register, Period(date(2024, 1, 1), TODAY), today=TODAY)
    assert whole.received >= 40
    assert whole.to_acknowledge.p90 and whole.to_reply.p90 and whole.mediation
    assert all(line.value for line in whole.open_by_age[:2] + whole.open_by_age[3:])

    # The spans are kept as days: a new calendar counts them in its own working days.
    lived_register.calendar_kind = "ouvres"
    lived_register.save()
    for period in PERIODS[:3]:
        kept = compute(lived_register, period, today=TODAY)
        assert kept == compute(lived_register, period, today=TODAY, from_register=True)
        assert kept.unit == "jours ouvrés"


def test_they_are_what_a_recount_writes_and_take_six_queries(lived_register):
    def kept():
        return (
            sorted(
                StatisticsCount.objects.values_list("month", "day", "figure", "value", "complaints")
            ),
            sorted(CountedComplaint.objects.values_list("complaint_id", "counted")),
        )

    counts, counted = kept()
    with CaptureQueriesContext(connection) as queries:
        compute(lived_register, Period(date(2024, 1, 1), TODAY), today=TODAY)
    # The counts, the open complaints, the repeat clients and accounts, the escalations.
    assert len(queries) == 6

    assert rebuild_counts() == len(counted) >= 40

    assert kept() == (counts, counted)
    assert all(n > 0 for *_key, n in counts)  # a count fallen to zero is removed
