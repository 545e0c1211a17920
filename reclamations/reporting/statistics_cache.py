"""The statistics of a period, computed once for as long as the register does not change.

Every change to a complaint writes an event, which advances the organisation's chain head: the
head's number in the key is what makes a cached figure never stale. The deadline settings
(working days) and the local day (open complaints by age) are in the key too. Each process
keeps its own (Django's local-memory cache unless CACHES says otherwise), for a few minutes.
"""

import hashlib
from collections.abc import Mapping
from datetime import date

from django.core.cache import cache

from reclamations.complaints.models import ChainHead
from reclamations.complaints.policy import deadline_policy
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import Statistics, compute

KEPT_SECONDS = 600
# Raised whenever Statistics changes shape: a figure computed by another version is not read.
VERSION = 2


def _key(organisation: Organisation, period: Period, today: date, scope: Mapping[str, str]) -> str:
    head = (
        ChainHead.objects.filter(organisation=organisation)
        .values_list("last_sequence", flat=True)
        .first()
    )
    settings = repr(deadline_policy(organisation))
    parts = (
        VERSION,
        organisation.pk,
        period.start,
        period.end,
        today,
        head or 0,
        sorted(scope.items()),
        settings,
    )
    return "statistics:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def statistics_for(
    organisation: Organisation,
    period: Period,
    *,
    today: date,
    scope: Mapping[str, str] | None = None,
) -> Statistics:
    """compute()'s figures, from the cache while the register and its settings are the same."""
    scope = {name: value for name, value in (scope or {}).items() if value}
    key = _key(organisation, period, today, scope)
    found = cache.get(key)
    if isinstance(found, Statistics):
        return found
    figures = compute(organisation, period, today=today, scope=scope)
    cache.set(key, figures, KEPT_SECONDS)
    return figures
