"""A message whose Date: no reception can have (before 2000, or days after it arrived) is
registered as received when it arrived, with a note in the message's defects."""

from datetime import UTC, datetime

import pytest

from reclamations.complaints.models import Complaint
from reclamations.intake.models import IntakeSource
from reclamations.intake.parsing import parse_message
from reclamations.intake.services import intake_process

from .conftest import AFTER_THE_CORPUS

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]

RELAYED = b"Received: from mx.example.org by mx.ccs.fr; Tue, 24 Mar 2026 10:00:00 +0100\r\n"
ARRIVAL = datetime(2026, 3, 24, 9, 0, tzinfo=UTC)


def _message(date: bytes, *, relayed: bool = True) -> bytes:
    return (
        (RELAYED if relayed else b"") + b"From: Julie Martin <julie.martin@example.org>\r\n"
        b"To: reclamations@ccs.fr\r\n"
        b"Subject: Reclamation formation\r\n"
        b"Date: " + date + b"\r\n"
        b"Message-ID: <date-" + date.replace(b" ", b"") + b"@example.org>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Trois seances annulees sans preavis.\r\n"
    )


def _register(organisation, raw: bytes) -> Complaint:
    intake_process(organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML)
    return Complaint.objects.get()


@pytest.mark.parametrize(
    "date",
    [
        b"0001-01-01T00:00:00+01:00",
        b"Fri, 1 Jan 0100 10:00:00 +0000",
        b"Tue, 1 Jan 2999 10:00:00 +0000",
    ],
    ids=["year-1", "year-100", "year-2999"],
)
def test_an_impossible_date_gives_way_to_the_arrival_with_a_note(organisation, date):
    raw = _message(date)

    complaint = _register(organisation, raw)

    assert complaint.received_at == ARRIVAL
    assert parse_message(raw).defects[-1] == (
        f"date impossible (« {date.decode()} ») : ignorée, la réception retenue est l'arrivée "
        "du message"
    )


def test_without_a_relay_an_impossible_date_gives_way_to_the_import(organisation):
    complaint = _register(organisation, _message(b"Fri, 1 Jan 0100 10:00:00 +0000", relayed=False))

    assert complaint.received_at == AFTER_THE_CORPUS


def test_without_a_relay_a_date_from_2_january_2000_is_the_reception(organisation):
    # The first of January 2000 in UTC may still be 1999 where the organisation is.
    raw = _message(b"Sun, 2 Jan 2000 10:00:00 +0100", relayed=False)

    complaint = _register(organisation, raw)

    assert complaint.received_at == datetime(2000, 1, 2, 9, 0, tzinfo=UTC)
    assert parse_message(raw).defects == ()


def test_a_date_on_the_first_day_of_2000_in_utc_never_stops_an_overseas_message(organisation):
    # 1 January 2000 at 02:00 UTC is still 1999 in Guadeloupe: the registration would refuse
    # it, so the parser must not take it as the reception either.
    organisation.time_zone = "America/Guadeloupe"
    organisation.save(update_fields=["time_zone"])

    complaint = _register(organisation, _message(b"Sat, 1 Jan 2000 02:00:00 +0000"))

    assert complaint.received_at == ARRIVAL
