"""The global journal: the chronology of the whole register, every event of every complaint in
the order the chain recorded them, filtered by day, person and type of event, read a page at a
time (newest first) or whole (oldest first, for a file)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db.models import F, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models import Value as Literal
from django.db.models.functions import Coalesce

from reclamations.complaints.enums import event_label, improvement_status_label, status_label
from reclamations.complaints.event_reading import event_text
from reclamations.complaints.models import Complaint, ComplaintEvent, ImprovementAction
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.reporting.register_export import Value
from reclamations.reporting.spreadsheets import table_csv_lines, write_xlsx_table

SYSTEM = "systeme"  # the actor filter for what the application did by itself
CHUNK = 2000
_COLUMNS = (
    "sequence",
    "recorded_at",
    "occurred_on",
    "reference",
    "event_type",
    "actor_name",
    "status_before",
    "status_after",
    "data",
    "hash",
    "of_improvement",
)


@dataclass(frozen=True)
class JournalFilters:
    recorded_from: date | None = None  # the local day the event was written, inclusive
    recorded_to: date | None = None
    actor: str = ""  # "", SYSTEM, or the id of one of the organisation's accounts
    event_type: str = ""

    def is_empty(self) -> bool:
        return self == JournalFilters()


@dataclass(frozen=True)
class JournalEntry:
    """One event as the journal shows it."""

    sequence: int
    recorded_at: datetime  # in the organisation's time zone
    occurred_on: date
    reference: str
    event_type: str
    actor_name: str
    status_before: str
    status_after: str
    data: dict[str, Any]
    hash: str
    of_improvement: int | None = None  # the improvement action's id, for its events

    @property
    def label(self) -> str:
        return event_label(self.event_type)

    @property
    def status_change(self) -> str:
        """ "Incomplète → En cours de traitement", or "" when the status stayed the same."""
        if not self.status_after or self.status_before == self.status_after:
            return ""
        label = improvement_status_label if self.of_improvement else status_label
        before = label(self.status_before) if self.status_before else "—"
        return f"{before} → {label(self.status_after)}"

    @property
    def detail(self) -> str:
        return event_text(self.event_type, self.data or {})


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    older: int | None  # the `before` of the next page (older events), None on the last one


def _events(organisation: Organisation, filters: JournalFilters) -> QuerySet[ComplaintEvent]:
    # The reference read by a subquery, not a join: joined, the planner would read the events
    # complaint by complaint and sort them all, where the chain's order is already an index.
    reference = Complaint.objects.filter(pk=OuterRef("complaint_id")).values("reference")[:1]
    action = ImprovementAction.objects.filter(pk=OuterRef("improvement_id")).values("reference")
    events = ComplaintEvent.objects.filter(organisation=organisation).annotate(
        # "" for the organisation's own events (settings, triage decisions).
        reference=Coalesce(Subquery(reference), Subquery(action[:1]), Literal("")),
        of_improvement=F("improvement_id"),
    )
    zone = local_zone(organisation)
    moments: dict[str, datetime] = {}
    # The first and last days datetimes can hold bound nothing (and would overflow in UTC).
    if filters.recorded_from and filters.recorded_from > date.min + timedelta(days=1):
        moments["recorded_at__gte"] = datetime.combine(filters.recorded_from, time(), tzinfo=zone)
    if filters.recorded_to and filters.recorded_to < date.max - timedelta(days=1):
        day_after = filters.recorded_to + timedelta(days=1)
        moments["recorded_at__lt"] = datetime.combine(day_after, time(), tzinfo=zone)
    if moments:
        # The period's first and last event numbers (read from the journal_by_moment index
        # alone) bound the walk down the chain: without them, a database that expects the
        # period's events spread along the chain would walk all of it to find an old one.
        # "+ 0": a bare MIN(sequence) lets PostgreSQL walk the chain from its end instead.
        number = F("sequence") + 0
        bounds = ComplaintEvent.objects.filter(organisation=organisation, **moments).aggregate(
            first=Min(number), last=Max(number)
        )
        if bounds["first"] is None:
            return events.none()
        events = events.filter(sequence__range=(bounds["first"], bounds["last"]), **moments)
    if filters.actor == SYSTEM:
        events = events.filter(actor__isnull=True)
    elif filters.actor:
        events = events.filter(actor_id=int(filters.actor))
    if filters.event_type:
        events = events.filter(event_type=filters.event_type)
    return events


def _entry(values: tuple[Any, ...], zone: ZoneInfo) -> JournalEntry:
    # _COLUMNS are JournalEntry's fields, in its order.
    sequence, recorded_at, *rest = values
    return JournalEntry(sequence, recorded_at.astimezone(zone), *rest)


def journal_page(
    organisation: Organisation,
    filters: JournalFilters,
    *,
    before: int | None = None,
    size: int = 50,
) -> JournalPage:
    """The `size` newest events under `filters` written before event n° `before`, in one
    query whatever the depth (the chain's sequence marks the place, never an offset)."""
    events = _events(organisation, filters)
    if before is not None:
        events = events.filter(sequence__lt=before)
    rows = list(events.order_by("-sequence").values_list(*_COLUMNS)[: size + 1])
    zone = local_zone(organisation)
    entries = [_entry(row, zone) for row in rows[:size]]
    return JournalPage(entries, entries[-1].sequence if len(rows) > size else None)


def journal_entries(organisation: Organisation, filters: JournalFilters) -> Iterator[JournalEntry]:
    """Every event under `filters`, oldest first (the chain's order), for a file: read in
    chunks, so that memory stays flat whatever the journal's length."""
    events = _events(organisation, filters).order_by("sequence").values_list(*_COLUMNS)
    zone = local_zone(organisation)
    for row in events.iterator(chunk_size=CHUNK):
        yield _entry(row, zone)


# The journal as a file: (title, width in characters) of each column.
FILE_COLUMNS = (
    ("N°", 8),
    ("Enregistré le", 17),
    ("Date des faits", 12),
    ("Réclamation ou action", 16),
    ("Événement", 30),
    ("Par", 24),
    ("Statut", 40),
    ("Détail", 80),
    ("Empreinte (SHA-256)", 66),
)
FILE_FORMATS = ("csv", "xlsx")


def file_values(entry: JournalEntry) -> tuple[Value, ...]:
    """An event's cells in a file, in the order of FILE_COLUMNS."""
    return (
        entry.sequence,
        entry.recorded_at,
        entry.occurred_on,
        entry.reference,
        entry.label,
        entry.actor_name,
        entry.status_change,
        entry.detail,
        entry.hash,
    )


def journal_lines(organisation: Organisation, filters: JournalFilters) -> Iterator[str]:
    """The journal as CSV, line by line (streamed)."""
    rows = (file_values(entry) for entry in journal_entries(organisation, filters))
    return table_csv_lines(FILE_COLUMNS, rows)


def write_journal_xlsx(
    organisation: Organisation, filters: JournalFilters, target: str | IO[bytes]
) -> None:
    rows = (file_values(entry) for entry in journal_entries(organisation, filters))
    write_xlsx_table(target, "Journal", FILE_COLUMNS, rows)
