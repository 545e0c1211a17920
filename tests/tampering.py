"""Changes made behind the application's back, as someone with database access would."""

import json
from pathlib import Path

from django.db import connection

from reclamations.complaints.models import Complaint, ComplaintEvent, Document

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


COMPLAINTS = Complaint._meta.db_table


def alter_complaint(complaint: Complaint, **columns) -> None:
    """Rewrite columns of a complaint's row with raw SQL: no service, no event."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        # Table and column names come from the tests, values are parameters.
        sql = f"UPDATE {COMPLAINTS} SET {assignments} WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [*columns.values(), complaint.pk])


def stored_path(document: Document) -> Path:
    """The file of a document kept in the data directory, as someone on the machine sees it."""
    return Path(document.file.path)
