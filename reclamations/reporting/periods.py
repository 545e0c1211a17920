"""A period of reception days, and the period it is compared with: what the statistics, their
PDF and the audit pack are made of."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext

from reclamations.core.catalogue import gettext_noop
from reclamations.core.languages import long_date


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def asked(cls, start: date | None, end: date | None, *, today: date) -> "Period":
        """The period a page, the API or a command asked for: the year to date where a day is
        missing."""
        start = start or date(today.year, 1, 1)
        return cls(start, end or max(today, start))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def compared(self) -> "Period":
        """The same dates one year earlier (a period of a year or less, as a management review
        compares), else the period of the same length just before; never before year 1."""
        if self.days <= 366:
            return Period(_year_before(self.start), _year_before(self.end))
        return Period(_days_before(self.start, self.days), _days_before(self.start, 1))

    def text(self) -> str:
        """ "du samedi 3 janvier 2026 au ...", in the active language (French in the files)."""
        return gettext("du %(start)s au %(end)s") % {
            "start": long_date(self.start),
            "end": long_date(self.end),
        }

    def q(self, field: str = "received_on") -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})


def _year_before(day: date) -> date:
    if day.year == 1:
        return date.min
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _days_before(day: date, days: int) -> date:
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


# A period of ten years at most: its months are drawn one bar each.
MAX_DAYS = 3653
TOO_LONG = gettext_noop("La période dépasse dix ans : choisissez-en une plus courte.")
