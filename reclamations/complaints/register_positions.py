"""Reading a page of the register where it lies, not by counting the rows before it.

A page reached from its neighbour ("page suivante", "page précédente") knows the complaint next
to it: it is read from the index at that complaint's place (keyset), whatever its depth. A page
reached by its number alone is read with OFFSET from the nearer end of the register, so that the
last page costs what the first does. At 1,000,000 complaints OFFSET read a million index entries
for the last page (129 ms on SQLite, bench/README.md).

A page deep in the register reached by its number alone, when the register is whole or filtered
on its period and one code at most, is placed by the counts kept of them (register_kept.
kept_place): its first line's day of reception, and how many lines of that day come before it;
it is read from that day, whatever its depth.

Only the orders by reception (newest or oldest first) are read by position: their keys are never
empty and end with the id, so that "after this complaint" is one place in the index
(register_received). The other orders list open complaints only, a few thousand at most."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from reclamations.complaints.models import Complaint

# The order by reception, as queries.ORDERINGS writes it, and the key that places a complaint in it.
KEY_FIELDS = ("received_on", "received_at", "id")
DESCENDING = {"newest": True, "oldest": False}

Key = tuple[date, datetime, int]
# Where the line `start` lies: its day of reception and how many lines of that day come before
# it (register_kept.kept_place), or None when it cannot tell.
Placer = Callable[[int], tuple[date, int] | None]
# Nearer either end than this, an OFFSET costs about what placing the page does (two queries
# of a hundred rows of kept counts): PostgreSQL read 50,000 lines by OFFSET in 28 ms.
PLACED_BEYOND = 5_000


@dataclass(frozen=True)
class Position:
    """Where the page starting at row `start` was reached from: it follows the complaint
    `after` (the last line of the page before it), or precedes the complaint `before` (the first
    line of the page after it). The page number gives `start`; the neighbour gives the place."""

    start: int
    after: int | None = None
    before: int | None = None

    def shifted(self, rows: int) -> "Position":
        """The same position in a list that starts `rows` further on."""
        return Position(self.start - rows, self.after, self.before)


def beyond(key: Key, *, descending: bool, forward: bool) -> Q:
    """The complaints after `key` in the order (forward), or before it.

    The bound on received_on alone comes first: it is what the database seeks to in the index;
    the rest only sorts out the complaints of the same day."""
    lookup = "lt" if descending == forward else "gt"
    received_on, received_at, pk = key
    return Q(**{f"received_on__{lookup}e": received_on}) & (
        Q(**{f"received_on__{lookup}": received_on})
        | Q(received_on=received_on, **{f"received_at__{lookup}": received_at})
        | Q(received_on=received_on, received_at=received_at, **{f"id__{lookup}": pk})
    )


def read_window(
    ordered: QuerySet[Complaint],
    window: slice,
    *,
    total: int | None,
    descending: bool | None,
    position: Position | None = None,
    placed: Placer | None = None,
) -> list[Complaint]:
    """Rows `window` of `ordered` (which holds `total` rows): from the neighbour's place when
    the window is the page `position` was reached for, otherwise from the day `placed` finds
    for a window far from either end, otherwise by OFFSET from the nearer end.
    `descending`: the order by reception (newest first: True, oldest first: False), or None
    for another order, always read by OFFSET from the start. `total` None: not counted (a
    search's first matches, register_pages._Capped), read from the neighbour or the start."""
    start = window.start or 0
    stop = window.stop if window.stop is not None else total
    if descending is None or stop is None:
        return list(ordered[start:stop])
    if position is not None and position.start == start:
        beside = _read_from_neighbour(ordered, position, stop - start, descending=descending)
        if beside is not None:
            return beside
    if total is None:
        return list(ordered[start:stop])
    if placed is not None and min(start, total - stop) >= PLACED_BEYOND:
        place = placed(start)
        if place is not None:
            day, before = place
            lookup = "lte" if descending else "gte"
            from_day = ordered.filter(**{f"received_on__{lookup}": day})
            return list(from_day[before : before + stop - start])
    if start > total - stop:
        # Nearer the end: the same rows, counted from the end in the reversed order.
        tail = list(ordered.reverse()[max(total - stop, 0) : total - start])
        tail.reverse()
        return tail
    return list(ordered[start:stop])


def _read_from_neighbour(
    ordered: QuerySet[Complaint], position: Position, size: int, *, descending: bool
) -> list[Complaint] | None:
    """The page next to the neighbour, or None when the neighbour is not in this list (it
    left it since, or the address was written by hand): the page is then read by number."""
    neighbour = position.after if position.after is not None else position.before
    if neighbour is None:
        return None
    key = ordered.filter(pk=neighbour).values_list(*KEY_FIELDS).first()
    if key is None:
        return None
    if position.after is not None:
        return list(ordered.filter(beyond(key, descending=descending, forward=True))[:size])
    rows = list(ordered.reverse().filter(beyond(key, descending=descending, forward=False))[:size])
    if len(rows) < size:
        # Fewer complaints before it than a page: the numbering moved (complaints came in);
        # the page by its number is the truthful one.
        return None
    rows.reverse()
    return rows
