"""Two workers fetching the same message at once (PostgreSQL): it is registered once."""

import threading

import pytest
from django.db import connection, connections

from reclamations.complaints.models import Complaint
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.services import DUPLICATE, IntakeResult, intake_process

ROUNDS = 5

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Concurrent workers need PostgreSQL (set DATABASE_URL); SQLite serialises every "
            "writer with its IMMEDIATE transactions."
        )


def complaint_message(number: int) -> bytes:
    return (
        f"From: Client {number} <client{number}@example.fr>\r\n"
        f"Subject: Réclamation {number}\r\n"
        f"Message-ID: <same-{number}@example.fr>\r\n"
        "\r\n"
        "Formation annulée.\r\n"
    ).encode()


def test_the_same_message_fetched_by_two_workers_is_registered_once(organisation):
    results: list[IntakeResult] = []
    errors: list[BaseException] = []

    for number in range(ROUNDS):
        start = threading.Barrier(2)

        def worker(raw: bytes = complaint_message(number), start=start) -> None:
            try:
                start.wait()
                results.append(
                    intake_process(
                        organisation=organisation,
                        raw=raw,
                        arrived_at=None,
                        source=IntakeSource.IMAP,
                    )
                )
            except BaseException as error:  # reported to the test below
                errors.append(error)
            finally:
                connections.close_all()  # this thread's own connection

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert sorted(result.outcome for result in results) == sorted(
        [IntakeOutcome.CREATED, DUPLICATE] * ROUNDS
    )
    assert Complaint.objects.count() == ROUNDS
    assert InboundEmail.objects.count() == ROUNDS
