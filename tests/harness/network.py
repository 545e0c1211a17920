"""Loopback ports for the servers the tests start."""

import socket


def free_port() -> int:
    """A loopback port nobody listens on (closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
