"""The organisation's local time: its zone, and what day it is there."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from reclamations.core.models import Organisation


def local_zone(organisation: Organisation) -> ZoneInfo:
    """The organisation's time zone."""
    return ZoneInfo(organisation.time_zone)


def local_date(organisation: Organisation, moment: datetime) -> date:
    """The day `moment` falls on where the organisation lives."""
    return moment.astimezone(local_zone(organisation)).date()


def local_today(organisation: Organisation) -> date:
    """Today where the organisation lives."""
    return local_date(organisation, timezone.now())
