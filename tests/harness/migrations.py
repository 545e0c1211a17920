"""Migration tests: the schema taken back to a named state, then brought up to date again."""

from collections.abc import Iterator

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Targets = list[tuple[str, str]]


def migrate_to(targets: Targets) -> Apps:
    """Migrate the test database to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> Targets:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_the_latest_schema() -> Iterator[None]:
    """The test may migrate backwards: the schema is brought up to date after it."""
    yield
    migrate_to(latest())
