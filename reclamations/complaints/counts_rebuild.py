"""The statistics' kept counts recounted from the register (decision 0029): written again by
the migration that creates them and by `reclamations statistics-rebuild`, and compared with
what is kept by `reclamations verify`. The register is read as one stream ordered by
organisation and day of reception, cut into months as it comes: memory holds one month whatever
the register's size, and the queries grow with its complaints, never with its months or its
organisations (10,000 organisations of five years each were 120 queries apiece)."""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

from reclamations.complaints.counted import (
    CODES,
    FIELDS,
    TEXTS,
    Counted,
    Key,
    as_day,
    counted_of,
    from_text,
    keys_of,
    month_of,
    to_text,
)
from reclamations.complaints.counts import ACKNOWLEDGEMENT_EVENTS
from reclamations.complaints.counts_models import CountedComplaint, StatisticsCount
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.french import MONTHS


@dataclass(frozen=True)
class Month:
    """A month of reception recounted: each complaint's Counted, and the counts they make."""

    month: date
    counted: dict[int, tuple[str, Counted]]  # complaint id -> (reference, what it counts)
    counts: Counter[Key]


def _last_day(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


# Complaints fetched at a time from the register's stream, whose first acknowledgements are
# then read in one query, each by its chronology's index (the organisation's would make SQLite
# read all its events for every chunk).
_CHUNK = 500
# Rows written at a time.
_BATCH = 1000


def _recounted_months(
    register: QuerySet[Any, dict[str, Any]], *, events: type[Model], using: str
) -> Iterator[tuple[int, Month]]:
    """Each (organisation, month) of `register`'s complaints recounted, in the register's
    order, which must keep an organisation's month together (by organisation, then day)."""
    current: tuple[int, date] | None = None
    counted: dict[int, tuple[str, Counted]] = {}
    counts: Counter[Key] = Counter()
    rows = register.iterator(chunk_size=_CHUNK)
    while chunk := list(islice(rows, _CHUNK)):
        acknowledged = _first_acknowledgements(
            [row["id"] for row in chunk], events=events, using=using
        )
        for row in chunk:
            received_on = as_day(row["received_on"])
            assert received_on is not None  # a complaint is always received on a day
            here = (row["organisation_id"], month_of(received_on))
            if here != current:
                if current is not None:
                    yield current[0], Month(current[1], counted, counts)
                current, counted, counts = here, {}, Counter()
            found = counted_of(row, acknowledged.get(row["id"]))
            counted[row["id"]] = (row["reference"], found)
            counts.update(keys_of(found))
    if current is not None:
        yield current[0], Month(current[1], counted, counts)


def _register(complaints: type[Model], using: str) -> QuerySet[Any, dict[str, Any]]:
    return complaints._default_manager.using(using).values(
        "id", "organisation_id", "reference", *FIELDS
    )


def recounted(
    organisation_id: int,
    months: Iterable[date],
    *,
    complaints: type[Model] = Complaint,
    events: type[Model] = ComplaintEvent,
    using: str = "default",
) -> Iterator[Month]:
    """The counts of the organisation's complaints received in each of `months` (their first
    days), in the months' order, read from the complaints and their chronology; a month without
    complaints is recounted empty. The models are parameters so that a migration passes its
    historical ones."""
    wanted = sorted(set(months))
    if not wanted:
        return
    register = (
        _register(complaints, using)
        .filter(
            organisation_id=organisation_id,
            received_on__gte=wanted[0],
            received_on__lte=_last_day(wanted[-1]),
        )
        .order_by("received_on")
    )
    found = _recounted_months(register, events=events, using=using)
    recounted_month = next(found, None)
    for month in wanted:
        # The register's months come in order: those before `month` were not asked for.
        while recounted_month is not None and recounted_month[1].month < month:
            recounted_month = next(found, None)
        if recounted_month is not None and recounted_month[1].month == month:
            yield recounted_month[1]
        else:
            yield Month(month, {}, Counter())


def _first_acknowledgements(
    complaint_ids: list[int], *, events: type[Model], using: str
) -> dict[int, date]:
    first: dict[int, date] = {}
    for complaint_id, occurred_on in (
        events._default_manager.using(using)
        .filter(ACKNOWLEDGEMENT_EVENTS, complaint_id__in=complaint_ids)
        .order_by("sequence")
        .values_list("complaint_id", "occurred_on")
    ):
        day = as_day(occurred_on)
        if day is not None:
            first.setdefault(complaint_id, day)
    return first


def _months(queryset: Iterable[date]) -> list[date]:
    return sorted({month_of(day) for day in queryset})


class _Inserts:
    """A table's rows inserted by batches as they come, many rows a statement (Django's
    bulk_create spent four fifths of a recount building its models and statements: 25 rows a
    complaint; one row a statement is a round trip a row on PostgreSQL). PostgreSQL takes them
    by COPY: psycopg spent more than half of a recount reading the placeholders of the
    statements of a thousand rows."""

    def __init__(self, model: type[Model], columns: tuple[str, ...], using: str) -> None:
        connection = connections[using]
        names = [connection.ops.quote_name(column) for column in columns]
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES "  # noqa: S608 - model's names
        self.copy = (
            f"COPY {table} ({', '.join(names)}) FROM STDIN"
            if connection.vendor == "postgresql"
            else None
        )
        self.row = f"({', '.join(['%s'] * len(names))})"
        # SQLite takes 999 parameters a statement.
        limit = connection.features.max_query_params or _BATCH * len(names)
        self.per_statement = min(_BATCH, limit // len(names))
        self.using = using
        self.rows: list[tuple[Any, ...]] = []

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows += rows
        if len(self.rows) >= _BATCH:
            self.write()

    def write(self) -> None:
        with connections[self.using].cursor() as cursor:
            if self.copy is not None and self.rows:
                with cursor.cursor.copy(self.copy) as copy:
                    for row in self.rows:
                        copy.write_row(row)
                self.rows.clear()
                return
            for start in range(0, len(self.rows), self.per_statement):
                rows = self.rows[start : start + self.per_statement]
                cursor.execute(
                    self.sql + ", ".join([self.row] * len(rows)),
                    [value for row in rows for value in row],
                )
        self.rows.clear()


def rebuild_counts(
    *,
    complaints: type[Model] = Complaint,
    events: type[Model] = ComplaintEvent,
    counted: type[Model] = CountedComplaint,
    counts: type[Model] = StatisticsCount,
    using: str = "default",
) -> int:
    """Write every organisation's kept counts again from its register; the number of
    complaints counted."""
    counted._default_manager.using(using).all().delete()
    counts._default_manager.using(using).all().delete()
    counted_rows = _Inserts(counted, ("complaint_id", "organisation_id", "counted"), using)
    count_rows = _Inserts(
        counts, ("organisation_id", "month", "day", "figure", "value", "complaints"), using
    )
    written = 0
    register = _register(complaints, using).order_by("organisation_id", "received_on")
    for organisation_id, month in _recounted_months(register, events=events, using=using):
        counted_rows.add(
            (pk, organisation_id, to_text(kept)) for pk, (_reference, kept) in month.counted.items()
        )
        count_rows.add(
            (organisation_id, by_month, day, figure, value, n)
            for (by_month, day, figure, value), n in sorted(month.counts.items())
        )
        written += len(month.counted)
    counted_rows.write()
    count_rows.write()
    return written


def rebuild_counts_in_migration(apps: Any, schema_editor: Any) -> None:
    """rebuild_counts with a migration's historical models (a RunPython of 0021 and 0028)."""
    rebuild_counts(
        complaints=apps.get_model("complaints", "Complaint"),
        events=apps.get_model("complaints", "ComplaintEvent"),
        counted=apps.get_model("complaints", "CountedComplaint"),
        counts=apps.get_model("complaints", "StatisticsCount"),
        using=schema_editor.connection.alias,
    )


FIGURE_LABELS = {
    "received": "réclamations reçues",
    "kind": "nature",
    "channel": "canal",
    "category": "catégorie",
    "client_type": "type de client",
    "funding": "financement",
    "client_satisfaction": "satisfaction du client",
    "client_acceptance": "position du client",
    "training": "formation",
    "trainer": "formateur ou formatrice",
    "funder": "financeur",
    "cause": "cause",
    "reply": "jours jusqu'à la réponse",
    "on_time": "réponse dans le délai",
    "acknowledgement": "jours jusqu'à l'accusé de réception",
    "open": "réclamations en cours",
    "register": "registre (statut, nature, canal, catégorie, type de client)",
}
# Past this many, a broken register's findings are summed up: the remedy is the same.
MAX_FINDINGS = 20
REBUILD = "« reclamations statistics-rebuild » les recompte depuis le registre"


def counts_findings(organisation_id: int) -> Iterator[str]:
    """Where the kept counts differ from the register (French, one line each): a complaint
    counted with values that are no longer its own, or not counted; a count that is not the
    number of complaints it counts. Nothing for a register only the application changed."""
    days = set(
        Complaint.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values_list("received_on", flat=True)
        .distinct()
    )
    days.update(
        StatisticsCount.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values_list("day", flat=True)
        .distinct()
    )
    found = 0
    for month in recounted(organisation_id, _months(days)):
        for finding in _month_findings(organisation_id, month):
            found += 1
            if found <= MAX_FINDINGS:
                yield f"statistiques : {finding}"
    if found > MAX_FINDINGS:
        yield f"statistiques : {found - MAX_FINDINGS} autres écarts"
    if found:
        yield f"statistiques : {REBUILD}"


def _month_findings(organisation_id: int, month: Month) -> Iterator[str]:
    kept = dict(
        CountedComplaint.objects.filter(
            complaint__organisation_id=organisation_id,
            complaint__received_on__gte=month.month,
            complaint__received_on__lte=_last_day(month.month),
        ).values_list("complaint_id", "counted")
    )
    for pk, (reference, expected) in sorted(month.counted.items()):
        text = kept.get(pk)
        if text is None:
            yield f"{reference} n'est pas comptée"
        elif (stored := from_text(text)) != expected:
            yield f"{reference} est comptée avec {_differences(stored, expected)}"
    stored_counts = {
        (by_month, day, figure, value): n
        for by_month, day, figure, value, n in StatisticsCount.objects.filter(
            organisation_id=organisation_id,
            day__gte=month.month,
            day__lte=_last_day(month.month),
        ).values_list("month", "day", "figure", "value", "complaints")
    }
    for key in sorted(set(stored_counts) | set(month.counts)):
        stored_n, expected_n = stored_counts.get(key, 0), month.counts.get(key, 0)
        if stored_n != expected_n:
            yield f"{_key_text(key)} : {stored_n} au compte, {expected_n} au registre"


def _key_text(key: Key) -> str:
    by_month, day, figure, value = key
    when = f"en {MONTHS[day.month - 1]} {day.year}" if by_month else f"le {day:%d/%m/%Y}"
    label = FIGURE_LABELS.get(figure, figure)
    return f"{label}{f' « {value} »' if value else ''}, réclamations reçues {when}"


def _differences(stored: Counted, expected: Counted) -> str:
    """The values a complaint is counted with that are no longer its own, in words."""
    said = []
    for field in fields(Counted):
        was, now = getattr(stored, field.name), getattr(expected, field.name)
        if field.name in ("codes", "texts"):
            names = CODES if field.name == "codes" else TEXTS
            said += [
                f"{FIGURE_LABELS[name]} « {a} » au lieu de « {b} »"
                for name, a, b in zip(names, was, now, strict=True)
                if a != b
            ]
        elif was != now:
            label = _ATTRIBUTE_LABELS[field.name]
            said.append(f"{label} « {_said(was)} » au lieu de « {_said(now)} »")
    return ", ".join(said)


_ATTRIBUTE_LABELS = {
    "received_on": "reçue le",
    "reply_started_on": "délai parti le",
    "first_replied_on": "première réponse le",
    "replied_on_time": "réponse dans le délai",
    "acknowledged_on": "accusé de réception le",
    "open": "en cours",
}


def _said(value: object) -> str:
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)
