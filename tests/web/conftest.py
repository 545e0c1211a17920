"""Every web test runs on the shared clock (tests/conftest.py), sessions included."""

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _clock_from_the_start(clock) -> time_machine.Traveller:
    # Autouse, so that the clock stands still before the logged-in clients create their
    # sessions; a test that moves it asks for `clock` itself.
    return clock
