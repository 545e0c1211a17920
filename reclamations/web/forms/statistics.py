"""The period of the statistics, read from the query string."""

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.fields import max_length
from reclamations.complaints.queries import CONTEXT_FILTERS
from reclamations.reporting.periods import MAX_DAYS, TOO_LONG, Period
from reclamations.web.forms.fields import day, text
from reclamations.web.forms.filters import IGNORED, REVERSED


class StatisticsPeriodForm(forms.Form):
    """Always bound to request.GET. Without dates: the current year up to today."""

    start = day(_("Du"))
    end = day(_("Au"))
    training = text(_("Formation"), max_length=max_length("training"))
    session = text(_("Session"), max_length=max_length("session"))
    trainer = text(_("Formateur ou formatrice"), max_length=max_length("trainer"))
    funder = text(_("Financeur"), max_length=max_length("funder"))
    cause = forms.CharField(
        label=_("Cause"),
        required=False,
        max_length=max_length("cause"),
        widget=forms.TextInput(attrs={"list": "causes"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if "invalid" in field.error_messages:
                field.error_messages["invalid"] += IGNORED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        problem = ""
        if start and end and start > end:
            problem = str(REVERSED)
        elif start and end and (end - start).days >= MAX_DAYS:
            problem = gettext(TOO_LONG)
        if problem:
            self.add_error("end", problem + gettext(" La période par défaut est affichée."))
            cleaned.pop("start", None)
            cleaned.pop("end", None)
        return cleaned

    def scope(self) -> dict[str, str]:
        """The context the figures are limited to (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in CONTEXT_FILTERS if data.get(name)}

    def period(self, today: date) -> Period:
        """The valid dates (call after is_valid()); the year to date where one is missing."""
        data = getattr(self, "cleaned_data", {})
        period = Period.asked(data.get("start"), data.get("end"), today=today)
        if period.days > MAX_DAYS:  # one date given, the other far away
            return Period(period.end - timedelta(days=MAX_DAYS - 1), period.end)
        return period
