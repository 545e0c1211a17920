"""The register read a page at a time, in each of its orders: the orders that one ORDER BY
cannot serve fast (what needs work first, a search's relevance) read each page their own way."""

from contextlib import suppress
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from reclamations.complaints.deadlines import DeadlinePolicy
from reclamations.complaints.enums import OPEN_STATUSES
from reclamations.complaints.models import Complaint, ReferenceCounter
from reclamations.complaints.queries import (
    ORDERINGS,
    REGISTER_COLUMNS,
    RELEVANCE,
    URGENT_FIRST,
    RegisterFilters,
    RegisterRow,
    register_queryset,
    urgent_q,
    with_urgency,
)
from reclamations.complaints.register_kept import (
    counted_from_codes,
    kept_place,
    kept_register_count,
    placeable,
)
from reclamations.complaints.register_positions import DESCENDING, Placer, Position, read_window
from reclamations.complaints.search import matches_count, ranked_window, search_texts
from reclamations.complaints.search_text import excerpt, search_terms
from reclamations.core.models import Organisation


class _UrgentFirst:
    """The register in the "à traiter d'abord" order, read a page at a time from two
    index-ordered queries: what needs work (open, overdue or due soon; the earliest due date
    first), then the rest, newest first. The same order as register_queryset's, which sorts
    every complaint and so costs 60 to 150 ms a page at 100,000 complaints (bench/README.md).
    At most four queries a page: the two counts, then one or two slices. The rest is read by
    position (register_positions): a deep page costs what the first does."""

    def __init__(
        self,
        register: QuerySet[Complaint],
        urgent: Q,
        total: int | None = None,
        position: Position | None = None,
        *,
        unfiltered: bool = False,
        urgent_count: int | None = None,
        counted: bool = True,
    ) -> None:
        self.register = register
        self.total = total
        self.position = position
        self.counted = counted
        if unfiltered:
            # The order of register_open_urgent: a page reads its lines from the index.
            urgent_order: tuple[Any, ...] = ("due_date", *ORDERINGS["newest"])
        else:
            # Filtered, by an expression: the database takes the index that finds them
            # (register_urgency) and sorts the few it found, rather than walk an index in
            # order and test every line: with a bare due_date, SQLite walked all 100,000 to a
            # searched name (60 ms).
            urgent_order = (Coalesce("due_date", "due_date"), *ORDERINGS["newest"])
        self.urgent = register.filter(urgent).order_by(*urgent_order)
        # exclude() keeps the open complaints without a due date (NULL is not "urgent").
        self.rest = register.exclude(urgent).order_by(*ORDERINGS["newest"])
        self._urgent_count = urgent_count

    def count(self) -> int:
        if self.total is None:
            self.total = self.register.order_by().count()
        return self.total

    def _urgent_total(self) -> int:
        if self._urgent_count is None:
            self._urgent_count = self.urgent.order_by().count()
        return self._urgent_count

    def __getitem__(self, window: slice) -> list[Complaint]:
        start, stop = window.start or 0, window.stop
        assert stop is not None, "a page of the register has an end"
        urgent_total = self._urgent_total()
        rows: list[Complaint] = []
        if start < urgent_total:
            rows += self.urgent[start : min(stop, urgent_total)]
        if stop > urgent_total:
            rows += read_window(
                self.rest,
                slice(max(start - urgent_total, 0), stop - urgent_total),
                total=self.count() - urgent_total if self.counted else None,
                descending=DESCENDING["newest"],
                position=self.position.shifted(urgent_total) if self.position else None,
            )
        return rows


class _ByRelevance:
    """A search's matches, the best first (search.ranked_window), a page at a time. The page
    about to be shown (`expected`) is read with the count: two queries, its ranked ids with
    the total, then their rows; another page costs its own ranked ids and rows."""

    def __init__(
        self,
        register: QuerySet[Complaint],
        search: str,
        *,
        organisation_id: int,
        searched_only: bool,
        expected: slice | None,
        total: int | None = None,
    ) -> None:
        self.register = register
        self.search = search
        self.organisation_id = organisation_id
        self.searched_only = searched_only
        self.expected = expected
        self._ids: dict[tuple[int, int | None], list[int]] = {}
        self._total = total

    def _ranked(self, window: slice) -> list[int]:
        key = (window.start or 0, window.stop)
        for (start, stop), ids in self._ids.items():
            # The Paginator cuts the last page to the count: within the window already read.
            if start == key[0] and key[1] is not None and stop is not None and key[1] <= stop:
                return ids[: key[1] - start]
        if key not in self._ids:
            ids, total = ranked_window(
                self.register,
                self.search,
                window,
                organisation_id=self.organisation_id,
                searched_only=self.searched_only,
            )
            self._ids[key] = ids
            if total is not None:
                self._total = total
        return self._ids[key]

    def count(self) -> int:
        if self._total is None and self.expected is not None:
            self._ranked(self.expected)
        if self._total is None:  # no page expected, or past the last one
            self._total = self.register.order_by().count()
        return self._total

    def __getitem__(self, window: slice) -> list[Complaint]:
        ids = self._ranked(window)
        # The ids are the register's already: read by key only (with the search's filter
        # again, SQLite ran the search once per id).
        found = Complaint.objects.filter(pk__in=ids).only(*REGISTER_COLUMNS)
        rows = {complaint.pk: complaint for complaint in found}
        return [rows[pk] for pk in ids if pk in rows]


class _Ordered:
    """The register (whole or filtered) in one ORDER BY, counted once (the whole register from
    its reference counters), its pages by reception read by position (register_positions)."""

    def __init__(
        self,
        register: QuerySet[Complaint],
        *,
        order: str,
        total: int | None,
        position: Position | None,
        placed: Placer | None = None,
        counted: bool = True,
    ) -> None:
        self.register = register
        self.descending = DESCENDING.get(order)
        self.total = total
        self.position = position
        self.placed = placed
        self.counted = counted

    def count(self) -> int:
        if self.total is None:
            self.total = self.register.order_by().count()
        return self.total

    def __getitem__(self, window: slice) -> list[Complaint]:
        return read_window(
            self.register,
            window,
            total=self.count() if self.counted else None,
            descending=self.descending,
            position=self.position,
            placed=self.placed,
        )


class _Capped:
    """A search that matches more complaints than the register lists (`listed`): its first
    `listed` in the register's order, by relevance the newest first. Counting every match of
    a common name, and ranking them, reads each one's row: at 1,000,000 complaints PostgreSQL
    took 111 to 128 ms for a name shared by 16,934 (bench/README.md). The page says there are
    more; narrowing the search or a filter lists them, and the export holds every one."""

    def __init__(self, listing: "_UrgentFirst | _Ordered", *, listed: int) -> None:
        self.listing = listing
        self.listed = listed

    def count(self) -> int:
        return self.listed

    def __getitem__(self, window: slice) -> list[Complaint]:
        start, stop = window.start or 0, min(window.stop or self.listed, self.listed)
        return self.listing[start:stop] if start < stop else []


def registered_count(organisation: Organisation) -> int:
    """How many complaints the organisation's register holds, from its reference counters: a
    reference is given to every complaint registered, in the registration's transaction, and a
    complaint is never removed, so their numbers add up to the register's size (one row a year
    instead of counting a million complaints: 37 ms at 1,000,000 on SQLite)."""
    total = ReferenceCounter.objects.filter(organisation=organisation, series="").aggregate(
        total=Sum("last_number")
    )["total"]
    return int(total or 0)


Listing = _UrgentFirst | _ByRelevance | _Ordered | _Capped
# The web register lists a search's first thousand matches at most (_Capped).
SEARCH_LISTED = 1_000


def register_listing(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    today: date,
    policy: DeadlinePolicy,
    expected: slice | None = None,
    position: Position | None = None,
    search_listed: int | None = None,
) -> Listing:
    """The register (register_queryset) as a list to count and slice pages of, in the order
    of `filters`: the orders that cannot be one ORDER BY read each page their own way.
    `expected`: the page about to be read, which a search ranks and counts at once;
    `position`: the neighbour it was reached from, if any; `search_listed`: a search that
    matches more complaints lists that many only (_Capped), None lists and counts them all."""
    due_soon_days = organisation.due_soon_days
    register = register_queryset(
        organisation, filters, today=today, policy=policy, due_soon_days=due_soon_days
    )
    # The whole register (no filter, no search, closed complaints too) is counted from its
    # reference counters.
    whole = filters.is_empty() and not filters.lists_open_only
    total = registered_count(organisation) if whole else None
    # Filtered on its codes and period only: counted from the counts kept of the codes.
    codes_only = counted_from_codes(filters)
    # The open ones alone are a few thousand: their partial indexes count them quicker than
    # the kept counts of every month are read (3 against 97 ms at 1,000,000 on PostgreSQL).
    if total is None and codes_only and not filters.lists_open_only:
        total = kept_register_count(organisation.pk, filters)
    # Searched only: its matches counted in the index (by relevance, with their ranking).
    searched_only = replace(filters, search="", order="").is_empty()
    searched = bool(search_terms(filters.search))
    # Counted in the index alone: the search is the register's only filter.
    in_index = searched_only and not filters.lists_open_only
    urgent = urgent_q(
        today, policy=policy, due_soon_days=due_soon_days, among_open=filters.open_listed_only
    )
    if searched and search_listed is not None:
        # Counted until one more than is listed is found.
        up_to = search_listed + 1
        total = (
            matches_count(filters.search, organisation_id=organisation.pk, up_to=up_to)
            if in_index
            else register.order_by()[:up_to].count()
        )
        if total > search_listed:
            first: _UrgentFirst | _Ordered = (
                _UrgentFirst(register, urgent, None, position, counted=False)
                if filters.order == URGENT_FIRST
                else _Ordered(
                    register,
                    order=_listed_order(filters),
                    total=None,
                    position=position,
                    counted=False,
                )
            )
            return _Capped(first, listed=search_listed)
    ranked = filters.order == RELEVANCE and searched
    if total is None and in_index and not ranked:
        total = matches_count(filters.search, organisation_id=organisation.pk)
    if filters.order == URGENT_FIRST:
        # Open only, overdue or due soon: open complaints on a range of due dates, which the
        # index of what needs work holds in its order (the overdue page sorted its 14,631
        # lines at 1,000,000 for its 25 first: 64 ms on PostgreSQL).
        overdue = None if filters.overdue is True else filters.overdue
        unfiltered = replace(filters, open_only=False, overdue=overdue, due_soon=False).is_empty()
        # Answered or closed: none needs work, nothing to count.
        none_urgent = bool(filters.status) and filters.status not in OPEN_STATUSES
        return _UrgentFirst(
            register,
            urgent,
            total,
            position,
            unfiltered=unfiltered,
            urgent_count=0 if none_urgent else None,
        )
    if ranked:
        return _ByRelevance(
            register,
            filters.search,
            organisation_id=organisation.pk,
            searched_only=searched_only,
            expected=expected,
            total=total,
        )
    order = _listed_order(filters)
    placed = None
    if codes_only and placeable(filters) and order in DESCENDING:
        # A deep page placed by the same counts: read from its day, not by OFFSET.
        placed = partial(kept_place, organisation.pk, filters, newest_first=DESCENDING[order])
    return _Ordered(register, order=order, total=total, position=position, placed=placed)


def _listed_order(filters: RegisterFilters) -> str:
    """The order of `filters`, "relevance" read as the newest first: without words to rank
    (register_queryset), or with more matches than are listed (_Capped)."""
    return "newest" if filters.order == RELEVANCE else filters.order


def more_listed(page: Page[Complaint]) -> bool:
    """Whether the page's register has more complaints than it lists (a search's, _Capped)."""
    return isinstance(page.paginator.object_list, _Capped)


def register_page(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    page_number: int | str,
    page_size: int,
    today: date,
    policy: DeadlinePolicy,
    after: int | None = None,
    before: int | None = None,
    search_listed: int | None = None,
) -> tuple[Page[Complaint], list[RegisterRow]]:
    """One page of the register and its rows with days left and urgency (a fixed number of
    queries whatever the page size). `after`/`before`: the complaint on the neighbouring page
    it was reached from (its last or first line), which places a deep page without counting
    the rows before it. `search_listed`: as register_listing's (more_listed() tells)."""
    expected = None
    with suppress(TypeError, ValueError):
        number = int(page_number)
        expected = slice((number - 1) * page_size, number * page_size) if number >= 1 else None
    position = Position(expected.start, after, before) if expected is not None else None
    listed = register_listing(
        organisation,
        filters,
        today=today,
        policy=policy,
        expected=expected,
        position=position,
        search_listed=search_listed,
    )
    due_soon_days = organisation.due_soon_days
    # A listing counts and slices, which is all a Paginator asks of its list.
    page = Paginator(listed, page_size).get_page(page_number)  # type: ignore[arg-type]
    rows = with_urgency(
        list(page.object_list), today=today, policy=policy, due_soon_days=due_soon_days
    )
    terms = search_terms(filters.search)
    if terms and rows:
        rows = _with_excerpts(rows, terms)
    return page, rows


def _with_excerpts(rows: list[RegisterRow], terms: tuple[str, ...]) -> list[RegisterRow]:
    texts = search_texts([row.complaint.pk for row in rows])
    return [
        replace(row, excerpt=tuple(excerpt(texts.get(row.complaint.pk, ""), terms))) for row in rows
    ]
