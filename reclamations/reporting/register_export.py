"""The register as a file an auditor keeps: exactly what the register shows (its filters and
order), one line per complaint with its actions, solution and reply, read in chunks so that
memory stays flat whatever the register's size. An empty period gives a valid register (the
header alone)."""

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import islice
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    TextField,
)

from reclamations.complaints.deadlines import DeadlinePolicy
from reclamations.complaints.enums import EventType
from reclamations.complaints.fields import choices_of
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.queries import RegisterFilters, register_queryset
from reclamations.core.models import Organisation

CHUNK = 2000

# The complaint's own columns an export reads (and no other: the register is large).
EXPORT_FIELDS = (
    "id",
    "reference",
    "status",
    "channel",
    "received_on",
    "client_name",
    "client_account",
    "client_type",
    "funding",
    "training",
    "session",
    "trainer",
    "funder",
    "kind",
    "category",
    "severity",
    "cause",
    "cause_analysis",
    "description",
    "remedy_sought",
    "not_admissible_reason",
    "clock_started_on",
    "due_date",
    "resolution",
    "first_replied_on",
    "replied_on",
    "replied_on_time",
    "outcome",
    "client_acceptance",
    "closed_on",
    "mediation_seized_on",
    "litigation_started_on",
    "procedure_version",
)


class Action(NamedTuple):
    """One action taken to treat a complaint, as its chronology records it."""

    done_on: date
    description: str
    done_by: str


_POSITION = {name: index for index, name in enumerate(EXPORT_FIELDS)}
_DAY_FIELDS = frozenset(
    name
    for name in EXPORT_FIELDS
    if isinstance(Complaint._meta.get_field(name), DateField)
    and not isinstance(Complaint._meta.get_field(name), DateTimeField)
)
_DAY_POSITIONS = tuple(_POSITION[name] for name in sorted(_DAY_FIELDS))


@dataclass(slots=True)  # not frozen: built 100,000 times, and a frozen one costs more to build
class ExportRow:
    """One complaint of the export: its columns (EXPORT_FIELDS, in that order) read as plain
    values, not as a model (a model costs more to build than the rest of the line), with its
    actions and the working days it took to reply."""

    values: tuple[Any, ...]
    actions: tuple[Action, ...]
    days_to_reply: int | None  # from the start of the clock to the first reply

    def __getitem__(self, name: str) -> Any:
        return self.values[_POSITION[name]]

    @property
    def reference(self) -> str:
        return str(self["reference"])


Value = str | int | date | None


class Kind(StrEnum):
    """What a column holds, which says how a file writes it."""

    TEXT = "text"  # typed by a person (staff or client): anything, a formula included
    LABEL = "label"  # the French label of a choice
    DAY = "day"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in a spreadsheet, in characters
    kind: Kind
    value: Callable[[ExportRow], Value]
    # The complaint's field the column shows as it is (with `labels`, the label of its
    # value); None for a column computed from several.
    field: str | None = None
    labels: Mapping[str, str] | None = None  # a LABEL column's, by value

    @property
    def position(self) -> int:
        """Where the column's field is in ExportRow.values."""
        assert self.field is not None, f"{self.header} is computed, not read"
        return _POSITION[self.field]


def _read(header: str, name: str, width: int, kind: Kind) -> Column:
    position = _POSITION[name]

    def read(row: ExportRow) -> Value:
        value: Value = row.values[position]
        return value

    return Column(header, width, kind, read, field=name)


def _text(header: str, name: str, width: int) -> Column:
    return _read(header, name, width, Kind.TEXT)


def _day(header: str, name: str) -> Column:
    return _read(header, name, 12, Kind.DAY)


def _label(header: str, name: str, width: int) -> Column:
    labels = {str(value): str(label) for value, label in choices_of(name)}
    position = _POSITION[name]

    def read(row: ExportRow) -> Value:
        value = row.values[position]
        return labels.get(value, value) if value else ""

    return Column(header, width, Kind.LABEL, read, field=name, labels=labels)


def _computed(header: str, value: Callable[[ExportRow], Value], width: int, kind: Kind) -> Column:
    return Column(header, width, kind, value)


@lru_cache(maxsize=4096)
def _french_day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def actions_text(row: ExportRow) -> str:
    """The complaint's actions, one line each: "01/10/2026 : Appel du formateur. (Paul)"."""
    return "\n".join(
        f"{_french_day(action.done_on)} : {action.description}"
        + (f" ({action.done_by})" if action.done_by else "")
        for action in row.actions
    )


def on_time_text(row: ExportRow) -> str:
    """Whether the complaint was replied to in time: "oui", "non", or "" before a reply."""
    on_time = row["replied_on_time"]
    return "" if on_time is None else ("oui" if on_time else "non")


def _days_taken(row: ExportRow) -> Value:
    return row.days_to_reply


COLUMNS: tuple[Column, ...] = (
    _text("Référence", "reference", 16),
    _day("Reçue le", "received_on"),
    _label("Canal", "channel", 14),
    _text("Client", "client_name", 28),
    _text("Compte client", "client_account", 16),
    _label("Type de client", "client_type", 18),
    _label("Financement", "funding", 16),
    _text("Formation", "training", 28),
    _text("Session", "session", 20),
    _text("Formateur ou formatrice", "trainer", 22),
    _text("Financeur", "funder", 18),
    _label("Nature", "kind", 14),
    _label("Catégorie", "category", 22),
    _label("Gravité", "severity", 10),
    _text("Cause", "cause", 28),
    _text("Analyse de la cause", "cause_analysis", 40),
    _text("Description", "description", 50),
    _text("Attente du client", "remedy_sought", 30),
    _text("Motif de non-recevabilité", "not_admissible_reason", 30),
    _label("Statut", "status", 20),
    _day("Échéance", "due_date"),
    _computed("Actions menées", actions_text, 50, Kind.TEXT),
    _text("Solution apportée", "resolution", 40),
    _day("Première réponse le", "first_replied_on"),
    _day("Dernière réponse le", "replied_on"),
    _computed("Jours pour répondre", _days_taken, 10, Kind.NUMBER),
    _computed("Dans le délai", on_time_text, 10, Kind.LABEL),
    _label("Issue", "outcome", 22),
    _label("Position du client", "client_acceptance", 20),
    _day("Clôturée le", "closed_on"),
    _day("Médiateur saisi le", "mediation_seized_on"),
    _day("Contentieux engagé le", "litigation_started_on"),
    _text("Version de la procédure", "procedure_version", 14),
)
_BY_FIELD = {column.field: column for column in COLUMNS if column.field}


def shown(row: ExportRow, name: str) -> Value:
    """The complaint's field `name` as the register shows it (a choice by its label)."""
    return _BY_FIELD[name].value(row)


ACTION_COLUMNS = (("Référence", 16), ("Menée le", 12), ("Action", 60), ("Menée par", 24))


class _Days(dict[object, date | None]):
    """Days as the database hands them when read without Django's converter (ISO text from
    SQLite, dates from PostgreSQL), each turned into a date once: a register holds few
    distinct days, and converting each of its million dates one by one costs more than the
    rest of the export."""

    def __missing__(self, raw: object) -> date | None:
        day = self[raw] = (
            raw if raw is None or isinstance(raw, date) else date.fromisoformat(str(raw))
        )
        return day


class _AsStored(Func):
    """A column as the database's driver hands it, without Django's conversion of each value
    (a register has millions): the readers of ExportRow accept both drivers' forms."""

    template = "%(expressions)s"

    def get_db_converters(self, connection: Any) -> list[Any]:
        return []


class _StoredDay(_AsStored):
    """A date: text from SQLite (whose driver would otherwise parse every date itself, from
    the declared type), a date from PostgreSQL; _Days turns either into a date."""

    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra)


def _as_stored(name: str) -> F | _AsStored:
    field = Complaint._meta.get_field(name)
    if isinstance(field, DateField) and not isinstance(field, DateTimeField):
        return _StoredDay(F(name))
    if isinstance(field, BooleanField):  # 0 or 1 from SQLite, a bool from PostgreSQL
        return _AsStored(F(name), output_field=IntegerField())
    return F(name)


_EVENTS = ComplaintEvent._meta.db_table
# The actions of a chunk of complaints, their ids passed as one parameter: written in SQL because
# the ORM's IN of 2,000 parameters and its JSON lookups cost more than the query itself (1.4 s of
# a 100,000-complaint export on PostgreSQL, 0.9 s on SQLite: bench/README.md). Table and column
# names are the model's; every value is a parameter.
_ACTIONS_SQL = {
    "postgresql": (
        f"SELECT complaint_id, occurred_on, data ->> %s, data ->> %s FROM {_EVENTS} "  # noqa: S608
        "WHERE complaint_id = ANY(%s) AND event_type = %s ORDER BY complaint_id, sequence"
    ),
    "sqlite": (
        "SELECT complaint_id, CAST(occurred_on AS TEXT), json_extract(data, %s), "  # noqa: S608
        f"json_extract(data, %s) FROM {_EVENTS} "
        "WHERE complaint_id IN (SELECT value FROM json_each(%s)) AND event_type = %s "
        "ORDER BY complaint_id, sequence"
    ),
}


def _actions_of(complaint_ids: list[int], days: _Days) -> dict[int, list[Action]]:
    """The actions of a chunk of complaints, in one query, in the order they were taken."""
    ids: list[int] | str
    if connection.vendor == "postgresql":
        description, done_by, ids = "description", "done_by", complaint_ids
    else:
        description, done_by, ids = "$.description", "$.done_by", json.dumps(complaint_ids)
    found: dict[int, list[Action]] = {}
    with connection.cursor() as cursor:
        sql = _ACTIONS_SQL[connection.vendor]
        cursor.execute(sql, [description, done_by, ids, str(EventType.ACTION_ADDED)])
        for complaint_id, occurred_on, text, by in cursor.fetchall():
            day: date = days[occurred_on]  # type: ignore[assignment]  # an event always has one
            found.setdefault(complaint_id, []).append(Action(day, str(text or ""), str(by or "")))
    return found


class _DaysToReply(dict[tuple[date, date], int]):
    """Working days from the start of the clock to the first reply, each span counted once:
    a register repeats the same spans (received on a Monday, replied on the Friday) often."""

    def __init__(self, policy: DeadlinePolicy) -> None:
        super().__init__()
        self.count = policy.calendar.count_working_days

    def __missing__(self, span: tuple[date, date]) -> int:
        days = self[span] = self.count(*span)
        return days

    def of(self, values: tuple[Any, ...]) -> int | None:
        first_reply = values[_FIRST_REPLY]
        if first_reply is None:
            return None
        return self[(values[_CLOCK_STARTED] or values[_RECEIVED], first_reply)]


_FIRST_REPLY, _CLOCK_STARTED, _RECEIVED = (
    _POSITION[name] for name in ("first_replied_on", "clock_started_on", "received_on")
)


def _with_days(stored: tuple[Any, ...], days: _Days) -> tuple[Any, ...]:
    values = list(stored)
    for position in _DAY_POSITIONS:
        values[position] = days[values[position]]
    return tuple(values)


def export_rows(
    organisation: Organisation,
    filters: RegisterFilters,
    *,
    today: date,
    policy: DeadlinePolicy,
) -> Iterator[ExportRow]:
    """Every complaint the register shows under `filters`, in its order, with its actions:
    two queries per CHUNK complaints, whatever the register's size."""
    queryset = register_queryset(
        organisation,
        filters,
        today=today,
        policy=policy,
        due_soon_days=organisation.due_soon_days,
    ).values_list(*(_as_stored(name) for name in EXPORT_FIELDS))
    read = queryset.iterator(chunk_size=CHUNK)
    identity = _POSITION["id"]
    days = _Days()
    days_to_reply = _DaysToReply(policy)
    typed = connection.vendor == "postgresql"  # its driver hands dates as dates already
    while chunk := (
        list(islice(read, CHUNK))
        if typed
        else [_with_days(values, days) for values in islice(read, CHUNK)]
    ):
        actions = _actions_of([values[identity] for values in chunk], days)
        for values in chunk:
            yield ExportRow(
                values,
                tuple(actions.get(values[identity], ())),
                days_to_reply.of(values),
            )


def values_of(row: ExportRow) -> list[Value]:
    """The row's cells, in the order of COLUMNS."""
    return [column.value(row) for column in COLUMNS]


def action_lines(rows: Iterable[ExportRow]) -> Iterator[tuple[str, date, str, str]]:
    """One line per action of each complaint (the spreadsheet's second sheet)."""
    for row in rows:
        for action in row.actions:
            yield (row.reference, action.done_on, action.description, action.done_by)
