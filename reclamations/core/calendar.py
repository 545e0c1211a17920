"""Working-day calendar for French complaint deadlines (pure Python, no Django).

Two ways of counting, both excluding French public holidays:

* ``"ouvrables"`` (jours ouvrables): Monday to Saturday;
* ``"ouvres"`` (jours ouvrés): Monday to Friday.

Public holidays are computed by the ``holidays`` package for the organisation's subdivision
(metropolitan France, Alsace-Moselle, overseas departments and collectivities), never typed by
hand. The organisation can add its own closure days and declare holidays it works.

Performance: a register page computes deadlines for up to 100 rows per request and the benchmark
for 100,000 rows, so each year is turned once into a table (working flag and running count of
working days for every day of the year, ordinals of the working days). ``is_working_day`` is then
one array read, ``count_working_days`` two and ``add_working_days`` one per year crossed. Public
holidays are cached per (subdivision, year) and year tables per (calendar, year).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Final

from holidays.countries.france import France

from reclamations.core.catalogue import gettext_noop


class CalendarKind(StrEnum):
    """How working days are counted: the organisation's choice (the procedure says ouvrables)."""

    OUVRABLES = "ouvrables"  # Monday to Saturday
    OUVRES = "ouvres"  # Monday to Friday


CALENDAR_KINDS: Final[tuple[CalendarKind, ...]] = tuple(CalendarKind)
"""The accepted values of ``WorkingCalendar.kind``."""

CALENDAR_KIND_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        CalendarKind.OUVRABLES: gettext_noop("Jours ouvrables (lundi au samedi)"),
        CalendarKind.OUVRES: gettext_noop("Jours ouvrés (lundi au vendredi)"),
    }
)

_UNIT: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        CalendarKind.OUVRABLES: ("jour ouvrable", "jours ouvrables"),
        CalendarKind.OUVRES: ("jour ouvré", "jours ouvrés"),
    }
)


def working_days_unit(kind: str) -> str:
    """ "jours ouvrables" or "jours ouvrés": how the organisation counts."""
    return _UNIT[CalendarKind(kind)][1]


def working_days_text(days: int, kind: str) -> str:
    """ "1 jour ouvrable", "10 jours ouvrés": a count of working days as the procedure says it.

    >>> working_days_text(3, "ouvres")
    '3 jours ouvrés'
    """
    singular, plural = _UNIT[CalendarKind(kind)]
    return f"{days} {singular if abs(days) == 1 else plural}"


_SATURDAY: Final = 5
_SUNDAY: Final = 6

# School-holiday zones are subdivisions of the package, not regions with their own public
# holidays: they must not be mistaken for a calendar of public holidays.
_SCHOOL_ZONE_PREFIX: Final = "zone"

SUBDIVISIONS: Final[tuple[str, ...]] = tuple(
    code for code in France.subdivisions if not code.lower().startswith(_SCHOOL_ZONE_PREFIX)
)
"""Subdivision codes with their own public holidays: '57', '6AE', overseas and collectivities."""

_SUBDIVISION_LOOKUP: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{alias.casefold(): code for alias, code in France.subdivisions_aliases.items()},
        **{code.casefold(): code for code in SUBDIVISIONS},
    }
)


def normalise_subdivision(code: str | None) -> str | None:
    """Return the ``holidays`` subdivision code for ``code``, or None for metropolitan France.

    Accepts the package's codes ('57', '6AE', '974', 'NC'...) and aliases ('Moselle', 'RE',
    'La Réunion'...), case-insensitively and ignoring surrounding spaces. None or a blank string
    means metropolitan France. Unknown codes and the school-holiday zones ('Zone A/B/C', which
    have no public holidays of their own) raise ValueError with a French message.
    """
    if code is None:
        return None
    if not isinstance(code, str):
        raise TypeError(f"Code de subdivision invalide : {code!r}.")
    cleaned = code.strip()
    if not cleaned:
        return None
    if cleaned.casefold().startswith(_SCHOOL_ZONE_PREFIX):
        raise ValueError(
            f"« {cleaned} » est une zone de vacances scolaires, pas une région ayant ses propres "
            "jours fériés. Laissez vide pour la métropole."
        )
    try:
        return _SUBDIVISION_LOOKUP[cleaned.casefold()]
    except KeyError:
        raise ValueError(
            f"Subdivision inconnue pour les jours fériés : « {cleaned} ». Codes acceptés : "
            f"{', '.join(SUBDIVISIONS)} (vide pour la métropole)."
        ) from None


@lru_cache(maxsize=2048)
def _public_holidays(subdivision: str | None, year: int) -> Mapping[date, str]:
    """French public holidays of one year and subdivision, with their French names.

    ``language="fr"`` is passed explicitly: without it the package picks the language from the
    process locale and, under ``LANG=C.UTF-8``, returns English names.
    """
    computed = France(years=year, subdiv=subdivision, language="fr")  # type: ignore[no-untyped-call]
    return MappingProxyType(dict(computed.items()))


@dataclass(frozen=True, slots=True)
class _YearTable:
    """One calendar year, precomputed so that lookups are O(1); about 2 KB per year."""

    first_ordinal: int  # ordinal of 1 January
    flags: bytes  # flags[i] == 1 when 1 January + i days is a working day
    running: array[int]  # running[i] = working days from 1 January to 1 January + i, included
    ordinals: array[int]  # ordinals of the year's working days, ascending

    def rank(self, day: date) -> int:
        """Working days of the year up to ``day`` included."""
        return self.running[day.toordinal() - self.first_ordinal]


def _as_date(day: date) -> date:
    # A datetime is a date subclass but its calendar day depends on the time zone: the caller
    # must convert it to the organisation's local date first.
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError(f"Une date (datetime.date) est attendue, pas {type(day).__name__}.")
    return day


def _frozen_dates(values: Iterable[date]) -> frozenset[date]:
    result = frozenset(values)
    for value in result:
        _as_date(value)
    return result


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days count as working days for an organisation.

    A day is a working day when it is not a Sunday, not a Saturday in ``"ouvres"`` mode, not
    one of the organisation's ``extra_closures``, and not a public holiday of its subdivision,
    unless that holiday is listed in ``worked_holidays``. Weekends cannot be made working days
    (a worked Sunday, or a worked Saturday in ``"ouvres"`` mode, stays non-working) and a
    closure wins over a worked holiday: the organisation said it is closed that day.

    The instance is immutable and hashable; year tables are cached per instance and, for
    calendars built anew on every request, at module level.
    """

    kind: CalendarKind = CalendarKind.OUVRABLES
    subdivision: str | None = None
    extra_closures: frozenset[date] = frozenset()
    worked_holidays: frozenset[date] = frozenset()

    # A per-instance cache: left out of __init__, equality, hashing and repr.
    _years: dict[int, _YearTable] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        if self.kind not in CALENDAR_KINDS:
            raise ValueError(
                f"Type de décompte inconnu : « {self.kind} ». "
                "Valeurs possibles : « ouvrables » (lundi au samedi) ou « ouvres » "
                "(lundi au vendredi)."
            )
        object.__setattr__(self, "kind", CalendarKind(self.kind))
        object.__setattr__(self, "subdivision", normalise_subdivision(self.subdivision))
        object.__setattr__(self, "extra_closures", _frozen_dates(self.extra_closures))
        object.__setattr__(self, "worked_holidays", _frozen_dates(self.worked_holidays))

    # -- year tables -------------------------------------------------------------------------

    def _table(self, year: int) -> _YearTable:
        table = self._years.get(year)
        if table is None:
            table = _year_table(self, year)
            self._years[year] = table
        return table

    def _is_working_uncached(self, day: date, public: Mapping[date, str]) -> bool:
        weekday = day.weekday()
        if weekday == _SUNDAY or (weekday == _SATURDAY and self.kind == CalendarKind.OUVRES):
            return False
        if day in self.extra_closures:
            return False
        return day not in public or day in self.worked_holidays

    # -- public API --------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` counts towards a deadline (see the class docstring)."""
        day = _as_date(day)
        table = self._table(day.year)
        return table.flags[day.toordinal() - table.first_ordinal] == 1

    def holiday_name(self, day: date) -> str | None:
        """French name of the public holiday on ``day`` ('Lundi de Pentecôte'...), else None.

        The name is returned even for a holiday the organisation works; its own closures are
        not public holidays and have no name here.
        """
        day = _as_date(day)
        return _public_holidays(self.subdivision, day.year).get(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start``; ``start`` itself when ``n`` is 0.

        ``start`` is never counted, whether or not it is a working day: this is the rule of
        the day of reception ("le jour de la réception ne compte pas").
        """
        start = _as_date(start)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"Nombre de jours entier attendu, pas {n!r}.")
        if n < 0:
            raise ValueError(f"Le nombre de jours ouvrables doit être positif ou nul (reçu {n}).")
        if n == 0:
            return start
        year = start.year
        table = self._table(year)
        index = table.rank(start) + n - 1  # index in table.ordinals of the answer
        while index >= len(table.ordinals):
            index -= len(table.ordinals)
            year += 1
            table = self._table(year)
        return date.fromordinal(table.ordinals[index])

    def count_working_days(self, after: date, up_to: date) -> int:
        """Number of working days ``d`` with ``after < d <= up_to``; 0 if ``up_to <= after``."""
        after = _as_date(after)
        up_to = _as_date(up_to)
        if up_to <= after:
            return 0
        first = self._table(after.year)
        if after.year == up_to.year:
            return first.rank(up_to) - first.rank(after)
        total = len(first.ordinals) - first.rank(after)
        for year in range(after.year + 1, up_to.year):
            total += len(self._table(year).ordinals)
        return total + self._table(up_to.year).rank(up_to)


@lru_cache(maxsize=512)
def _year_table(calendar: WorkingCalendar, year: int) -> _YearTable:
    public = _public_holidays(calendar.subdivision, year)
    first_ordinal = date(year, 1, 1).toordinal()
    length = date(year, 12, 31).toordinal() - first_ordinal + 1
    flags = bytearray(length)
    running = array("H", bytes(2 * length))
    ordinals = array("L")
    for offset in range(length):
        ordinal = first_ordinal + offset
        if calendar._is_working_uncached(date.fromordinal(ordinal), public):
            flags[offset] = 1
            ordinals.append(ordinal)
        running[offset] = len(ordinals)
    return _YearTable(first_ordinal, bytes(flags), running, ordinals)


__all__ = [
    "CALENDAR_KINDS",
    "CALENDAR_KIND_LABELS",
    "SUBDIVISIONS",
    "CalendarKind",
    "WorkingCalendar",
    "normalise_subdivision",
    "working_days_text",
    "working_days_unit",
]
