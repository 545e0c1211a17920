"""Dates on the client's pages, in the page's language (French, or English when the client
chose it), written out here rather than through the process locale, which a server may lack."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from reclamations.core import english, french

register = template.Library()


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def french_date(value: date | datetime | None) -> str:
    """ "27 novembre 2026", "27 November 2026" """
    day = _day(value)
    return english.written_date(day) if _english() else french.written_date(day)


@register.filter
def french_long_date(value: date | datetime | None) -> str:
    """ "mercredi 9 décembre 2026", "Wednesday 9 December 2026" """
    day = _day(value)
    return english.long_date(day) if _english() else french.long_date(day)
