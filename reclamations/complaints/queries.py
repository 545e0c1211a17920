"""Reads of the register. Each list runs a fixed number of queries, whatever its size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext_noop

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
    Document,
)
from reclamations.complaints.search import matching
from reclamations.complaints.search_text import Segment
from reclamations.complaints.sql_terms import NotSought, open_q, written
from reclamations.core.built_sql import BuiltStatements, number
from reclamations.core.models import Organisation
from reclamations.core.roles import can_read_archived
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
    "reply_channel",
    "reply_registered_number",
    "reply_delivered_on",
    "outcome",
    "closed_on",
    "confirmation_pending",
    "client_says_unresolved",
    "mediation_seized_on",
    "litigation_started_on",
    "archived_on",
    "anonymised_on",
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
# French (the printed register names its order); marked for the page's translated list.
ORDER_LABELS = {
    URGENT_FIRST: gettext_noop("À traiter d'abord (en retard, puis échéance proche)"),
    RELEVANCE: gettext_noop("Pertinence de la recherche"),
    "newest": gettext_noop("Plus récentes d'abord"),
    "due": gettext_noop("Ouvertes, échéance la plus proche d'abord"),
    "oldest": gettext_noop("Plus anciennes d'abord"),
}


# The filters that compare a column with the value given, each served by an index.
EXACT_FILTERS = (
    "status",
    "kind",
    "channel",
    "client_type",
    "category",
    "training",
    "session",
    "trainer",
    "funder",
    "cause",
)
# Those on free text: a link from a complaint or the statistics gives their exact value.
CONTEXT_FILTERS = ("training", "session", "trainer", "funder", "cause")


@dataclass(frozen=True)
class RegisterFilters:
    status: str = ""
    kind: str = ""
    channel: str = ""
    client_type: str = ""
    category: str = ""
    # The context and the cause, each as written on the complaints (compared exactly).
    training: str = ""
    session: str = ""
    trainer: str = ""
    funder: str = ""
    cause: str = ""
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool | None = None
    due_soon: bool = False
    open_only: bool = False
    search: str = ""
    order: str = "newest"

    @property
    def lists_open_only(self) -> bool:
        """Only the open complaints: asked, or listed by due date."""
        return self.open_only or self.order == "due"

    @property
    def open_listed_only(self) -> bool:
        """Only open complaints listed, whatever says so: open only, by due date, overdue or
        due soon."""
        return self.lists_open_only or self.overdue is True or self.due_soon

    def is_empty(self) -> bool:
        # Compared with the defaults: overdue=False ("not overdue") is a filter too.
        return all(getattr(self, f.name) == f.default for f in fields(self) if f.name != "order")


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
    for name in EXACT_FILTERS:
        value = getattr(filters, name)
        if value:
            queryset = queryset.filter(**{name: value})
    if filters.received_from:
        queryset = queryset.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_on__lte=filters.received_to)
    # "Open" written once, however many filters say it (see urgent_q).
    if filters.open_listed_only:
        queryset = queryset.filter(open_q())
    # By reception, the open ones are read in that order, their due date tested on the way.
    by_reception = filters.order not in (URGENT_FIRST, "due")
    queryset = queryset.alias(due=NotSought("due_date") if by_reception else F("due_date"))
    if filters.overdue is True:
        queryset = queryset.filter(due__lt=today)
    elif filters.overdue is False:
        queryset = queryset.exclude(open_q() & Q(due_date__lt=today))
    if filters.due_soon:
        limit = due_soon_limit(today, threshold=due_soon_days, calendar=policy.calendar)
        queryset = queryset.filter(due__gte=today, due__lt=limit)
    if filters.search.strip():
        queryset = matching(queryset, filters.search, organisation_id=organisation.pk)
    queryset = queryset.only(*REGISTER_COLUMNS)
    # "relevance" orders newest first here (a file has no rank): register_listing ranks pages.
    if filters.order == URGENT_FIRST:
        urgent = urgent_q(
            today,
            policy=policy,
            due_soon_days=due_soon_days,
            among_open=filters.open_listed_only,
        )
        return queryset.order_by(
            Case(When(urgent, then=Value(0)), default=Value(1)),
            Case(When(urgent, then=F("due_date"))).asc(nulls_last=True),
            *ORDERINGS["newest"],
        )
    return queryset.order_by(*ORDERINGS.get(filters.order, ORDERINGS["newest"]))


def urgent_q(
    today: date, *, policy: DeadlinePolicy, due_soon_days: int, among_open: bool = False
) -> Q:
    """Open and overdue or due soon: what the "à traiter d'abord" order puts first.
    `among_open`: for a register of open complaints only, which says "open" already (the
    condition written twice, PostgreSQL counted its selectivity twice: it expected 502 of the
    14,606 overdue at 1,000,000 and sorted them rather than read its index in order, 27 ms)."""
    limit = due_soon_limit(today, threshold=due_soon_days, calendar=policy.calendar)
    due = Q(due_date__lt=limit)
    return due if among_open else open_q() & due


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


@dataclass(frozen=True)
class RegisterCounts:
    open: int
    overdue: int
    due_soon: int


def register_counts(
    organisation: Organisation, *, today: date, policy: DeadlinePolicy
) -> RegisterCounts:
    """The three figures at the top of the register, in one query: three counts, each of an
    index's range (one pass over the open complaints testing each against the dates took three
    times as long: 10 ms for 20,000 open at 1,000,000 on SQLite)."""
    limit = due_soon_limit(today, threshold=organisation.due_soon_days, calendar=policy.calendar)
    ops = connection.ops
    day, soon = ops.adapt_datefield_value(today), ops.adapt_datefield_value(limit)
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNTS_SQL, [organisation.pk, organisation.pk, day, organisation.pk, day, soon]
        )
        row = cursor.fetchone()
    return RegisterCounts(*(int(figure) for figure in row))


# The open statuses written in, as the partial indexes say them (sql_terms.open_q).
_OPEN_SQL = f"status IN {written(sorted(OPEN_STATUSES))}"
_OPEN_COUNT = (
    f"SELECT COUNT(*) FROM {Complaint._meta.db_table} WHERE organisation_id = %s AND {_OPEN_SQL}"  # noqa: S608 - fixed names
)
_COUNTS_SQL = (
    f"SELECT ({_OPEN_COUNT}), ({_OPEN_COUNT} AND due_date < %s), "
    f"({_OPEN_COUNT} AND due_date >= %s AND due_date < %s)"
)


class ArchivedComplaint(PermissionDenied):
    """An archived complaint's file opened by a role that may not (French message)."""


def complaint_for(
    organisation: Organisation, reference: str, *, role: str | None = None
) -> Complaint:
    """Raises Complaint.DoesNotExist for a reference of another organisation, and, for a `role`
    given, ArchivedComplaint when it may not open an archived complaint's file."""
    complaint = Complaint.objects.select_related("organisation", "registered_by").get(
        organisation=organisation, reference=reference
    )
    if (
        role is not None
        and complaint.archived_on is not None
        and complaint.anonymised_on is None
        and not can_read_archived(role)
    ):
        raise ArchivedComplaint(
            f"La réclamation {reference} est archivée depuis le "
            f"{complaint.archived_on:%d/%m/%Y} (sa durée de conservation active est passée) : "
            "son dossier est réservé aux responsables et à l'auditeur. Adressez-vous à un "
            "responsable si vous en avez besoin."
        )
    return complaint


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
        Complaint.objects.filter(open_q(), organisation=organisation)
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


# The register names at most this many complaints with an undelivered message.
FAILED_LISTED = 10
# Read for each register page: the ORM's subquery compiled once (2 ms of Python a page).
_FAILED_REFERENCES = BuiltStatements(
    lambda values: (
        _unresolved_failures()
        .filter(outgoing__organisation_id=number(values, "organisation"))
        .order_by("-outgoing__created_at")
        # A complaint may have several: enough lines to name FAILED_LISTED of them.
        .values_list("complaint__reference", flat=True)[: FAILED_LISTED * 5]
    ),
    samples={"organisation": -7_654_321},
)


def complaints_with_failed_messages(organisation: Organisation) -> list[str]:
    """References of the organisation's complaints with an undelivered message, newest first
    (FAILED_LISTED at most)."""
    rows = _FAILED_REFERENCES.rows({"organisation": organisation.pk})
    return list(dict.fromkeys(str(row[0]) for row in rows))[:FAILED_LISTED]
