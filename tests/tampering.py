"""Changes made behind the application's back, as someone with database access would."""

import json
from pathlib import Path

from django.db import connection

from reclamations.complaints.chain import GENESIS_HASH, EventContent, SealingKey, event_hash
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document

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


def _content(event: ComplaintEvent) -> EventContent:
    subject = event.complaint or event.improvement
    return EventContent(
        sequence=event.sequence,
        organisation_id=event.organisation_id,
        complaint_reference=subject.reference if subject else "",
        event_type=event.event_type,
        actor_name=event.actor_name,
        occurred_on=event.occurred_on.isoformat(),
        recorded_at=event.recorded_at.isoformat(),
        status_before=event.status_before,
        status_after=event.status_after,
        data=event.data,
        document_sha256=event.document.sha256 if event.document else "",
    )


def reseal_chain(
    organisation, *, start: int = 1, key: SealingKey | None = None, key_id: str | None = None
) -> None:
    """Re-hash the organisation's events from n° `start` to the end, and its chain head, as
    someone with the database but without the chain's key would: with a plain SHA-256 (`key`
    None, the events then saying they were written before the chain was keyed) or with a key
    of their own (named `key_id`, by default its own id)."""
    events = ComplaintEvent.objects.filter(organisation=organisation).order_by("sequence")
    before = events.filter(sequence=start - 1).values_list("hash", flat=True).first()
    previous = before or GENESIS_HASH
    for event in events.filter(sequence__gte=start).select_related(
        "complaint", "improvement", "document"
    ):
        content = _content(event)
        digest = key.seal(content, previous) if key else event_hash(content, previous)
        named = key_id if key_id is not None else (key.id if key else "")
        alter_event(event, previous_hash=previous, hash=digest, key_id=named)
        previous = digest
    ChainHead.objects.filter(organisation=organisation).update(last_hash=previous)


def cut_tail(organisation, *, keep: int) -> None:
    """Delete the events after n° `keep` and move the chain head back to n° `keep`, together."""
    events = ComplaintEvent.objects.filter(organisation=organisation)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {EVENTS} WHERE organisation_id = %s AND sequence > %s",  # noqa: S608
            [organisation.pk, keep],
        )
    last = events.filter(sequence=keep).values_list("hash", flat=True).first()
    ChainHead.objects.filter(organisation=organisation).update(
        last_sequence=keep, last_hash=last or GENESIS_HASH
    )
