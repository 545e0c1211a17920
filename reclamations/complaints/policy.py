"""The organisation's deadline settings, as the pure deadline module needs them."""

from datetime import date

from reclamations.complaints.deadlines import DeadlinePolicy
from reclamations.core.models import Organisation


def _dates(values: list[str]) -> frozenset[date]:
    return frozenset(date.fromisoformat(value) for value in values)


def deadline_policy(organisation: Organisation) -> DeadlinePolicy:
    """The organisation's deadline settings as a validated DeadlinePolicy."""
    return DeadlinePolicy(
        days=organisation.deadline_days,
        calendar_kind=organisation.calendar_kind,
        subdivision=organisation.holiday_subdivision or None,
        carry_saturday=organisation.carry_saturday,
        phone_clock_starts_at=organisation.phone_clock,
        suspend_while_awaiting_information=organisation.suspend_while_awaiting_information,
        extra_closures=_dates(organisation.extra_closures),
        worked_holidays=_dates(organisation.worked_holidays),
    )
