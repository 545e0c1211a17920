"""The background worker: periodic jobs (mail fetching, outbox delivery, reminders) in one loop.

The worker knows no part of the application: each app registers its own jobs with
`register_job` when Django starts it (its AppConfig.ready), `reclamations worker` runs them all,
and every job also has its own one-shot command for cron.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType

logger = logging.getLogger("reclamations.worker")

# The loop never sleeps longer than this, so a stop request or a newly due job waits little.
TICK_SECONDS = 5.0


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]
    every: timedelta


JOBS: list[Job] = []
"""Every registered job, in the order the apps registered them (INSTALLED_APPS)."""


def register_job(job: Job) -> None:
    """Add `job` to the worker's loop; registering the same name again replaces it."""
    for index, known in enumerate(JOBS):
        if known.name == job.name:
            JOBS[index] = job
            return
    JOBS.append(job)


@dataclass(frozen=True)
class JobRun:
    name: str
    succeeded: bool
    summary: str  # the job's own summary, or the error when it failed


def _drop_stale_connections() -> None:
    """Close broken or expired database connections (django.db.close_old_connections).

    A connection inside a transaction is left alone: the caller (a test, or code running the
    job inside its own atomic block) still needs it.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def run_job(job: Job) -> JobRun:
    """Run one job, logging its summary or its exception.

    A failing job must never stop the others, so every exception is caught here.
    """
    # Dropping unusable or expired connections before and after each job lets a long-running
    # worker survive a database restart: the next query opens a fresh connection.
    _drop_stale_connections()
    started = time.monotonic()
    try:
        summary = job.run()
    except Exception as exc:
        logger.exception("Tâche %s : échec", job.name)
        return JobRun(job.name, False, f"{type(exc).__name__}: {exc}")
    finally:
        _drop_stale_connections()
    logger.info("Tâche %s (%.1f s) : %s", job.name, time.monotonic() - started, summary)
    return JobRun(job.name, True, summary)


def run_once(jobs: Sequence[Job]) -> list[JobRun]:
    """Run every job once, in order."""
    return [run_job(job) for job in jobs]


def run_forever(
    jobs: Sequence[Job],
    *,
    stop_event: threading.Event,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run each job whenever it is due until `stop_event` is set.

    Every job runs at start, then every `job.every`. The stop event is checked between jobs, so
    a stop request lets the current job finish.
    """
    next_run = {job.name: clock() for job in jobs}
    while not stop_event.is_set():
        for job in jobs:
            if stop_event.is_set():
                break
            if clock() >= next_run[job.name]:
                run_job(job)
                next_run[job.name] = clock() + job.every.total_seconds()
        if stop_event.is_set():
            break
        wait = min(next_run.values()) - clock() if jobs else TICK_SECONDS
        if wait > 0:
            stop_event.wait(min(wait, TICK_SECONDS))


def install_stop_signals(stop_event: threading.Event) -> None:
    """SIGTERM and SIGINT ask the loop to stop after the current job."""

    def _stop(signum: int, frame: FrameType | None) -> None:
        logger.info("Signal %s reçu : arrêt après la tâche en cours.", signal.Signals(signum).name)
        stop_event.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


def watch_parent(
    parent_pid: int, stop_event: threading.Event, *, poll_seconds: float = 1.0
) -> None:
    """Set `stop_event` once `parent_pid` is no longer our parent (it exited).

    The embedded worker is a child of the web server; when the server stops, the worker must
    not linger on its own, holding the SQLite database.
    """

    def _watch() -> None:
        while not stop_event.wait(poll_seconds):
            if os.getppid() != parent_pid:
                logger.info("Processus parent %s terminé : arrêt du worker.", parent_pid)
                stop_event.set()

    threading.Thread(target=_watch, name="watch-parent", daemon=True).start()
