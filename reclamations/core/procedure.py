"""The choices an organisation makes in its complaints procedure: bounds, defaults, labels.

Pure: read by the organisation's model, its settings form and service, and by the deadline
rules, so that each bound and default is written once.
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from reclamations.core.catalogue import gettext_noop

MIN_DEADLINE_DAYS: Final = 1
MAX_DEADLINE_DAYS: Final = 90
DEFAULT_DEADLINE_DAYS: Final = 10
"""The procedure's 10 working days."""

MIN_DUE_SOON_DAYS: Final = 0
MAX_DUE_SOON_DAYS: Final = 30
DEFAULT_DUE_SOON_DAYS: Final = 3
"""Working days before the due date from which a complaint is "due soon"."""

MIN_ARCHIVE_MONTHS: Final = 1
MAX_ARCHIVE_MONTHS: Final = 120
DEFAULT_ARCHIVE_MONTHS: Final = 12
"""Months after its closure before a complaint is archived (its client's identity for managers
only)."""

MIN_ANONYMISE_MONTHS: Final = 12
MAX_ANONYMISE_MONTHS: Final = 240
DEFAULT_ANONYMISE_MONTHS: Final = 60
"""Months after its closure before a complaint is anonymised: five years, the limitation period
of most claims a client could bring (Code civil, art. 2224)."""


class PhoneClock(StrEnum):
    """When the deadline of a complaint made by phone starts."""

    CALL = "call"
    CONFIRMATION = "confirmation"


PHONE_CLOCK_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        PhoneClock.CALL: gettext_noop("À l'appel"),
        PhoneClock.CONFIRMATION: gettext_noop("À la réception de la confirmation écrite"),
    }
)


def deadline_days_problem(days: int) -> str | None:
    """The French message for a deadline outside the procedure's bounds, else None."""
    if MIN_DEADLINE_DAYS <= days <= MAX_DEADLINE_DAYS:
        return None
    return (
        f"Le délai de réponse doit être compris entre {MIN_DEADLINE_DAYS} et "
        f"{MAX_DEADLINE_DAYS} jours (reçu : {days})."
    )
