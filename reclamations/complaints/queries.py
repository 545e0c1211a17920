"""Reads of the register. Each list runs a fixed number of queries, whatever its size."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from reclamations.complaints.deadlines import (
    DeadlinePolicy,
    Urgency,
    due_soon_limit,
    urgency,
    working_days_left,
)
from reclamations.complaints.enums import AWAITING_CLIENT, OPEN_STATUSES, EventType
from reclamations.complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintSearch,
    Document,
)
from reclamations.complaints.search import matching, ranked_window
from reclamations.complaints.search_text import Segment, excerpt, search_terms
from reclamations.core.models import Organisation
from reclamations.outbox.models import OutgoingStatus

REGISTER_COLUMNS = (
    "id",
    "reference",
    "status",
    "channel",
    "received_at",
    "received_on",
    "client_name",
    "client_account",
    "client_type",
    "training",
    "kind",
    "category",
    "severity",
    "due_date",
    "replied_on",
    "first_replied_on",
    "replied_on_time",
    "outcome",
    "closed_on",
    "confirmation_pending",
    "mediation_seized_on",
    "litigation_started_on",
)

# received_on is the local date of received_at, so leading with it changes nothing to the
# order, and lets one index (register_received) serve both the period filter and the order.
ORDERINGS = {
    "newest": ("-received_on", "-received_at", "-id"),
    "oldest": ("received_on", "received_at", "id"),
    "due": (F("due_date").asc(nulls_last=True), "id"),
}
# The "urgent" order is computed (register_queryset, _UrgentFirst): what needs work first.
URGENT_FIRST = "urgent"
# The best matches of a search first (the newest first without a search).
RELEVANCE = "relevance"
ORDER_LABELS = {
    URGENT_FIRST: "À traiter d'abord (en retard, puis échéance proche)",
    RELEVANCE: "Pertinence de la recherche",
    "newest": "Plus récentes d'abord",
    "due": "Ouvertes, échéance la plus proche d'abord",
    "oldest": "Plus anciennes d'abord",
}


@dataclass(frozen=True)
class RegisterFilters:
    status: str = ""
    kind: str = ""
    channel: str = ""
    client_type: str = ""
    category: str = ""
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool | None = None
    due_soon: bool = False
    open_only: bool = False
    search: str = ""
    order: str = "newest"

    def is_empty(self) -> bool:
        # Compared with the defaults: overdue=False ("not overdue") is a filter too.
        return all(getattr(self, f.name) == f.default for f in fields(self) if f.name != "order")


def _open_q() -> Q:
    return Q(status__in=OPEN_STATUSES)


def register_queryset(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    today: date,
    policy: DeadlinePolicy,
    due_soon_days: int,
) -> QuerySet[Complaint]:
    """The organisation's register under `filters`, in the chosen order, with the columns the
    register shows only (every filter uses an index)."""
    queryset = Complaint.objects.filter(organisation=organisation)
    for name in ("status", "kind", "channel", "client_type", "category"):
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{name: value})
    if filters.received_from:
        queryset = queryset.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_on__lte=filters.received_to)
    if filters.open_only or filters.order == "due":  # by due date: the open ones only
        queryset = queryset.filter(_open_q())
    if filters.overdue is True:
        queryset = queryset.filter(_open_q(), due_date__lt=today)
    elif filters.overdue is False:
        queryset = queryset.exclude(_open_q() & Q(due_date__lt=today))
    if filters.due_soon:
        limit = due_soon_limit(today, threshold=due_soon_days, calendar=policy.calendar)
        queryset = queryset.filter(_open_q(), due_date__gte=today, due_date__lt=limit)
    if filters.search.strip():
        queryset = matching(queryset, filters.search)
    queryset = queryset.only(*REGISTER_COLUMNS)
    # "relevance" orders newest first here (a file has no rank): register_listing ranks pages.
    if filters.order == URGENT_FIRST:
        urgent = _urgent_q(today, policy=policy, due_soon_days=due_soon_days)
        return queryset.order_by(
            Case(When(urgent, then=Value(0)), default=Value(1)),
            Case(When(urgent, then=F("due_date"))).asc(nulls_last=True),
            *ORDERINGS["newest"],
        )
    return queryset.order_by(*ORDERINGS.get(filters.order, ORDERINGS["newest"]))


def _urgent_q(today: date, *, policy: DeadlinePolicy, due_soon_days: int) -> Q:
    """Open and overdue or due soon: what the "à traiter d'abord" order puts first."""
    limit = due_soon_limit(today, threshold=due_soon_days, calendar=policy.calendar)
    return _open_q() & Q(due_date__lt=limit)


class _UrgentFirst:
    """The register in the "à traiter d'abord" order, read a page at a time from two
    index-ordered queries: what needs work (open, overdue or due soon; the earliest due date
    first), then the rest, newest first. The same order as register_queryset's, which sorts
    every complaint and so costs 60 to 150 ms a page at 100,000 complaints (bench/README.md).
    At most four queries a page: the two counts, then one or two slices."""

    def __init__(self, register: QuerySet[Complaint], urgent: Q) -> None:
        self.register = register
        # Ordered by an expression, so that the database takes the index that finds them
        # (register_urgency) and sorts the few it found, rather than the one that orders every
        # due date: with a bare due_date, SQLite walked all 100,000 to a searched name (60 ms).
        self.urgent = register.filter(urgent).order_by(
            Coalesce("due_date", "due_date"), *ORDERINGS["newest"]
        )
        # exclude() keeps the open complaints without a due date (NULL is not "urgent").
        self.rest = register.exclude(urgent).order_by(*ORDERINGS["newest"])
        self._urgent_count: int | None = None

    def count(self) -> int:
        return self.register.order_by().count()

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
            rows += self.rest[max(start - urgent_total, 0) : stop - urgent_total]
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
        organisation_id: int | None,
        expected: slice | None,
    ) -> None:
        self.register = register
        self.search = search
        self.organisation_id = organisation_id
        self.expected = expected
        self._ids: dict[tuple[int, int | None], list[int]] = {}
        self._total: int | None = None

    def _ranked(self, window: slice) -> list[int]:
        key = (window.start or 0, window.stop)
        for (start, stop), ids in self._ids.items():
            # The Paginator cuts the last page to the count: within the window already read.
            if start == key[0] and key[1] is not None and stop is not None and key[1] <= stop:
                return ids[: key[1] - start]
        if key not in self._ids:
            ids, total = ranked_window(
                self.register, self.search, window, organisation_id=self.organisation_id
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


Listing = QuerySet[Complaint] | _UrgentFirst | _ByRelevance


def register_listing(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    today: date,
    policy: DeadlinePolicy,
    expected: slice | None = None,
) -> Listing:
    """The register (register_queryset) as a list to count and slice pages of, in the order
    of `filters`: the orders that cannot be one ORDER BY read each page their own way.
    `expected`: the page about to be read, which a search ranks and counts at once."""
    due_soon_days = organisation.due_soon_days
    register = register_queryset(
        organisation, filters, today=today, policy=policy, due_soon_days=due_soon_days
    )
    if filters.order == URGENT_FIRST:
        return _UrgentFirst(register, _urgent_q(today, policy=policy, due_soon_days=due_soon_days))
    if filters.order == RELEVANCE and search_terms(filters.search):
        searched_only = replace(filters, search="", order="").is_empty()
        return _ByRelevance(
            register,
            filters.search,
            organisation_id=organisation.pk if searched_only else None,
            expected=expected,
        )
    return register


@dataclass(frozen=True)
class RegisterRow:
    complaint: Complaint
    days_left: int | None
    urgency: Urgency | None
    # With a search: where it matched beyond the reference, name and account.
    excerpt: tuple[Segment, ...] = ()


def with_urgency(
    complaints: Sequence[Complaint], *, today: date, policy: DeadlinePolicy, due_soon_days: int
) -> list[RegisterRow]:
    """Working days left and urgency class of each open complaint; None once replied."""
    calendar = policy.calendar
    rows = []
    for complaint in complaints:
        if complaint.status in OPEN_STATUSES and complaint.due_date is not None:
            left = working_days_left(complaint.due_date, today=today, calendar=calendar)
            rows.append(
                RegisterRow(complaint, left, urgency(left, due_soon_threshold=due_soon_days))
            )
        else:
            rows.append(RegisterRow(complaint, None, None))
    return rows


def register_page(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    page_number: int | str,
    page_size: int,
    today: date,
    policy: DeadlinePolicy,
) -> tuple[Page[Complaint], list[RegisterRow]]:
    """One page of the register and its rows with days left and urgency (a fixed number of
    queries whatever the page size)."""
    expected = None
    with suppress(TypeError, ValueError):
        number = int(page_number)
        expected = slice((number - 1) * page_size, number * page_size) if number >= 1 else None
    listed = register_listing(organisation, filters, today=today, policy=policy, expected=expected)
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
    texts = dict(
        ComplaintSearch.objects.filter(pk__in=[row.complaint.pk for row in rows]).values_list(
            "pk", "text"
        )
    )
    return [
        replace(row, excerpt=tuple(excerpt(texts.get(row.complaint.pk, ""), terms))) for row in rows
    ]


@dataclass(frozen=True)
class RegisterCounts:
    open: int
    overdue: int
    due_soon: int


def register_counts(
    organisation: Organisation, *, today: date, policy: DeadlinePolicy
) -> RegisterCounts:
    """The three figures at the top of the register, in one query."""
    limit = due_soon_limit(today, threshold=organisation.due_soon_days, calendar=policy.calendar)
    open_q = _open_q()
    figures = Complaint.objects.filter(open_q, organisation=organisation).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(due_date__lt=today)),
        due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lt=limit)),
    )
    return RegisterCounts(**figures)


# A complaint received within this many days is "recent" for the related complaints' notice.
RELATED_WITHIN_DAYS = 365
RELATED_SHOWN = 5
_RELATED_BY = (
    ("client_account", "Même compte client"),
    ("client_name", "Même client"),
    ("training", "Même formation"),
)


@dataclass(frozen=True)
class RelatedComplaints:
    reason: str
    value: str  # the account, client or training they share
    complaints: list[Complaint]  # the latest received first, RELATED_SHOWN at most
    more: bool  # there are others (the register's search lists them all)


def related_complaints(complaint: Complaint, *, today: date) -> list[RelatedComplaints]:
    """The organisation's other complaints, open or received in the last year, with the same
    client account, client name or training: what the referent should know at registration.
    The account and the training are compared as written, each by its index (the latest
    first); the client with the case ignored (by SQLite for ASCII letters only: "É" is not "é"
    there) among the candidates the search index finds. One query per field given."""
    since = today - timedelta(days=RELATED_WITHIN_DAYS)
    others = (
        Complaint.objects.filter(organisation_id=complaint.organisation_id)
        .exclude(pk=complaint.pk)
        .filter(_open_q() | Q(received_on__gte=since))
        .only("id", "reference", "status", "received_on")
        .order_by("-received_on", "-id")
    )
    found = []
    for field, reason in _RELATED_BY:
        value = getattr(complaint, field).strip()
        if not value:
            continue
        if field == "client_name":
            same = matching(others, value).filter(client_name__iexact=value)
        else:
            same = others.filter(**{field: getattr(complaint, field)})
        latest = list(same[: RELATED_SHOWN + 1])
        if latest:
            found.append(
                RelatedComplaints(
                    reason, value, latest[:RELATED_SHOWN], len(latest) > RELATED_SHOWN
                )
            )
    return found


def complaint_for(organisation: Organisation, reference: str) -> Complaint:
    """Raises Complaint.DoesNotExist for a reference of another organisation."""
    return Complaint.objects.select_related("organisation", "registered_by").get(
        organisation=organisation, reference=reference
    )


def complaint_events(complaint: Complaint) -> list[ComplaintEvent]:
    """The complaint's chronology, oldest first, with each event's document (one query)."""
    return list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .select_related("document")
        .order_by("sequence")
    )


def complaint_documents(complaint: Complaint) -> list[Document]:
    """The complaint's documents in the order they were stored (one query)."""
    return list(Document.objects.filter(complaint=complaint).order_by("created_at", "id"))


def open_with_days_left(
    organisation: Organisation, *, today: date, policy: DeadlinePolicy
) -> list[RegisterRow]:
    """Every open complaint with its working days left, the most urgent first; those without a
    due date yet (a phone complaint awaiting its written confirmation) last."""
    complaints = (
        Complaint.objects.filter(_open_q(), organisation=organisation)
        .only(*REGISTER_COLUMNS)
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    rows = with_urgency(
        list(complaints), today=today, policy=policy, due_soon_days=organisation.due_soon_days
    )
    rows.sort(key=lambda row: (row.days_left is None, row.days_left or 0, row.complaint.id))
    return rows


# After one of these, a message received earlier no longer answers the current request.
_REQUEST_OR_ANSWER = frozenset(
    {
        EventType.INFORMATION_REQUESTED,
        EventType.INFORMATION_RECEIVED,
        EventType.CONFIRMATION_REQUESTED,
        EventType.CONFIRMATION_RECEIVED,
    }
)


def awaited_answer_arrived(complaint: Complaint, events: Sequence[ComplaintEvent]) -> bool:
    """True when the complaint waits for the client and the client's answer has arrived since
    the last request: staff must record it (from the chronology already read, no query)."""
    if complaint.status not in AWAITING_CLIENT:
        return False
    arrived = False
    for event in events:
        if event.event_type in _REQUEST_OR_ANSWER:
            arrived = False
        elif event.event_type == EventType.MESSAGE_RECEIVED and (event.data or {}).get("awaited"):
            arrived = True
    return arrived


def _unresolved_failures() -> QuerySet[ComplaintMessage]:
    """Messages to clients that failed and that no later message of the same kind made up for."""
    sent_later = ComplaintMessage.objects.filter(
        complaint=OuterRef("complaint"),
        outgoing__kind=OuterRef("outgoing__kind"),
        outgoing__status=OutgoingStatus.SENT,
        outgoing__created_at__gt=OuterRef("outgoing__created_at"),
    )
    return ComplaintMessage.objects.filter(
        to_client=True, outgoing__status=OutgoingStatus.FAILED
    ).exclude(Exists(sent_later))


def failed_messages_for(complaint: Complaint) -> list[ComplaintMessage]:
    """The complaint's messages to the client that could not be delivered (one query)."""
    return list(
        _unresolved_failures()
        .filter(complaint=complaint)
        .select_related("outgoing")
        .order_by("outgoing__created_at", "outgoing_id")
    )


def complaints_with_failed_messages(organisation: Organisation, *, limit: int = 10) -> list[str]:
    """References of the organisation's complaints with an undelivered message, newest first."""
    references = (
        _unresolved_failures()
        .filter(outgoing__organisation=organisation)
        .order_by("-outgoing__created_at")
        .values_list("complaint__reference", flat=True)
    )
    unique: list[str] = []
    for reference in references[: limit * 5]:
        if reference not in unique:
            unique.append(reference)
        if len(unique) == limit:
            break
    return unique
