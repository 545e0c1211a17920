"""Every web test runs on the shared clock (tests/conftest.py), sessions included."""

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _clock_from_the_start(clock) -> time_machine.Traveller:
    # Autouse, so that the clock stands still before the logged-in clients create their
    # sessions; a test that moves it asks for `clock` itself.
    return clock


@pytest.fixture(autouse=True)
def _work_count_not_kept(monkeypatch) -> None:
    # The navigation's figure is kept while the register is unchanged: a page read after a
    # change runs one query more than one read before it. The query-count tests compare pages
    # read in both states, so the figure is computed every time here; the test of the cache
    # (test_my_work.py) keeps it.
    monkeypatch.setattr("reclamations.complaints.work_lists.WORK_COUNT_KEPT_SECONDS", 0)
