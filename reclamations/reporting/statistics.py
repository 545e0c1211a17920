"""The register's statistics for a period, beside the period it is compared with (Qualiopi
indicators 31 and 32, the management review): volumes by month and by kind, channel, category,
client type, funding, training, trainer, funder and cause; working days to acknowledge and to
reply (median, 90th percentile); the share replied on time; open complaints by age; repeat
complainants; mediation and litigation. A fixed number of queries whatever the register's size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext

from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import CONTEXT_FILTERS
from reclamations.core.calendar import working_days_unit
from reclamations.core.catalogue import gettext_noop
from reclamations.core.languages import in_french
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics_kept import kept_tallies
from reclamations.reporting.statistics_register import register_tallies
from reclamations.reporting.statistics_tallies import Tallies, WorkingDays
from reclamations.reporting.statistics_texts import Repeat, repeat_clients, repeats_of
from reclamations.reporting.statistics_wording import (
    CHOICES,
    Age,
    Choice,
    Month,
    NotGiven,
    Others,
    Wording,
    say,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TOP_VALUES = 10
# The free-text breakdowns: field, title.
_COUNTED = (
    ("training", gettext_noop("Par formation")),
    ("trainer", gettext_noop("Par formateur ou formatrice")),
    ("funder", gettext_noop("Par financeur")),
    ("cause", gettext_noop("Par cause")),
)
SCOPE_LABELS = {
    "training": gettext_noop("formation"),
    "session": gettext_noop("session"),
    "trainer": gettext_noop("formateur ou formatrice"),
    "funder": gettext_noop("financeur"),
    "cause": gettext_noop("cause"),
}
# Open complaints by working days since reception (the procedure's deadline is 10 by default).
AGE_BUCKETS = ((0, 5), (6, 10), (11, 20), (21, None))


@dataclass(frozen=True)
class Line:
    label: str  # in French, as the PDF and the API give it
    value: int
    previous: int | None = None
    # What the label says, for a page to word it in its reader's language (statistics_wording);
    # None for a value as typed. Not compared: the label says it already.
    wording: Wording | None = field(default=None, compare=False)


def _line(wording: Wording, value: int, previous: int | None = None) -> Line:
    return Line(say(wording), value, previous, wording)


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str  # in French; the catalogue's message id
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
    calendar_kind: str  # how the days are counted (core.calendar.CalendarKind)

    @property
    def unit(self) -> str:
        """ "jours ouvrables" or "jours ouvrés" (the page words it with languages)."""
        return working_days_unit(self.calendar_kind)

    def scope_text(self) -> str:
        """The context the figures are limited to, in words of the active language ("" for
        the whole register)."""
        return gettext(" ; ").join(
            gettext("%(name)s : « %(value)s »")
            % {"name": gettext(SCOPE_LABELS[name]), "value": value}
            for name, value in self.scope.items()
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


@in_french  # the labels: the figures are cached once for every reader (decision 0036)
def compute(
    organisation: Organisation,
    period: Period,
    *,
    today: date,
    scope: Mapping[str, str] | None = None,
    from_register: bool = False,
) -> Statistics:
    """The figures of `period` and of the period compared with it, for the complaints of
    `scope` (a training, session, trainer, funder or cause as written: CONTEXT_FILTERS).
    The whole register's are read from the counts kept as complaints change (decision 0029);
    a scope's, or with `from_register`, from the complaints themselves."""
    scope = {name: value for name, value in (scope or {}).items() if value}
    if set(scope) - set(CONTEXT_FILTERS):
        raise ValueError(f"Unknown scope: {sorted(set(scope) - set(CONTEXT_FILTERS))}")
    compared = period.compared()
    calendar = deadline_policy(organisation).calendar
    working_days = WorkingDays(calendar, anchor=compared.start)
    if scope or from_register:
        tallies = register_tallies(organisation, period, compared, working_days, today, scope)
    else:
        tallies = kept_tallies(organisation, period, compared, working_days, today)
    by_month, received, received_before = _by_month(tallies, period, compared)
    repeats, repeat_counts = repeats_of(
        tallies.counted["training"], repeat_clients(organisation, period, scope)
    )
    # The few escalated complaints, each kind read by its partial index.
    register = Complaint.objects.filter(organisation=organisation, **scope)
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
        breakdowns=_breakdowns(tallies),
        to_acknowledge=spread(tallies.acknowledgement_days[True]),
        to_acknowledge_before=spread(tallies.acknowledgement_days[False]),
        to_reply=spread(tallies.reply_days[True]),
        to_reply_before=spread(tallies.reply_days[False]),
        replied=tallies.replied[True],
        replied_on_time=tallies.on_time[True],
        replied_before=tallies.replied[False],
        replied_on_time_before=tallies.on_time[False],
        open_by_age=_open_by_age(tallies.open_ages),
        repeats=repeats,
        repeat_counts=repeat_counts,
        calendar_kind=calendar.kind,
        **escalation,
    )


def _months(period: Period) -> list[tuple[int, int]]:
    months, year, month = [], period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _by_month(
    tallies: Tallies, period: Period, compared: Period
) -> tuple[tuple[Line, ...], int, int]:
    counts = tallies.months
    lines = []
    shown, earlier = _months(period), _months(compared)
    for position, (year, month) in enumerate(shown):
        previous = counts.get(earlier[position], 0) if position < len(earlier) else None
        lines.append(_line(Month(year, month), counts.get((year, month), 0), previous))
    received = sum(counts.get(month, 0) for month in shown)
    received_before = sum(counts.get(month, 0) for month in earlier)
    return tuple(lines), received, received_before


# The breakdowns by a list's codes (statistics_wording.CHOICES): field, title.
_DIMENSIONS = (
    ("kind", gettext_noop("Par nature")),
    ("channel", gettext_noop("Par canal")),
    ("category", gettext_noop("Par catégorie")),
    ("client_type", gettext_noop("Par type de client")),
    ("funding", gettext_noop("Par financement")),
    # Qualiopi 32: what clients said after the reply (the survey), and their position.
    ("client_satisfaction", gettext_noop("Satisfaction des clients après la réponse")),
    ("client_acceptance", gettext_noop("Position du client sur la résolution")),
)


def _breakdowns(tallies: Tallies) -> tuple[Breakdown, ...]:
    breakdowns = [
        Breakdown(name, title, _lines(name, tallies.counted[name], CHOICES[name]))
        for name, title in _DIMENSIONS
    ]
    for name, title in _COUNTED:
        breakdowns.append(Breakdown(name, title, _most_frequent(name, tallies.counted[name])))
    return tuple(breakdowns)


def _pairs(counts: Counter[tuple[bool, str]]) -> dict[str, tuple[int, int]]:
    values = {value for _current, value in counts}
    return {value: (counts[(True, value)], counts[(False, value)]) for value in values}


def _lines(
    name: str, counts: Counter[tuple[bool, str]], labels: Mapping[str, StrOrPromise]
) -> tuple[Line, ...]:
    rows = _pairs(counts)
    lines = [_line(Choice(name, code), *rows.pop(code, (0, 0))) for code in labels]
    blank = rows.pop("", (0, 0))
    # An old code, no longer in the list: shown as stored.
    lines += [_line(Choice(name, code), *pair) for code, pair in sorted(rows.items())]
    if any(blank):
        lines.append(_line(NotGiven(), *blank))
    return tuple(line for line in lines if line.value or line.previous)


def _most_frequent(name: str, counts: Counter[tuple[bool, str]]) -> tuple[Line, ...]:
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
            _line(
                Others(name, len(rest)),
                sum(row[0] for row in rest),
                sum(row[1] for row in rest),
            )
        )
    blank = [row for row in rows if not row[2].strip()]
    if blank and (sum(row[0] for row in blank) or sum(row[1] for row in blank)):
        lines.append(_line(NotGiven(), sum(row[0] for row in blank), sum(row[1] for row in blank)))
    return tuple(line for line in lines if line.value or line.previous)


def _open_by_age(ages: Counter[int]) -> tuple[Line, ...]:
    """The complaints open today by working days since their reception."""
    lines = []
    for low, high in AGE_BUCKETS:
        lines.append(
            _line(
                Age(low, high),
                sum(n for age, n in ages.items() if age >= low and (high is None or age <= high)),
            )
        )
    return tuple(lines)
