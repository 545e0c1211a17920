"""Running the same work in several threads at once, each with its own database connection.

Only PostgreSQL lets two writers really overlap (SQLite's IMMEDIATE transactions queue them),
so tests using this are marked `postgres_only` and skip with the reason elsewhere.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection, connections

Result = TypeVar("Result")

NEEDS_POSTGRESQL = (
    "Concurrent writers need PostgreSQL (set DATABASE_URL); SQLite serialises every writer "
    "with its IMMEDIATE transactions, so there is no race to test."
)


def skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)


def at_once(task: Callable[[], Result], *, threads: int = 2, timeout: float = 60) -> list[Result]:
    """Start `threads` runs of `task` together (a barrier releases them at once) and return
    their results; an exception in any of them fails the calling test."""
    start = threading.Barrier(threads)
    results: list[Result] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(task())
        except BaseException as error:  # reported to the caller below
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=timeout)
    assert errors == [], errors
    assert len(results) == threads, "a run did not finish in time"
    return results
