"""A worker reads several organisations' mailboxes at once (IMAP_READERS), each claimed for
its reading: a server that hangs holds up no other organisation, and a mailbox another
worker is reading is left to it. Reading at once needs threads with their own connections:
PostgreSQL only, as the other concurrency tests (tests/harness/concurrency.py); SQLite reads
one at a time."""

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connections
from django.utils import timezone

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation
from reclamations.intake.mailbox_config import mailbox_save
from reclamations.intake.models import Mailbox
from reclamations.intake.polling import BEING_READ, read_all
from tests.harness.concurrency import skip_unless_postgresql

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.clock(AFTER_THE_CORPUS),
    pytest.mark.usefixtures("clock"),
]

ARRIVED = datetime(2026, 3, 24, 17, 5, tzinfo=UTC)


class HangingServer:
    """An IMAP server that accepts the connection and says nothing until `release` is set
    (or its patience runs out); it records whether it was released."""

    def __init__(self, release: threading.Event, patience: float) -> None:
        self.release = release
        self.patience = patience
        self.released = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _address = self.listener.accept()
        self.released = self.release.wait(self.patience)
        connection.close()
        self.listener.close()


@pytest.fixture
def three_organisations(organisation) -> Iterator[list[Organisation]]:
    hanging = Organisation.objects.create(name="Formations Lentes", reference_prefix="LEN")
    other = Organisation.objects.create(name="Autre organisme", reference_prefix="AUT")
    # Read in that order: one after another, the hanging one would hold the last one up.
    yield [organisation, hanging, other]


def _save(organisation, host: str, port: int, user: str, password: str) -> None:
    mailbox_save(
        organisation=organisation,
        actor=None,
        values={"host": host, "port": port, "security": "none", "user": user},
        secrets={"password": password},
    )


@pytest.mark.postgres_only
def test_a_hanging_server_holds_up_no_other_organisation(three_organisations, dovecot, settings):
    skip_unless_postgresql()
    settings.IMAP_READERS = 3
    settings.IMAP_TIMEOUT = 30
    ours, hanging, other = three_organisations
    both_read = threading.Event()
    server = HangingServer(both_read, patience=25)
    _save(hanging, "127.0.0.1", server.port, "lente", "secret")
    for organisation in (ours, other):
        account = dovecot.new_account()
        dovecot.append(account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
        _save(organisation, dovecot.host, dovecot.port, account.user, account.password)

    def watch() -> None:
        # Released once both other organisations' complaints are registered.
        try:
            for _ in range(240):
                if Complaint.objects.filter(organisation__in=[ours, other]).count() == 2:
                    both_read.set()
                    return
                threading.Event().wait(0.1)
        finally:
            connections.close_all()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    outcomes = read_all()
    watcher.join(5)

    assert server.released, "the two other mailboxes waited for the hanging one"
    assert [(outcome.organisation.name, outcome.failed) for outcome in outcomes] == [
        (ours.name, False),
        ("Formations Lentes", True),
        ("Autre organisme", False),
    ]
    assert outcomes[1].summary.startswith("Le serveur IMAP a répondu de façon inattendue")
    assert Organisation.objects.get(pk=hanging.pk).mailbox_failing_since is not None
    # Every claim was given back.
    assert list(Mailbox.objects.values_list("reading_until", flat=True)) == [None] * 3


def test_a_mailbox_another_worker_reads_is_left_to_it(organisation, dovecot):
    account = dovecot.new_account()
    dovecot.append(account, eml("plain-utf8-reclamation.eml"), when=ARRIVED)
    _save(organisation, dovecot.host, dovecot.port, account.user, account.password)
    Mailbox.objects.update(reading_until=timezone.now() + timedelta(minutes=3))

    (left,) = read_all()

    assert (left.summary, left.failed) == (BEING_READ, False)
    assert not Complaint.objects.exists()
    # That worker died: once its claim has expired, the mailbox is read again.
    Mailbox.objects.update(reading_until=timezone.now() - timedelta(seconds=1))
    (read,) = read_all()
    assert read.summary.startswith("IMAP : 1 message traité")
    assert Complaint.objects.count() == 1
    assert Mailbox.objects.get().reading_until is None
