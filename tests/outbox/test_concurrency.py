"""Several deliverers at once (PostgreSQL): no message is ever sent twice."""

from collections import Counter
from functools import partial

import pytest

from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
from reclamations.outbox.services import outbox_queue
from tests.harness.concurrency import at_once, skip_unless_postgresql

MESSAGES = 40

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


def test_two_deliverers_never_send_the_same_message_twice(smtp_server, organisation):
    skip_unless_postgresql()
    for number in range(MESSAGES):
        outbox_queue(
            organisation=organisation,
            kind="staff_notice",
            to="f.maltese@ccs-legal.fr",
            subject=f"Avis {number}",
            body_text="x",
        )

    reports = at_once(partial(deliver_due, limit=MESSAGES), threads=2)

    sent_ids = Counter(received.message["Message-ID"] for received in smtp_server.received)
    assert len(sent_ids) == MESSAGES
    assert set(sent_ids.values()) == {1}
    assert sum(report.sent for report in reports) == MESSAGES
    # Both took part: the claims interleaved rather than one deliverer doing everything.
    assert all(report.sent > 0 for report in reports), [report.sent for report in reports]
    assert OutgoingMessage.objects.filter(status=OutgoingStatus.SENT).count() == MESSAGES
    assert set(OutgoingMessage.objects.values_list("attempts", flat=True)) == {1}
