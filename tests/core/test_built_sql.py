"""A statement the ORM builds once, then filled with each call's values: the same SQL and
parameters as the ORM would write for those values, and it refuses what it cannot fill."""

from collections.abc import Mapping
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from reclamations.complaints.models import Complaint
from reclamations.core.built_sql import BuiltStatements, Value
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def _open_since(values: Mapping[str, Value]):
    return Complaint.objects.filter(
        organisation_id=values["organisation"],
        received_on__gte=values["since"],
        anonymised_on__isnull=True,  # a constant parameter of its own on some databases
        client_says_unresolved=False,  # a bool, never taken for a value
    ).values_list("reference", flat=True)[:7]


SAMPLES = {"organisation": -7_654_321, "since": date(1901, 1, 1)}


def test_filled_is_what_the_orm_writes_for_the_same_values():
    statements = BuiltStatements(_open_since, SAMPLES)
    values = {"organisation": 42, "since": date(2026, 3, 1)}
    expected = _open_since(values).query.get_compiler(connection=connection).as_sql()
    assert statements.filled(values) == (expected[0], list(expected[1]))


def test_each_use_of_a_value_is_filled():
    statements = BuiltStatements(
        lambda values: Complaint.objects.filter(
            organisation_id=values["organisation"],
            registered_by__organisation_id=values["organisation"],
        ),
        {"organisation": -7_654_321},
    )
    _sql, params = statements.filled({"organisation": 5})
    assert params.count(5) == 2
    assert -7_654_321 not in params


def test_the_statement_is_built_once_per_database():
    built: list[Mapping[str, Value]] = []

    def build(values: Mapping[str, Value]):
        built.append(values)
        return _open_since(values)

    statements = BuiltStatements(build, SAMPLES)
    statements.filled({"organisation": 1, "since": date(2026, 1, 1)})
    statements.filled({"organisation": 2, "since": date(2025, 1, 1)})
    assert built == [SAMPLES]


def test_a_moment_is_filled_as_the_database_takes_it():
    statements = BuiltStatements(
        lambda values: Complaint.objects.filter(received_at__lt=values["before"]),
        {"before": datetime(1901, 1, 1, tzinfo=UTC)},
    )
    moment = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    expected = (
        Complaint.objects.filter(received_at__lt=moment)
        .query.get_compiler(connection=connection)
        .as_sql()
    )
    assert statements.filled({"before": moment}) == (expected[0], list(expected[1]))


def test_the_statement_runs_and_finds_what_the_orm_finds(organisation, referent):
    complaint = make_complaint(organisation, referent)
    statements = BuiltStatements(_open_since, SAMPLES)
    sql, params = statements.filled({"organisation": organisation.pk, "since": date(2000, 1, 1)})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [row[0] for row in cursor.fetchall()]
    assert found == [complaint.reference]


def test_values_must_name_each_sample():
    statements = BuiltStatements(_open_since, SAMPLES)
    with pytest.raises(ValueError, match="since"):
        statements.filled({"organisation": 1})


def test_a_sample_the_statement_does_not_take_is_refused():
    statements = BuiltStatements(
        lambda values: Complaint.objects.filter(organisation_id=values["organisation"]),
        {"organisation": -7_654_321, "unused": date(1901, 1, 1)},
    )
    with pytest.raises(ValueError, match="unused"):
        statements.filled({"organisation": 1, "unused": date(2026, 1, 1)})
