"""Intake fixtures: the .eml corpus, the instant after it, and a real Dovecot IMAP server (once per
test session)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clock import at
from tests.harness.dovecot import Account, DovecotServer, unavailable_reason

FIXTURES = Path(__file__).parent / "fixtures"
# Wednesday 25 March 2026, 10:00 in Paris: after every message of the corpus. The modules that
# process the corpus stand still there: pytestmark = pytest.mark.clock(AFTER_THE_CORPUS).
AFTER_THE_CORPUS = at(2026, 3, 25, 10)


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


@pytest.fixture(scope="session")
def dovecot_oauth(oauth_authority_server) -> Iterator[DovecotServer]:
    """A second Dovecot that also takes XOAUTH2 logins, checking each token with the test
    authority's introspection endpoint."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = DovecotServer.start(introspection_url=oauth_authority_server.introspection_url)
    try:
        yield server
    finally:
        server.stop()
