"""The period of the statistics, read from the query string."""

from datetime import date, timedelta
from typing import Any

from django import forms

from reclamations.reporting.periods import MAX_DAYS, TOO_LONG, Period
from reclamations.web.forms.fields import day
from reclamations.web.forms.register import IGNORED, REVERSED


class StatisticsPeriodForm(forms.Form):
    """Always bound to request.GET. Without dates: the current year up to today."""

    start = day("Du")
    end = day("Au")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid"] += IGNORED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        problem = ""
        if start and end and start > end:
            problem = REVERSED
        elif start and end and (end - start).days >= MAX_DAYS:
            problem = TOO_LONG
        if problem:
            self.add_error("end", problem + " La période par défaut est affichée.")
            cleaned.pop("start", None)
            cleaned.pop("end", None)
        return cleaned

    def period(self, today: date) -> Period:
        """The valid dates (call after is_valid()); the year to date where one is missing."""
        data = getattr(self, "cleaned_data", {})
        period = Period.asked(data.get("start"), data.get("end"), today=today)
        if period.days > MAX_DAYS:  # one date given, the other far away
            return Period(period.end - timedelta(days=MAX_DAYS - 1), period.end)
        return period
