"""The register's backbone: row locks, references and the hash-chained chronology.

Every function here is called INSIDE the transaction of the change it serves: the reference,
the event and the change commit together, or not at all.
"""

from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone

from reclamations.complaints import chain, chain_keys
from reclamations.complaints.counts import count_change
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import (
    ChainHead,
    Complaint,
    ComplaintEvent,
    Document,
    ImprovementAction,
    ReferenceCounter,
)
from reclamations.complaints.search import refresh_search_text
from reclamations.core.models import Organisation, User
from reclamations.core.rows import insert_new

SYSTEM_ACTOR = "Système"


def locked(complaint: Complaint) -> Complaint:
    """The complaint read again under a row lock held until the transaction ends: what it is
    now, not what a caller read earlier. Its row only (FOR UPDATE OF on PostgreSQL): the
    organisation read with it stays unlocked, or a process holding the chain head and locking
    another complaint would wait on a process holding this organisation and waiting for the
    head (two workers deadlocked so: a message sent beside a registration)."""
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=complaint.pk)
    )


# One statement takes the row lock, increments and reads the number (SQLite 3.35+ and PostgreSQL
# know RETURNING): a number is never given twice, and every registration saves a round trip.
_NEXT_NUMBER_SQL = (
    f"UPDATE {ReferenceCounter._meta.db_table} SET last_number = last_number + 1 "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND series = %s AND year = %s RETURNING last_number"
)
IMPROVEMENT_SERIES = "AM"


def _next_number(organisation: Organisation, series: str, year: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER_SQL, [organisation.pk, series, year])
        row = cursor.fetchone()
        if row is None:
            # The year's first reference (created only then). Another process may be creating
            # it too: the loser's insert is ignored, and both then queue on the row lock.
            ReferenceCounter.objects.bulk_create(
                [ReferenceCounter(organisation=organisation, series=series, year=year)],
                ignore_conflicts=True,
            )
            cursor.execute(_NEXT_NUMBER_SQL, [organisation.pk, series, year])
            row = cursor.fetchone()
    return int(row[0])


def allocate_reference(organisation: Organisation, year: int) -> str:
    """The next reference of the year ("REC-2026-0042"): sequential, never reused."""
    return f"{organisation.reference_prefix}-{year}-{_next_number(organisation, '', year):04d}"


def allocate_improvement_reference(organisation: Organisation, year: int) -> str:
    """The next improvement action's reference of the year ("AM-2026-007")."""
    number = _next_number(organisation, IMPROVEMENT_SERIES, year)
    return f"{IMPROVEMENT_SERIES}-{year}-{number:03d}"


# The chain head is advanced by one statement that locks its row until the transaction ends and
# returns the new sequence with the previous event's hash; the new hash is written after.
_ADVANCE_HEAD_SQL = (
    f"UPDATE {ChainHead._meta.db_table} SET last_sequence = last_sequence + 1 "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s RETURNING last_sequence, last_hash"
)
_SET_HEAD_HASH_SQL = (
    f"UPDATE {ChainHead._meta.db_table} SET last_hash = %s "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s"
)


def _advance_head(organisation_id: int) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(_ADVANCE_HEAD_SQL, [organisation_id])
        row = cursor.fetchone()
        if row is None:
            # The organisation's first event (as for the reference counter: created only then).
            ChainHead.objects.bulk_create(
                [ChainHead(organisation_id=organisation_id, last_hash=chain.GENESIS_HASH)],
                ignore_conflicts=True,
            )
            cursor.execute(_ADVANCE_HEAD_SQL, [organisation_id])
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


def append_event(
    *,
    complaint: Complaint | None = None,
    improvement: ImprovementAction | None = None,
    organisation: Organisation | None = None,
    event_type: str,
    actor: User | None,
    occurred_on: date,
    status_before: str,
    data: dict[str, Any],
    document: Document | None = None,
) -> ComplaintEvent:
    """Write the next link of the organisation's chain, for `complaint` (or the improvement
    action) as it now is, or for the `organisation` itself (its settings, a triage decision),
    sealed with the chain's current key."""
    if [complaint, improvement, organisation].count(None) != 2:
        raise TypeError("An event is of one complaint, one improvement action or the organisation.")
    if organisation is not None:
        organisation_id, reference, status_after = organisation.pk, "", ""
    else:
        subject = complaint if complaint is not None else improvement
        assert subject is not None
        organisation_id, reference, status_after = (
            subject.organisation_id,
            subject.reference,
            subject.status,
        )
    # Before the chain head is locked: a missing key is said before anything is written.
    key = chain_keys.keyring().current
    sequence, previous_hash = _advance_head(organisation_id)
    recorded_at = timezone.now()
    content = chain.EventContent(
        sequence=sequence,
        organisation_id=organisation_id,
        complaint_reference=reference,
        event_type=event_type,
        actor_name=actor.display_name if actor is not None else SYSTEM_ACTOR,
        occurred_on=occurred_on.isoformat(),
        recorded_at=recorded_at.isoformat(),
        status_before=status_before,
        status_after=status_after,
        data=chain.to_json_value(data),
        document_sha256=document.sha256 if document else "",
    )
    digest = key.seal(content, previous_hash)
    event = ComplaintEvent(
        organisation_id=organisation_id,
        sequence=sequence,
        complaint=complaint,
        improvement=improvement,
        event_type=event_type,
        actor=actor,
        actor_name=content.actor_name,
        occurred_on=occurred_on,
        recorded_at=recorded_at,
        status_before=status_before,
        status_after=status_after,
        data=content.data,
        document=document,
        previous_hash=previous_hash,
        hash=digest,
        key_id=key.id,
    )
    insert_new(event)
    with connection.cursor() as cursor:
        cursor.execute(_SET_HEAD_HASH_SQL, [digest, organisation_id])
    # Every change writes an event: the search and the statistics' counts read the complaint
    # as it now is.
    if complaint is not None:
        first = event_type == EventType.REGISTERED
        refresh_search_text(complaint, content.data, first=first)
        count_change(
            complaint,
            event_type=event_type,
            data=content.data,
            occurred_on=occurred_on,
            first=first,
        )
    return event


def chain_head(organisation: Organisation) -> chain.Head:
    """The organisation's chain head as it stands (not verified), to be witnessed outside the
    database: the daily digest, the audit pack, `reclamations verify`."""
    row = (
        ChainHead.objects.filter(organisation=organisation)
        .values_list("last_sequence", "last_hash")
        .first()
    )
    sequence, last_hash = row if row else (0, "")
    return chain.head_of(organisation.name, sequence, last_hash)


def document_data(document: Document | None) -> dict[str, Any]:
    """What an event says of the document it stored: enough to check the file later."""
    if document is None:
        return {}
    return {
        "document": {
            "name": document.original_name,
            "type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
        }
    }
