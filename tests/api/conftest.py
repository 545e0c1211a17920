"""API clients for the roles the shared conftest does not cover, and a clock that stands still."""

import pytest
from django.test import Client

from .helpers import NOW, bearer_client


@pytest.fixture
def manager_api(manager) -> Client:
    return bearer_client(manager)


@pytest.fixture
def admin_api(admin_user) -> Client:
    return bearer_client(admin_user)


@pytest.fixture
def frozen(time_machine):
    """The clock stands still at NOW (Friday 14 March 2025, noon in Paris)."""
    time_machine.move_to(NOW, tick=False)
    return time_machine
