"""Shared fixtures: the clock, the seed organisation, one account per role, logged-in clients,
API tokens, a real SMTP server."""

import os
import tempfile
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import CCS_PROFILE
from reclamations.core.users import token_create
from tests.accounts import verified_login
from tests.clock import NOW
from tests.harness import register_check
from tests.harness.migrations import back_to_the_latest_schema  # noqa: F401 - a fixture for all
from tests.harness.oauth2 import CLIENT_ID, OAuthAuthority
from tests.harness.smtp import SmtpServer

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hasher_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = False
    # The worker's scheduled backups are off; tests/backups turns them on where it tests them.
    settings.RECLAMATIONS_BACKUP_DIR = None
    # Mailboxes read one after another: a reader thread's connection would not see the rows of
    # a test's transaction. tests/intake/test_parallel_reading.py reads them at once.
    settings.IMAP_READERS = 1
    # Each test's register is new, and may reuse the last one's keys: no figure kept between.
    cache.clear()
    yield
    # A page's language stays active in the thread after its request (as in a server's thread,
    # where the next request sets its own): each test starts in French, Django's default, so
    # that the messages the doors give as lazy translations read in French outside a page.
    translation.deactivate()


@pytest.fixture
def clock(request) -> Iterator[time_machine.Traveller]:
    """Time stands still (time-machine, tick=False) at tests/clock.py's NOW, or at the instant
    of the nearest `clock` marker; the test moves it with clock.shift(...) or clock.move_to(...).
    """
    marker = request.node.get_closest_marker("clock")
    given = marker.args if marker else (NOW,)
    if len(given) != 1 or not isinstance(given[0], datetime) or given[0].tzinfo is None:
        raise TypeError(f"pytest.mark.clock takes one aware datetime, not {given!r}")
    with time_machine.travel(given[0], tick=False) as traveller:
        yield traveller


@pytest.fixture
def organisation(db) -> Organisation:
    """The seed's organisation, its mediator checked on the CECMC's list by a manager (the
    tests of an unlisted mediator say so themselves)."""
    return Organisation.objects.create(**CCS_PROFILE, mediator_cecmc_listed=True)


def _user(organisation: Organisation, username: str, role: str) -> User:
    user = User(
        username=username,
        role=role,
        organisation=organisation,
        first_name=username.capitalize(),
        email=f"{username}@example.org",
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def referent(organisation) -> User:
    return _user(organisation, "referente", Role.REFERENT)


@pytest.fixture
def manager(organisation) -> User:
    return _user(organisation, "responsable", Role.MANAGER)


@pytest.fixture
def auditor(organisation) -> User:
    return _user(organisation, "auditeur", Role.AUDITOR)


@pytest.fixture
def admin_user(organisation) -> User:
    return _user(organisation, "admin", Role.ADMIN)


@pytest.fixture
def other_organisation(db) -> Organisation:
    return Organisation.objects.create(name="Autre organisme", reference_prefix="AUT")


@pytest.fixture
def outsider(other_organisation) -> User:
    """A referent of another organisation: must never see ours."""
    return _user(other_organisation, "ailleurs", Role.REFERENT)


def _client_for(user: User) -> Client:
    return verified_login(Client(), user)


@pytest.fixture
def referent_client(referent) -> Client:
    return _client_for(referent)


@pytest.fixture
def manager_client(manager) -> Client:
    return _client_for(manager)


@pytest.fixture
def auditor_client(auditor) -> Client:
    return _client_for(auditor)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


def _api_client(user: User) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user)}")


@pytest.fixture
def referent_api(referent) -> Client:
    return _api_client(referent)


@pytest.fixture
def auditor_api(auditor) -> Client:
    return _api_client(auditor)


@pytest.fixture
def outsider_api(outsider) -> Client:
    return _api_client(outsider)


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a loopback port, used by Django's SMTP backend."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def oauth_authority_server() -> Iterator[OAuthAuthority]:
    authority = OAuthAuthority()
    authority.start()
    try:
        yield authority
    finally:
        authority.stop()


@pytest.fixture
def oauth_authority(oauth_authority_server, settings) -> OAuthAuthority:
    """The test OAuth 2.0 provider (tests/harness/oauth2.py), as the OAUTH2_* settings name it;
    Microsoft's habits by default (rotated refresh tokens, one-hour access tokens)."""
    authority = oauth_authority_server
    authority.access_lifetime = 3600
    authority.rotate_refresh_tokens = True
    authority.application_user = ""
    authority.token_requests.clear()
    settings.OAUTH2_PROVIDER = "custom"
    settings.OAUTH2_TOKEN_URL = authority.token_url
    settings.OAUTH2_AUTHORIZE_URL = authority.authorize_url
    settings.OAUTH2_SCOPE = "https://mail.example/imap https://mail.example/smtp"
    settings.OAUTH2_CLIENT_ID = CLIENT_ID
    settings.OAUTH2_CLIENT_SECRET = ""
    settings.OAUTH2_GRANT = "authorization_code"
    settings.OAUTH2_REFRESH_TOKEN = ""
    return authority


@pytest.fixture
def oauth_smtp_server(settings, oauth_authority) -> Iterator[SmtpServer]:
    """An SMTP server that takes only XOAUTH2 (Microsoft 365's, Gmail's way), and the settings
    that send through it with the mailbox's token."""
    server = SmtpServer(oauth=oauth_authority)
    server.start()
    settings.EMAIL_BACKEND = "reclamations.outbox.backends.OAuth2SmtpBackend"
    settings.EMAIL_AUTH = "oauth2"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = "reclamations@ccs-formation.example"
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "clock(instant): the aware datetime the `clock` fixture stands still at "
        "(default: tests/clock.py NOW, Monday 2 November 2026, 10:00 in Paris)",
    )
    config.addinivalue_line("markers", register_check.MARKER)
    # Each test run gets its own data directory, so the secret key and files never leak.
    os.environ.setdefault("RECLAMATIONS_DATA_DIR", tempfile.mkdtemp(prefix="reclamations-test-"))


def pytest_collection_modifyitems(config, items):
    """A test whose processes run on a SQLite register of their own would run the same twice in
    CI (its PostgreSQL run repeats the suite): the PostgreSQL run leaves it out."""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    repeated = pytest.mark.skip(
        reason="own_sqlite_register: the same processes on the same SQLite register, run by the "
        "suite on SQLite"
    )
    for item in items:
        if item.get_closest_marker("own_sqlite_register"):
            item.add_marker(repeated)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a test that passed, the register it left verifies (tests/harness/register_check)."""
    result = yield
    if register_check.uses_database(item) and not item.get_closest_marker("tampered"):
        problems = register_check.register_problems()
        assert problems == [], "the register left by the test does not verify"
    return result
