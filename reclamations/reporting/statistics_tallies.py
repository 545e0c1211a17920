"""What a period's figures are made of, however they were read (from the kept counts or from
the complaints themselves): complaints counted by month, by each code and free text, by the
working days they took, in the period (True) and in the compared period (False)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from reclamations.complaints.counted import CODES, TEXTS
from reclamations.core.calendar import WorkingCalendar


@dataclass
class Tallies:
    months: Counter[tuple[int, int]]  # (year, month) -> complaints received, either period
    counted: dict[str, Counter[tuple[bool, str]]]  # code or text -> (in the period?, value)
    reply_days: dict[bool, Counter[int]]  # working days to the first reply -> complaints
    replied: Counter[bool]  # replied complaints with a deadline to judge them by
    on_time: Counter[bool]
    acknowledgement_days: dict[bool, Counter[int]]
    open_ages: Counter[int]  # complaints open today, by working days since their reception

    @classmethod
    def empty(cls) -> "Tallies":
        return cls(
            months=Counter(),
            counted={name: Counter() for name in (*CODES, *TEXTS)},
            reply_days={True: Counter(), False: Counter()},
            replied=Counter(),
            on_time=Counter(),
            acknowledgement_days={True: Counter(), False: Counter()},
            open_ages=Counter(),
        )


class WorkingDays:
    """Working days between two days, from each day's rank (working days since an anchor):
    a few hundred distinct days instead of thousands of distinct spans to count."""

    def __init__(self, calendar: WorkingCalendar, anchor: date) -> None:
        self.count = calendar.count_working_days
        self.anchor = anchor
        self.ranks: dict[date, int] = {}

    def rank(self, day: date) -> int:
        """Working days from the anchor to `day` (negative before it)."""
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
        return max(self.rank(end) - self.rank(start), 0)
