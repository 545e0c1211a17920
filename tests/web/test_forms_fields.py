"""Small pieces shared by the staff forms."""

from datetime import date, datetime, time

from reclamations.web.forms.fields import local_moment
from tests.clock import PARIS


def test_a_date_and_a_time_typed_in_the_organisation_zone_make_one_moment():
    moment = local_moment(date(2026, 3, 29), time(9, 30), PARIS)

    assert moment == datetime(2026, 3, 29, 9, 30, tzinfo=PARIS)
    assert moment.utcoffset().total_seconds() == 2 * 3600  # summer time began that night


def test_without_a_time_the_moment_is_midnight():
    assert local_moment(date(2026, 11, 2), None, PARIS) == datetime(2026, 11, 2, tzinfo=PARIS)


def test_without_a_date_there_is_no_moment():
    assert local_moment(None, time(9, 30), PARIS) is None
