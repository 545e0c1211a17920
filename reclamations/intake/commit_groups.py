"""Messages imported in groups that commit together, each message in its own savepoint.

A bulk import (`import-eml` on a folder) committed every message alone: each commit rewrote
every page the message touched (about seventy: the tail of each index), and the commits were
a third of the import's time. A group of messages commits once and writes each shared page
once. Each message keeps its own savepoint, so one that fails leaves no trace and the messages
before it stay registered; what a group registered is reported only once it is committed, so a
line printed is a message kept.

The group is bounded in messages and in time: while it is open, the database's write lock
(SQLite) or the organisation's counters (PostgreSQL) are held, and a member of staff saving a
form waits for it, half a second at most.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Generic, TypeVar

from django.db import DatabaseError, transaction

GROUP_MESSAGES = 100
GROUP_SECONDS = 0.5

Report = TypeVar("Report")


class CommitGroups(Generic[Report]):
    """`with CommitGroups(publish) as groups:` then, for each message,
    `with groups.message(): ...` and `groups.done(report)`.

    `publish` receives each report once its message is committed, in order.
    """

    def __init__(
        self,
        publish: Callable[[Report], object],
        *,
        messages: int = GROUP_MESSAGES,
        seconds: float = GROUP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if messages < 1:
            raise ValueError("A group holds at least one message.")
        self._publish = publish
        self._messages = messages
        self._seconds = seconds
        self._clock = clock
        self._reports: list[Report] = []
        self._group: transaction.Atomic | None = None
        self._opened_at = 0.0

    def __enter__(self) -> "CommitGroups[Report]":
        return self

    @contextmanager
    def message(self) -> Iterator[None]:
        """One message's work: in the open group (opened if needed), in its own savepoint."""
        if self._group is None:
            self._group = transaction.atomic()
            self._group.__enter__()
            self._opened_at = self._clock()
        with transaction.atomic():
            yield

    def done(self, report: Report) -> None:
        """The message's work succeeded; the group commits when it is full or old enough."""
        self._reports.append(report)
        full = len(self._reports) >= self._messages
        if full or self._clock() - self._opened_at >= self._seconds:
            self.commit()

    def commit(self) -> None:
        """Commit the open group, then publish its reports."""
        group, self._group = self._group, None
        if group is not None:
            group.__exit__(None, None, None)
        reports, self._reports = self._reports, []
        for report in reports:
            self._publish(report)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> bool:
        try:
            self.commit()
        except DatabaseError:
            if kind is None:
                raise
            # A message failed and the commit of those before it too: the message's failure is
            # what the caller hears about, and nothing is reported as kept.
            self._reports = []
        return False
