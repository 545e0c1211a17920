"""PostgreSQL in production: the application's role registers complaints and writes their
events, and cannot change or delete one (docs/integrity.md, `reclamations db-grants`)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from reclamations.complaints.anonymisation import anonymise_complaint
from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from tests.factories import complaint_in_state, make_complaint
from tests.harness.concurrency import skip_unless_postgresql

ROLE = "reclamations_app_test"
EVENTS = ComplaintEvent._meta.db_table


def test_the_grants_printed_leave_the_events_insert_and_select_only(db):
    out = StringIO()

    call_command("db-grants", "reclamations_app", "--print", stdout=out)

    assert out.getvalue() == (
        "GRANT USAGE ON SCHEMA public TO reclamations_app;\n"
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "
        "reclamations_app;\n"
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO reclamations_app;\n"
        "REVOKE UPDATE, DELETE, TRUNCATE ON complaints_complaintevent FROM reclamations_app;\n"
        "GRANT UPDATE (data, redacted_by) ON complaints_complaintevent TO reclamations_app;\n"
    )


def test_a_role_name_that_is_not_one_is_refused(db):
    with pytest.raises(CommandError, match="« app; DROP » n'est pas un nom de rôle accepté"):
        call_command("db-grants", "app; DROP")


@pytest.mark.postgres_only
def test_the_application_role_writes_events_but_cannot_change_or_delete_one(
    clock, organisation, referent
):
    skip_unless_postgresql()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # rolled back with the test
    call_command("db-grants", ROLE, stdout=StringIO())
    with connection.cursor() as cursor:
        # From here on, this connection has the application role's rights, not the owner's.
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        complaint = make_complaint(organisation, referent)
        complaint_apply(
            complaint=complaint, actor=referent, action="add_note", data={"text": "Vu."}
        )
        event = ComplaintEvent.objects.filter(complaint=complaint).order_by("sequence").last()
        refused = []
        for statement in (
            f"UPDATE {EVENTS} SET actor_name = 'X' WHERE id = %s",  # noqa: S608 - our table
            f"DELETE FROM {EVENTS} WHERE id = %s",  # noqa: S608 - our table
        ):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement, [event.pk])
            except DatabaseError as error:
                refused.append(str(error).splitlines()[0])
        with pytest.raises(DatabaseError), transaction.atomic():
            ComplaintEvent.objects.filter(pk=event.pk).delete()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert refused == [
        "permission denied for table complaints_complaintevent",
        "permission denied for table complaints_complaintevent",
    ]
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 2


@pytest.mark.postgres_only
def test_the_application_role_may_anonymise_a_complaint_and_nothing_more(
    clock, organisation, referent
):
    skip_unless_postgresql()
    complaint = complaint_in_state(organisation, referent, "closed")
    deliver_due()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # rolled back with the test
    call_command("db-grants", ROLE, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        anonymise_complaint(complaint, actor=None, today=date(2031, 6, 1), reason="retention")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {EVENTS} SET occurred_on = occurred_on WHERE complaint_id = %s",  # noqa: S608 - our table
                [complaint.pk],
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")

    assert ComplaintEvent.objects.filter(complaint=complaint, redacted_by__isnull=False).exists()
