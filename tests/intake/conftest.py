"""Intake fixtures: the .eml corpus and a real Dovecot IMAP server (once per test session)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.dovecot import Account, DovecotServer, unavailable_reason

FIXTURES = Path(__file__).parent / "fixtures"


def eml(name: str) -> bytes:
    """The bytes of a fixture of the corpus, exactly as stored."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = DovecotServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox_account(dovecot: DovecotServer) -> Account:
    """An empty mailbox of its own for each test."""
    return dovecot.new_account()
