"""The statistics' counts kept as complaints change (decision 0029), in the transaction of the
change: chronology.append_event calls count_change after every event of a complaint, as it
rewrites the search text. The complaint's kept Counted (CountedComplaint) says what the counts
hold of it; what it is now replaces it, its keys taken off and the new ones added.

Every event first locks the organisation's chain head until its transaction ends, so the
counts of one organisation are only ever written by one transaction at a time (no deadlock, no
lost update).
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q

from reclamations.complaints.counted import (
    FIELDS,
    Counted,
    Key,
    as_day,
    counted_of,
    from_text,
    moves,
    to_text,
)
from reclamations.complaints.counts_models import CountedComplaint, StatisticsCount
from reclamations.complaints.enums import EventType, MessageChannel
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.notifications.kinds import ClientMessage

COUNTED_TABLE = CountedComplaint._meta.db_table
COUNT_TABLE = StatisticsCount._meta.db_table

# The acknowledgement the statistics time: an e-mail once delivered (its copy recorded), a
# letter on the day it was printed to post; the first of them in the chronology.
ACKNOWLEDGEMENT_TYPES = (EventType.MESSAGE_SENT, EventType.ACKNOWLEDGEMENT_QUEUED)
ACKNOWLEDGEMENT_EVENTS = Q(
    event_type=EventType.MESSAGE_SENT, data__message_kind=ClientMessage.ACKNOWLEDGEMENT
) | Q(event_type=EventType.ACKNOWLEDGEMENT_QUEUED, data__channel=MessageChannel.LETTER)


def is_acknowledgement(event_type: str, data: Mapping[str, Any]) -> bool:
    """Whether an event is one of ACKNOWLEDGEMENT_EVENTS."""
    if event_type == EventType.MESSAGE_SENT:
        return data.get("message_kind") == ClientMessage.ACKNOWLEDGEMENT
    if event_type == EventType.ACKNOWLEDGEMENT_QUEUED:
        return data.get("channel") == MessageChannel.LETTER
    return False


# Written out, as the search text's: they run with every event.
_READ_SQL = f"SELECT counted FROM {COUNTED_TABLE} WHERE complaint_id = %s"  # noqa: S608 - fixed names
_INSERT_SQL = (
    f"INSERT INTO {COUNTED_TABLE} (complaint_id, organisation_id, counted) "  # noqa: S608
    "VALUES (%s, %s, %s)"
)
_UPDATE_SQL = f"UPDATE {COUNTED_TABLE} SET counted = %s WHERE complaint_id = %s"  # noqa: S608
_ADD_SQL = (
    f"INSERT INTO {COUNT_TABLE} (organisation_id, month, day, figure, value, complaints) "  # noqa: S608
    "VALUES {rows} ON CONFLICT (organisation_id, month, day, figure, value) "
    f"DO UPDATE SET complaints = {COUNT_TABLE}.complaints + excluded.complaints"
)
_KEY_SQL = "(month = %s AND day = %s AND figure = %s AND value = %s)"
_EMPTIED_SQL = (
    f"DELETE FROM {COUNT_TABLE} WHERE organisation_id = %s AND complaints = 0 "  # noqa: S608
    "AND ({keys})"
)


def count_change(
    complaint: Complaint,
    *,
    event_type: str,
    data: Mapping[str, Any],
    occurred_on: date,
    first: bool,
) -> None:
    """Bring the kept counts up to date with the event just written for `complaint` (as it
    now is): nothing to do when it counts as it did. `first`: its registration, not counted
    yet."""
    before = None if first else _kept(complaint.pk)
    if before is None and not first:  # lost (a restored database): from its chronology
        acknowledged_on = first_acknowledgement(complaint.pk)
    else:
        acknowledged_on = before.acknowledged_on if before is not None else None
        if acknowledged_on is None and is_acknowledgement(event_type, data):
            acknowledged_on = occurred_on
    after = counted_of({name: getattr(complaint, name) for name in FIELDS}, acknowledged_on)
    if after == before:
        return
    add(complaint.organisation_id, moves(before, after))
    with connection.cursor() as cursor:
        if before is None:
            cursor.execute(_INSERT_SQL, [complaint.pk, complaint.organisation_id, to_text(after)])
        else:
            cursor.execute(_UPDATE_SQL, [to_text(after), complaint.pk])


def _kept(complaint_id: int) -> Counted | None:
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, [complaint_id])
        row = cursor.fetchone()
    return None if row is None else from_text(str(row[0]))


def first_acknowledgement(complaint_id: int) -> date | None:
    occurred_on = (
        ComplaintEvent.objects.filter(ACKNOWLEDGEMENT_EVENTS, complaint_id=complaint_id)
        .order_by("sequence")
        .values_list("occurred_on", flat=True)
        .first()
    )
    return as_day(occurred_on)


def add(organisation_id: int, change: Mapping[Key, int]) -> None:
    """Add each key's difference to its count (a new key starts at its difference); the
    counts fallen to zero go."""
    if not change:
        return
    rows: list[str] = []
    parameters: list[Any] = []
    for (month, day, figure, value), n in sorted(change.items()):
        rows.append("(%s, %s, %s, %s, %s, %s)")
        parameters += [organisation_id, month, day, figure, value, n]
    taken = [key for key, n in sorted(change.items()) if n < 0]
    with connection.cursor() as cursor:
        cursor.execute(_ADD_SQL.format(rows=", ".join(rows)), parameters)
        if taken:
            keys = [part for key in taken for part in key]
            cursor.execute(
                _EMPTIED_SQL.format(keys=" OR ".join([_KEY_SQL] * len(taken))),
                [organisation_id, *keys],
            )
