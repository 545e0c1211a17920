"""The dates registers write, read day first; a day that does not exist is unreadable."""

from datetime import date, datetime, time

import pytest

from reclamations.register_import.dates import ReadDate, read_date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("14/03/2024", ReadDate(date(2024, 3, 14))),
        ("4/3/2024", ReadDate(date(2024, 3, 4))),
        ("14/03/24", ReadDate(date(2024, 3, 14))),
        ("14.03.2024", ReadDate(date(2024, 3, 14))),
        ("14-03-2024", ReadDate(date(2024, 3, 14))),
        ("2024-03-14", ReadDate(date(2024, 3, 14))),
        ("2024-03-14 16:05:00", ReadDate(date(2024, 3, 14), time(16, 5))),
        ("14/03/2024 9h30", ReadDate(date(2024, 3, 14), time(9, 30))),
        ("12 mars 2024", ReadDate(date(2024, 3, 12))),
        ("1er Février 2024", ReadDate(date(2024, 2, 1))),
        ("jeudi 14 mars 2024 à 10h15", ReadDate(date(2024, 3, 14), time(10, 15))),
        ("3 déc. 2023", ReadDate(date(2023, 12, 3))),
        ("  14 AOÛT 2023 ", ReadDate(date(2023, 8, 14))),
        ("45366", ReadDate(date(2024, 3, 15))),
        (45366, ReadDate(date(2024, 3, 15))),
        (45366.75, ReadDate(date(2024, 3, 15), time(18, 0))),
        (datetime(2024, 3, 14), ReadDate(date(2024, 3, 14))),
        (datetime(2024, 3, 14, 8, 45, 12), ReadDate(date(2024, 3, 14), time(8, 45))),
        (date(2024, 3, 14), ReadDate(date(2024, 3, 14))),
    ],
)
def test_a_date_written_as_registers_write_it_is_read(cell, expected):
    assert read_date(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "31/02/2023",
        "29/02/2023",
        "14/13/2024",
        "12 brumaire 2024",
        "2024",
        12,
        True,
        "14/03/2024 25h00",
        "demain",
        "",
        None,
        "03/14/2024",
    ],
)
def test_what_is_no_date_is_unreadable_never_moved(cell):
    assert read_date(cell) is None
