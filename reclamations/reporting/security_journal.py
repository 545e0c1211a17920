"""The security journal as CSV, as the register's: the mark, ";", formulas defused (a typed
login name or a browser's header may start with "=")."""

from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

from reclamations.core.models import SecurityRecord
from reclamations.reporting.spreadsheets import table_csv_lines

COLUMNS = (
    ("Le", 20),
    ("Événement", 30),
    ("Compte", 20),
    ("Par", 20),
    ("Adresse IP", 20),
    ("Page", 40),
    ("Navigateur", 40),
    ("Précision", 30),
)


def security_journal_lines(records: Iterable[SecurityRecord], zone: ZoneInfo) -> Iterator[str]:
    """CSV lines, moments in the organisation's time to the second."""
    return table_csv_lines(
        COLUMNS,
        (
            (
                f"{record.at.astimezone(zone):%d/%m/%Y %H:%M:%S}",
                record.get_kind_display(),
                record.username,
                record.actor.username if record.actor is not None else "",
                record.address or "",
                record.path,
                record.user_agent,
                record.detail,
            )
            for record in records
        ),
    )
