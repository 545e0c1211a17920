"""The counts the statistics read, kept in the transaction of every change (decision 0029): a
complaint counts once in each figure, on its day and in its month of reception; a change moves
it; `verify` finds counts that differ from the register, and `statistics-rebuild` recounts."""

import re
from dataclasses import replace
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.counted import Counted, from_text, moves
from reclamations.complaints.counts_rebuild import rebuild_counts
from reclamations.complaints.models import CountedComplaint, StatisticsCount
from reclamations.complaints.services import complaint_apply
from reclamations.reporting.integrity import verify_all
from tests.clock import NOW, at
from tests.factories import REPLY, make_complaint
from tests.harness.migrations import latest, migrate_to

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026
TODAY = NOW.date()


def _counts(**filters):
    return {
        (month, day, figure, value): n
        for month, day, figure, value, n in StatisticsCount.objects.filter(**filters)
        .order_by("month", "day", "figure", "value")
        .values_list("month", "day", "figure", "value", "complaints")
    }


def _day_figures(day):
    return {
        (figure, value): n
        for (month, counted_on, figure, value), n in _counts().items()
        if not month and counted_on == day
    }


def test_a_registration_counts_the_complaint_once_in_each_figure_on_its_day(organisation, referent):
    make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 29),
        channel="letter",
        client_email="",
        category="trainer",
        funding="cpf",
        training="Excel",
        trainer="Paul Roux",
    )

    assert _day_figures(date(2026, 10, 29)) == {
        ("received", ""): 1,
        ("kind", "complaint"): 1,
        ("channel", "letter"): 1,
        ("category", "trainer"): 1,
        ("client_type", "consumer"): 1,
        ("funding", "cpf"): 1,
        ("client_satisfaction", ""): 1,
        ("client_acceptance", "unknown"): 1,
        ("training", "Excel"): 1,
        ("trainer", "Paul Roux"): 1,
        ("funder", ""): 1,
        ("cause", ""): 1,
        ("open", ""): 1,
        # The register's codes together: status, kind, channel, category, client type.
        ("register", "in_progress complaint letter trainer consumer"): 1,
    }
    # The same once for the month, but the open complaints (read by their day only).
    by_month = {(f, v): n for (m, _d, f, v), n in _counts(month=True).items()}
    assert by_month == {
        key: n for key, n in _day_figures(date(2026, 10, 29)).items() if key[0] != "open"
    }
    assert set(_counts(month=True)) == {(True, date(2026, 10, 1), f, v) for f, v in by_month}


def test_a_reply_counts_its_span_and_whether_on_time_and_the_complaint_is_no_longer_open(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 10, 26))
    make_complaint(organisation, referent, received_at=at(2026, 10, 26, 11))

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={**REPLY, "replied_on": "2026-10-30"},
    )

    figures = _day_figures(date(2026, 10, 26))
    assert figures[("received", "")] == 2
    assert figures[("reply", "2026-10-26 2026-10-30")] == 1
    assert figures[("on_time", "yes")] == 1
    assert figures[("open", "")] == 1  # the second
    # The e-mailed acknowledgements are not sent yet: none counted.
    assert not [key for key in figures if key[0] == "acknowledgement"]
    kept = from_text(CountedComplaint.objects.get(complaint=complaint).counted)
    assert (kept.first_replied_on, kept.replied_on_time, kept.open) == (
        date(2026, 10, 30),
        True,
        False,
    )


def test_a_new_day_of_reception_moves_every_count_and_empties_none_left_behind(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 10, 29))

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="update_details",
        data={"received_at": "2026-09-30T16:00:00+02:00", "reason": "Cachet de la poste."},
    )

    assert _day_figures(date(2026, 10, 29)) == {}
    assert not _counts(month=True, day=date(2026, 10, 1))
    assert _day_figures(date(2026, 9, 30))[("received", "")] == 1
    assert _counts(month=True, day=date(2026, 9, 1), figure="received") == {
        (True, date(2026, 9, 1), "received", ""): 1
    }


def test_a_change_that_counts_nothing_new_writes_no_count(organisation, referent):
    complaint = make_complaint(organisation, referent)
    before = _counts()
    writes = []

    def watch(execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith("SELECT"):
            writes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        complaint_apply(
            complaint=complaint, actor=referent, action="add_note", data={"text": "Appel."}
        )

    assert _counts() == before
    assert not [sql for sql in writes if "statistics_count" in sql or "complaints_counted" in sql]


def test_moves_take_off_what_was_counted_and_add_what_is():
    before = Counted(
        received_on=date(2026, 3, 2),
        codes=("complaint", "email", "", "", "", "", "unknown"),
        texts=("Excel", "", "", ""),
        reply_started_on=None,
        first_replied_on=None,
        replied_on_time=None,
        acknowledged_on=None,
        status="in_progress",
    )
    after = replace(before, texts=("Word", "", "", ""), status="replied")

    assert moves(before, after) == {
        (False, date(2026, 3, 2), "training", "Excel"): -1,
        (True, date(2026, 3, 1), "training", "Excel"): -1,
        (False, date(2026, 3, 2), "training", "Word"): 1,
        (True, date(2026, 3, 1), "training", "Word"): 1,
        (False, date(2026, 3, 2), "open", ""): -1,
        (False, date(2026, 3, 2), "register", "in_progress complaint email  "): -1,
        (True, date(2026, 3, 1), "register", "in_progress complaint email  "): -1,
        (False, date(2026, 3, 2), "register", "replied complaint email  "): 1,
        (True, date(2026, 3, 1), "register", "replied complaint email  "): 1,
    }
    assert moves(before, before) == {}


@pytest.mark.tampered
def test_verify_names_counts_that_differ_from_the_register_and_the_rebuild_recounts(
    organisation, referent
):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 10, 29))
    StatisticsCount.objects.filter(month=False, figure="channel").update(complaints=3)
    CountedComplaint.objects.filter(complaint=complaint).update(
        counted=CountedComplaint.objects.get(complaint=complaint).counted.replace(
            '"email"', '"letter"'
        )
    )

    assert verify_all()[0].findings == (
        f"statistiques : {complaint.reference} est comptée avec canal « letter » au lieu de "
        "« email »",
        "statistiques : canal « email », réclamations reçues le 29/10/2026 : 3 au compte, "
        "1 au registre",
        "statistiques : « reclamations statistics-rebuild » les recompte depuis le registre",
    )

    out = StringIO()
    call_command("statistics-rebuild", stdout=out)

    assert out.getvalue() == "Statistiques recomptées : 1 réclamation(s).\n"
    assert verify_all()[0].ok


@pytest.mark.tampered
def test_verify_recounts_a_month_kept_without_complaints_between_months_with_some(
    organisation, referent
):
    make_complaint(organisation, referent, received_at=at(2026, 8, 20))
    make_complaint(organisation, referent, received_at=at(2026, 10, 29))
    StatisticsCount.objects.create(
        organisation=organisation,
        month=False,
        day=date(2026, 9, 15),
        figure="received",
        value="",
        complaints=1,
    )
    StatisticsCount.objects.filter(month=True, day=date(2026, 10, 1), figure="kind").update(
        complaints=2
    )

    assert verify_all()[0].findings == (
        "statistiques : réclamations reçues, réclamations reçues le 15/09/2026 : 1 au compte, "
        "0 au registre",
        "statistiques : nature « complaint », réclamations reçues en octobre 2026 : 2 au compte, "
        "1 au registre",
        "statistiques : « reclamations statistics-rebuild » les recompte depuis le registre",
    )


def _rebuild_statements() -> tuple[list[str], list[str]]:
    """What a recount of the whole installation reads, and what it inserts."""
    with CaptureQueriesContext(connection) as queries:
        rebuild_counts()
    # An executemany is logged as "N times: INSERT ...".
    verbs = [re.sub(r"^\d+ times: ", "", query["sql"]).split()[0].upper() for query in queries]
    # PostgreSQL streams the register through a server-side cursor: DECLARE ... FOR SELECT.
    reads = [verb for verb in verbs if verb in ("SELECT", "DECLARE")]
    return reads, [verb for verb in verbs if verb == "INSERT"]


def test_the_rebuild_reads_five_years_of_register_in_as_many_queries_as_one_complaint(
    organisation, referent, other_organisation, outsider
):
    make_complaint(other_organisation, outsider, received_at=at(2026, 10, 29))
    reads_for_one_complaint, _inserts = _rebuild_statements()
    for months_later in range(60):  # November 2021 to October 2026, one complaint a month
        year, month = divmod(2021 * 12 + 10 + months_later, 12)
        make_complaint(organisation, referent, received_at=at(year, month + 1, 15))
    kept = (_counts(), sorted(CountedComplaint.objects.values_list("complaint_id", "counted")))

    reads, inserts = _rebuild_statements()

    # The register's complaints in one stream, their first acknowledgements in one query.
    assert len(reads) == len(reads_for_one_complaint) == 2
    written = StatisticsCount.objects.count() + CountedComplaint.objects.count()
    assert written > 100 * len(inserts)  # by batches of rows, not by month
    assert (_counts(), sorted(CountedComplaint.objects.values_list("complaint_id", "counted"))) == (
        kept
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_complaints_already_registered(
    organisation, referent, back_to_the_latest_schema
):
    replied = make_complaint(organisation, referent, received_at=at(2026, 10, 5))
    complaint_apply(complaint=replied, actor=referent, action="reply", data=REPLY)
    make_complaint(organisation, referent, channel="phone", training="Word")
    counted = _counts()
    migrate_to([("complaints", "0020_retention")])

    migrate_to(latest())

    assert _counts() == counted
    assert CountedComplaint.objects.count() == 2
