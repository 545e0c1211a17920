"""Several deliverers at once (PostgreSQL): no message is ever sent twice."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from reclamations.outbox.delivery import DeliveryReport, deliver_due
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue

MESSAGES = 40

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SKIP LOCKED needs PostgreSQL (set DATABASE_URL); SQLite serialises every writer "
            "with its IMMEDIATE transactions, so there is no concurrent claim to test."
        )


def test_two_deliverers_never_send_the_same_message_twice(smtp_server, organisation):
    for number in range(MESSAGES):
        outbox_queue(
            organisation=organisation,
            kind="staff_notice",
            to="f.maltese@ccs-legal.fr",
            subject=f"Avis {number}",
            body_text="x",
        )
    start = threading.Barrier(2)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def deliverer() -> None:
        try:
            start.wait()
            reports.append(deliver_due(limit=MESSAGES))
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=deliverer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sent_ids = Counter(received.message["Message-ID"] for received in smtp_server.received)
    assert len(sent_ids) == MESSAGES
    assert set(sent_ids.values()) == {1}
    assert sum(report.sent for report in reports) == MESSAGES
    # Both took part: the claims interleaved rather than one deliverer doing everything.
    assert all(report.sent > 0 for report in reports), [report.sent for report in reports]
    assert OutgoingMessage.objects.filter(status=OutgoingStatus.SENT).count() == MESSAGES
    assert set(OutgoingMessage.objects.values_list("attempts", flat=True)) == {1}
