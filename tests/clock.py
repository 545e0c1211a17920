"""The tests' one clock: Paris time, and the instant a frozen test stands still at.

The `clock` fixture (tests/conftest.py) freezes time at NOW unless the test, or its module,
names another instant with the marker: `pytestmark = pytest.mark.clock(at(2025, 3, 14, 12))`.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
# Monday 2 November 2026, 10:00 in Paris. With 10 jours ouvrables and Wednesday 11 November a
# public holiday, a complaint received at this instant is due on Saturday 14 November.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment in Paris, 9:00 unless told otherwise."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)
