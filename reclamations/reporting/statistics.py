"""The register's statistics for a period, beside the period it is compared with (Qualiopi
indicators 31 and 32, the management review): volumes by month and by kind, channel, category,
client type, funding, training, trainer, funder and cause; working days to acknowledge and to
reply (median, 90th percentile); the share replied on time; open complaints by age; repeat
complainants; mediation and litigation. A fixed number of queries whatever the register's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from math import ceil
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from reclamations.complaints.enums import (
    OPEN_STATUSES,
    Category,
    Channel,
    ClientAcceptance,
    ClientType,
    EventType,
    Funding,
    Kind,
    MessageChannel,
    Satisfaction,
)
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.policy import deadline_policy
from reclamations.core.calendar import WorkingCalendar, working_days_unit
from reclamations.core.french import MONTHS
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics_texts import Repeat, Texts, free_texts, repeats_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_GIVEN = "Non renseigné"
TOP_VALUES = 10
# The free-text breakdowns: field, title, what the line of the rest counts.
_COUNTED = (
    ("training", "Par formation", "autres formations"),
    ("trainer", "Par formateur ou formatrice", "autres formateurs ou formatrices"),
    ("funder", "Par financeur", "autres financeurs"),
    ("cause", "Par cause", "autres causes"),
)
SCOPE_LABELS = {
    "training": "formation",
    "session": "session",
    "trainer": "formateur ou formatrice",
    "funder": "financeur",
    "cause": "cause",
}
# Open complaints by working days since reception (the procedure's deadline is 10 by default).
AGE_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))


@dataclass(frozen=True)
class Line:
    label: str
    value: int
    previous: int | None = None


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Spread:
    """Working days taken, over `count` complaints."""

    count: int
    median: float | None
    p90: int | None


@dataclass(frozen=True)
class Statistics:
    period: Period
    compared: Period
    scope: Mapping[str, str]  # the context the figures are limited to (none: the register)
    received: int
    received_before: int
    by_month: tuple[Line, ...]
    breakdowns: tuple[Breakdown, ...]
    to_acknowledge: Spread
    to_acknowledge_before: Spread
    to_reply: Spread
    to_reply_before: Spread
    replied: int
    replied_on_time: int
    replied_before: int
    replied_on_time_before: int
    open_by_age: tuple[Line, ...]
    repeats: tuple[Repeat, ...]
    repeat_counts: dict[str, int]  # how many clients, accounts, trainings came back
    mediation: int
    mediation_before: int
    litigation: int
    litigation_before: int
    unit: str  # "jours ouvrables" or "jours ouvrés"

    def scope_text(self) -> str:
        """The context the figures are limited to, in words ("" for the whole register)."""
        return " ; ".join(
            f"{SCOPE_LABELS[name]} : « {value} »" for name, value in self.scope.items()
        )

    @property
    def on_time_share(self) -> float | None:
        return _share(self.replied_on_time, self.replied)

    @property
    def on_time_share_before(self) -> float | None:
        return _share(self.replied_on_time_before, self.replied_before)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def spread(days: Sequence[int] | Counter[int]) -> Spread:
    """Median and 90th percentile (nearest rank: 90 % took at most that many days) of days
    given one by one or counted (days -> how many complaints took them)."""
    counted = days if isinstance(days, Counter) else Counter(days)
    total = sum(counted.values())
    if not total:
        return Spread(0, None, None)
    ordered = sorted(counted.items())

    def nth(rank: int) -> int:  # the rank-th smallest, from 1
        seen = 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                return value
        raise AssertionError("rank beyond the total")

    middle = (nth((total + 1) // 2) + nth(total // 2 + 1)) / 2
    return Spread(total, float(middle), nth(ceil(0.9 * total)))


class _WorkingDays:
    """Working days between two days, from each day's rank (working days since an anchor):
    a few hundred distinct days instead of thousands of distinct spans to count."""

    def __init__(self, calendar: WorkingCalendar, anchor: date) -> None:
        self.count = calendar.count_working_days
        self.anchor = anchor
        self.ranks: dict[date, int] = {}

    def _rank(self, day: date) -> int:
        rank = self.ranks.get(day)
        if rank is None:
            if day >= self.anchor:
                rank = self.count(self.anchor, day)
            else:
                rank = -self.count(day, self.anchor)
            self.ranks[day] = rank
        return rank

    def __getitem__(self, span: tuple[date, date]) -> int:
        """Working days d with start < d <= end; 0 when end is not after start."""
        start, end = span
        return max(self._rank(end) - self._rank(start), 0)


def compute(
    organisation: Organisation,
    period: Period,
    *,
    today: date,
    scope: Mapping[str, str] | None = None,
) -> Statistics:
    """The figures of `period` and of the period compared with it, for the complaints of
    `scope` (a training, session, trainer, funder or cause as written: CONTEXT_FILTERS)."""
    scope = {name: value for name, value in (scope or {}).items() if value}
    compared = period.compared()
    calendar = deadline_policy(organisation).calendar
    working_days = _WorkingDays(calendar, anchor=compared.start)
    register = Complaint.objects.filter(organisation=organisation, **scope)
    # One range of reception days from the compared period's start to the period's end: the
    # index statistics_by_reception serves it alone (two ranges made PostgreSQL read the table).
    # The days between the two periods, when there are any, are counted in neither.
    span = register.filter(received_on__gte=compared.start, received_on__lte=period.end)
    side = Case(
        When(period.q(), then=Value(1)),
        When(compared.q(), then=Value(0)),
        default=Value(None),
        output_field=IntegerField(),
    )

    by_month, received, received_before = _by_month(span, period, compared)
    texts = free_texts(organisation, period, compared, scope)
    breakdowns = _breakdowns(span, side, texts)
    replies = _replies(span, period, compared, working_days)
    acknowledgements = _acknowledgements(organisation, period, compared, working_days, scope)
    repeats, repeat_counts = repeats_of(texts)
    # The few escalated complaints, each kind read by its partial index.
    escalation = register.filter(mediation_seized_on__isnull=False).aggregate(
        mediation=Count("pk", filter=period.q("mediation_seized_on")),
        mediation_before=Count("pk", filter=compared.q("mediation_seized_on")),
    ) | register.filter(litigation_started_on__isnull=False).aggregate(
        litigation=Count("pk", filter=period.q("litigation_started_on")),
        litigation_before=Count("pk", filter=compared.q("litigation_started_on")),
    )
    return Statistics(
        period=period,
        compared=compared,
        scope=scope,
        received=received,
        received_before=received_before,
        by_month=by_month,
        breakdowns=tuple(breakdowns),
        to_acknowledge=acknowledgements[0],
        to_acknowledge_before=acknowledgements[1],
        to_reply=replies.spread,
        to_reply_before=replies.spread_before,
        replied=replies.replied,
        replied_on_time=replies.on_time,
        replied_before=replies.replied_before,
        replied_on_time_before=replies.on_time_before,
        open_by_age=_open_by_age(register, today, working_days),
        repeats=repeats,
        repeat_counts=repeat_counts,
        unit=working_days_unit(calendar.kind),
        **escalation,
    )


def _months(period: Period) -> list[tuple[int, int]]:
    months, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _by_month(
    span: QuerySet[Complaint], period: Period, compared: Period
) -> tuple[tuple[Line, ...], int, int]:
    # By day, then months in Python: SQLite extracts a month with a Python function per row
    # (150 ms a year), while a count by day reads the index only.
    counts: Counter[tuple[int, int]] = Counter()
    for day, n in span.values_list("received_on").annotate(n=Count("*")).order_by():
        if period.start <= day <= period.end or compared.start <= day <= compared.end:
            counts[(day.year, day.month)] += n
    lines = []
    shown, earlier = _months(period), _months(compared)
    for position, (year, month) in enumerate(shown):
        previous = counts.get(earlier[position], 0) if position < len(earlier) else None
        lines.append(Line(f"{MONTHS[month - 1]} {year}", counts.get((year, month), 0), previous))
    received = sum(counts.get(month, 0) for month in shown)
    received_before = sum(counts.get(month, 0) for month in earlier)
    return tuple(lines), received, received_before


_DIMENSIONS = (
    ("kind", "Par nature", dict(Kind.choices)),
    ("channel", "Par canal", dict(Channel.choices)),
    ("category", "Par catégorie", dict(Category.choices)),
    ("client_type", "Par type de client", dict(ClientType.choices)),
    ("funding", "Par financement", dict(Funding.choices)),
    # Qualiopi 32: what clients said after the reply (the survey), and their position.
    (
        "client_satisfaction",
        "Satisfaction des clients après la réponse",
        dict(Satisfaction.choices),
    ),
    ("client_acceptance", "Position du client sur la résolution", dict(ClientAcceptance.choices)),
)


def _breakdowns(span: QuerySet[Complaint], side: Case, texts: Texts) -> list[Breakdown]:
    """The breakdowns by code from one count by all of them at once, read from the index."""
    fields = [field for field, _title, _labels in _DIMENSIONS]
    counts: dict[str, Counter[tuple[bool, str]]] = {field: Counter() for field in fields}
    for row in (
        span.annotate(side=side).values_list("side", *fields).annotate(n=Count("*")).order_by()
    ):
        if row[0] is None:
            continue
        current, n = bool(row[0]), row[-1]
        for field, value in zip(fields, row[1:-1], strict=True):
            counts[field][(current, value)] += n
    breakdowns = [
        Breakdown(field, title, _lines(counts[field], labels))
        for field, title, labels in _DIMENSIONS
    ]
    for field, title, others in _COUNTED:
        breakdowns.append(Breakdown(field, title, _most_frequent(texts.counted[field], others)))
    return breakdowns


def _pairs(counts: Counter[tuple[bool, str]]) -> dict[str, tuple[int, int]]:
    values = {value for _current, value in counts}
    return {value: (counts[(True, value)], counts[(False, value)]) for value in values}


def _lines(
    counts: Counter[tuple[bool, str]], labels: Mapping[str, StrOrPromise]
) -> tuple[Line, ...]:
    rows = _pairs(counts)
    lines = [Line(str(label), *rows.pop(code, (0, 0))) for code, label in labels.items()]
    blank = rows.pop("", (0, 0))
    lines += [Line(str(code), *pair) for code, pair in sorted(rows.items())]  # an old code
    if any(blank):
        lines.append(Line(NOT_GIVEN, *blank))
    return tuple(line for line in lines if line.value or line.previous)


def _most_frequent(counts: Counter[tuple[bool, str]], others: str) -> tuple[Line, ...]:
    """The ten values of the most complaints, the others together, then those not given."""
    rows = sorted(
        ((now, before, value) for value, (now, before) in _pairs(counts).items()),
        key=lambda row: (-row[0], -row[1], row[2]),
    )
    named = [row for row in rows if row[2].strip()]
    lines = [Line(value, now, before) for now, before, value in named[:TOP_VALUES]]
    rest = named[TOP_VALUES:]
    if rest:
        lines.append(
            Line(
                f"{len(rest)} {others}",
                sum(row[0] for row in rest),
                sum(row[1] for row in rest),
            )
        )
    blank = [row for row in rows if not row[2].strip()]
    if blank and (sum(row[0] for row in blank) or sum(row[1] for row in blank)):
        lines.append(Line(NOT_GIVEN, sum(row[0] for row in blank), sum(row[1] for row in blank)))
    return tuple(line for line in lines if line.value or line.previous)


@dataclass(frozen=True)
class _Replies:
    spread: Spread
    spread_before: Spread
    replied: int
    on_time: int
    replied_before: int
    on_time_before: int


def _replies(
    span: QuerySet[Complaint], period: Period, compared: Period, working_days: _WorkingDays
) -> _Replies:
    days: dict[bool, Counter[int]] = {True: Counter(), False: Counter()}
    replied: Counter[bool] = Counter()
    on_time: Counter[bool] = Counter()
    for received_on, clock_started_on, first_replied_on, replied_on_time, n in (
        span.filter(first_replied_on__isnull=False)
        .values_list("received_on", "clock_started_on", "first_replied_on", "replied_on_time")
        .annotate(n=Count("*"))
        .order_by()
    ):
        current = period.start <= received_on <= period.end
        if not current and not compared.start <= received_on <= compared.end:
            continue
        assert first_replied_on is not None  # filtered on
        days[current][working_days[(clock_started_on or received_on, first_replied_on)]] += n
        if replied_on_time is not None:
            replied[current] += n
            on_time[current] += n if replied_on_time else 0
    return _Replies(
        spread(days[True]),
        spread(days[False]),
        replied[True],
        on_time[True],
        replied[False],
        on_time[False],
    )


def _acknowledgements(
    organisation: Organisation,
    period: Period,
    compared: Period,
    working_days: _WorkingDays,
    scope: Mapping[str, str],
) -> tuple[Spread, Spread]:
    """Working days from reception to the first acknowledgement sent: an e-mail once
    delivered (its copy recorded), a letter on the day it was printed to post."""
    first: dict[int, tuple[date, date]] = {}
    for complaint_id, received_on, sent_on in (
        ComplaintEvent.objects.filter(
            Q(complaint__received_on__gte=period.start, complaint__received_on__lte=period.end)
            | Q(
                complaint__received_on__gte=compared.start, complaint__received_on__lte=compared.end
            ),
            Q(event_type=EventType.MESSAGE_SENT, data__message_kind=ClientMessage.ACKNOWLEDGEMENT)
            | Q(event_type=EventType.ACKNOWLEDGEMENT_QUEUED, data__channel=MessageChannel.LETTER),
            organisation=organisation,
            **{f"complaint__{name}": value for name, value in scope.items()},
        )
        .order_by("sequence")
        .values_list("complaint_id", "complaint__received_on", "occurred_on")
    ):
        first.setdefault(complaint_id, (received_on, sent_on))
    days: dict[bool, list[int]] = {True: [], False: []}
    for received_on, sent_on in first.values():
        days[period.start <= received_on <= period.end].append(working_days[(received_on, sent_on)])
    return spread(days[True]), spread(days[False])


def _open_by_age(
    register: QuerySet[Complaint], today: date, working_days: _WorkingDays
) -> tuple[Line, ...]:
    """The complaints open today by working days since their reception."""
    ages = Counter[int]()
    for received_on, count in (
        register.filter(status__in=OPEN_STATUSES)
        .values_list("received_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        ages[working_days[(received_on, today)]] += count
    lines = []
    for low, high in AGE_BUCKETS:
        label = f"{low} à {high} j" if high is not None else f"plus de {low - 1} j"
        lines.append(
            Line(
                label,
                sum(n for age, n in ages.items() if age >= low and (high is None or age <= high)),
            )
        )
    return tuple(lines)
