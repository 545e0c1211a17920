"""Every web test runs at a frozen instant (tests/web/helpers.py: NOW), sessions included."""

from collections.abc import Iterator

import pytest
import time_machine

from .helpers import NOW


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[time_machine.Traveller]:
    # Autouse, so that it starts before the logged-in clients create their sessions.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
