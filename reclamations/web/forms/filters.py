"""What the filter forms of the lists share (register, journal, security journal): always bound
to request.GET, a wrong value is reported and only that filter is dropped, and a period whose
end precedes its start is refused."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

IGNORED = _(" Ce filtre est ignoré.")
REVERSED = _("Cette date précède la date de début de la période : corrigez l'une des deux.")


class QueryFilterForm(forms.Form):
    """Always bound to request.GET: a wrong value is reported and only that filter is dropped."""

    # The names of the period's first and last day fields, when the form has a period.
    period: tuple[str, str] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for code in ("invalid", "invalid_choice"):
                if code in field.error_messages:
                    field.error_messages[code] += IGNORED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.period is not None:
            first, last = self.period
            start, end = cleaned.get(first), cleaned.get(last)
            if start and end and start > end:
                self.add_error(last, REVERSED + IGNORED)
        return cleaned
