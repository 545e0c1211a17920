"""Two workers fetching the same message at once (PostgreSQL): it is registered once."""

from functools import partial

import pytest

from reclamations.complaints.models import Complaint
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.services import DUPLICATE, intake_process
from tests.harness.concurrency import at_once, skip_unless_postgresql

ROUNDS = 5

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


def complaint_message(number: int) -> bytes:
    return (
        f"From: Client {number} <client{number}@example.fr>\r\n"
        f"Subject: Réclamation {number}\r\n"
        f"Message-ID: <same-{number}@example.fr>\r\n"
        "\r\n"
        "Formation annulée.\r\n"
    ).encode()


def test_the_same_message_fetched_by_two_workers_is_registered_once(organisation):
    skip_unless_postgresql()
    outcomes: list[str] = []

    for number in range(ROUNDS):
        fetch = partial(
            intake_process,
            organisation=organisation,
            raw=complaint_message(number),
            arrived_at=None,
            source=IntakeSource.IMAP,
        )
        outcomes += [result.outcome for result in at_once(fetch, threads=2)]

    assert sorted(outcomes) == sorted([IntakeOutcome.CREATED, DUPLICATE] * ROUNDS)
    assert Complaint.objects.count() == ROUNDS
    assert InboundEmail.objects.count() == ROUNDS
