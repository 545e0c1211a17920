"""The statistics kept while the register does not change: a change (an event) or new deadline
settings compute them again."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.services import complaint_apply
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics_cache import statistics_for
from tests.clock import NOW
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()
YEAR = Period(date(2026, 1, 1), TODAY)


def test_the_same_figures_again_cost_two_small_queries(organisation, referent):
    make_complaint(organisation, referent)
    first = statistics_for(organisation, YEAR, today=TODAY)

    with CaptureQueriesContext(connection) as again:
        second = statistics_for(organisation, YEAR, today=TODAY)

    assert second == first
    assert len(again) == 1  # the chain head's number


def test_a_change_to_the_register_computes_them_again(organisation, referent):
    complaint = make_complaint(organisation, referent)
    before = statistics_for(organisation, YEAR, today=TODAY)

    complaint_apply(
        complaint=complaint, actor=referent, action="analyse_cause", data={"cause": "Autre"}
    )
    make_complaint(organisation, referent)
    after = statistics_for(organisation, YEAR, today=TODAY)

    assert (before.received, after.received) == (1, 2)


def test_new_deadline_settings_or_another_scope_compute_them_again(organisation, referent):
    make_complaint(organisation, referent)
    statistics_for(organisation, YEAR, today=TODAY)

    organisation.calendar_kind = "ouvres"
    organisation.save()
    with CaptureQueriesContext(connection) as recomputed:
        statistics_for(organisation, YEAR, today=TODAY)
    scoped = statistics_for(organisation, YEAR, today=TODAY, scope={"trainer": "Paul Roux"})

    assert len(recomputed) > 1
    assert recomputed.captured_queries  # computed, not read
    assert scoped.received == 0
    assert scoped.unit == "jours ouvrés"
