"""Loopback ports for the servers the tests start.

Each test process (pytest-xdist worker) takes its ports from a range of its own, below the
kernel's ephemeral ports (32768 and up here): a port found free and then left unbound while a
server starts (`reclamations serve` takes seconds under load) could otherwise be handed to
another worker's server meanwhile. That happened: the first-run journey's HTTP client reached
the other worker's SMTP server ("BadStatusLine: 220 localhost Python SMTP").
"""

import itertools
import os
import socket

_SPAN = 1000
_FIRST = 20000


def _worker_number() -> int:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = name.removeprefix("gw")
    return int(digits) if digits.isdigit() else 0


_BASE = _FIRST + _SPAN * (_worker_number() % 12)
_offsets = itertools.count()


def free_port() -> int:
    """A loopback port nobody listens on (checked by binding it, closed again at once), from
    this test process's own range."""
    for _ in range(_SPAN):
        port = _BASE + next(_offsets) % _SPAN
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free loopback port between {_BASE} and {_BASE + _SPAN - 1}.")
