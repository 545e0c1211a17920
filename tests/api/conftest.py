"""API clients for the roles the shared conftest does not cover."""

import pytest
from django.test import Client

from .helpers import bearer_client


@pytest.fixture
def manager_api(manager) -> Client:
    return bearer_client(manager)


@pytest.fixture
def admin_api(admin_user) -> Client:
    return bearer_client(admin_user)
