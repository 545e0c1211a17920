"""Dates on the client's pages, in French whatever the browser asks for (the process locale
is not relied on either)."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from reclamations.core.french import long_date, written_date

register = template.Library()


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def french_date(value: date | datetime | None) -> str:
    """ "27 novembre 2026" """
    return written_date(_day(value))


@register.filter
def french_long_date(value: date | datetime | None) -> str:
    """ "mercredi 9 décembre 2026" """
    return long_date(_day(value))
