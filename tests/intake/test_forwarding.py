"""Dates as mail clients print them in a forward, and what is no forward. Pure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reclamations.intake.forwarding import forwarded_date, is_forward

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("printed", "moment"),
    [
        ("jeudi 5 mars 2026 18:42", datetime(2026, 3, 5, 18, 42, tzinfo=PARIS)),
        ("Fri, Mar 6, 2026 at 4:05 PM", datetime(2026, 3, 6, 16, 5, tzinfo=PARIS)),
        ("mar. 3 mars 2026 à 09:15", datetime(2026, 3, 3, 9, 15, tzinfo=PARIS)),
        ("1er juillet 2026 14h30", datetime(2026, 7, 1, 14, 30, tzinfo=PARIS)),
        ("Tue, 03 Mar 2026 08:30:00 +0100", datetime.fromisoformat("2026-03-03T08:30:00+01:00")),
    ],
)
def test_a_printed_date_is_read_in_paris_time_when_it_has_no_offset(printed, moment):
    assert forwarded_date(printed) == moment


@pytest.mark.parametrize("printed", ["", "hier", "32 mars 2026", "5 brumaire 2026"])
def test_an_illegible_date_is_none(printed):
    assert forwarded_date(printed) is None


def test_forward_prefixes_in_french_english_and_german():
    assert all(is_forward(s) for s in ("TR: x", "Fwd: x", "FW : x", "WG: x", "RE: TR: x"[4:]))
    assert not any(is_forward(s) for s in ("Réclamation", "RE: x", "Transfert de formation"))
