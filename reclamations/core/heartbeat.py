"""The workers' heartbeat: every `reclamations worker` process records that it is alive, so
that the health page (/sante/) can tell a stopped or stuck worker from an idle one."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from reclamations.core.models import WorkerHeartbeat

# How often the worker's loop records it: a job of its own, so that a loop stuck in another
# job stops beating (a process alive but doing nothing is no worker).
EVERY = timedelta(minutes=1)
# Rows of processes gone for this long are removed: a restarted worker is a new process.
KEEP = timedelta(days=1)


def worker_name() -> str:
    """This process, as the health page counts workers: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat_record(*, now: datetime | None = None) -> str:
    """Record that this worker process is alive now, and forget those gone for a day."""
    now = now or timezone.now()
    name = worker_name()
    if not WorkerHeartbeat.objects.filter(worker=name).update(beat_at=now):
        WorkerHeartbeat.objects.create(worker=name, started_at=now, beat_at=now)
    WorkerHeartbeat.objects.filter(beat_at__lt=now - KEEP).delete()
    return f"signe de vie de {name}"


@dataclass(frozen=True)
class Heartbeats:
    last: datetime | None  # the latest any worker recorded
    alive: int  # workers that recorded one within the window asked


def heartbeats(*, within: timedelta, now: datetime | None = None) -> Heartbeats:
    now = now or timezone.now()
    latest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
    alive = WorkerHeartbeat.objects.filter(beat_at__gte=now - within).count()
    return Heartbeats(last=latest.first(), alive=alive)
