"""Changes made behind the application's back, as someone with database access would."""

import json

from django.db import connection

from reclamations.complaints.models import ComplaintEvent

EVENTS = ComplaintEvent._meta.db_table


def alter_event(event: ComplaintEvent, **columns) -> None:
    """Rewrite columns of an event's row with raw SQL (no model, no service, no hash)."""
    assignments = ", ".join(
        f"{name} = %s::jsonb" if name == "data" and connection.vendor == "postgresql"
        else f"{name} = %s"
        for name in columns
    )  # fmt: skip
    values = [json.dumps(v) if name == "data" else v for name, v in columns.items()]
    with connection.cursor() as cursor:
        # Table and column names come from the tests, values are parameters.
        sql = f"UPDATE {EVENTS} SET {assignments} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [*values, event.pk])
