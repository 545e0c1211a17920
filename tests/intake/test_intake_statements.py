"""The SQL statements one message costs, pinned: most of an import's time is spent building and
running them (bench/README.md, import-eml), so a new one must be a decision, not a drift."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.intake.models import IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]

_TABLE = re.compile(r'(?:INTO|UPDATE|FROM)\s+"?(\w+)', re.IGNORECASE)


def statement(sql: str) -> str:
    """A statement as its verb and first table ("INSERT complaints_complaint"), or its verb
    alone (SAVEPOINT)."""
    verb = sql.split()[0].upper()
    table = _TABLE.search(sql)
    return f"{verb} {table.group(1)}" if table and verb != "RELEASE" else verb


def statements_of(organisation, name: str) -> tuple[str, list[str]]:
    """The outcome of processing the fixture `name`, and the SQL statements it ran."""
    with CaptureQueriesContext(connection) as captured:
        result = intake_process(
            organisation=organisation, raw=eml(name), arrived_at=None, source=IntakeSource.EML
        )
    return result.outcome, [statement(query["sql"]) for query in captured.captured_queries]


def test_an_ordinary_complaint_message_costs_twenty_four_statements(organisation):
    # The year's reference counter and the chain head exist once a first complaint is in.
    statements_of(organisation, "plain-utf8-reclamation.eml")

    outcome, statements = statements_of(organisation, "iso-8859-1-8bit-reclamation.eml")

    assert outcome == IntakeOutcome.CREATED
    assert statements == [
        "SELECT intake_inboundemail",  # registered before? (same Message-ID and content)
        "SELECT intake_inboundemail",  # its Message-ID reused by another message?
        "SAVEPOINT",  # the message's transaction (BEGIN outside a test)
        "INSERT intake_inboundemail",
        "SAVEPOINT",  # the registration, undone alone when the register refuses the message
        "SAVEPOINT",  # complaint_register's own transaction
        "UPDATE complaints_referencecounter",
        "SELECT core_procedureversion",
        "INSERT complaints_complaint",
        "INSERT complaints_document",  # the raw message, kept as the original
        "SELECT outbox_messagetemplate",  # the organisation's wording of the acknowledgement
        "INSERT complaints_clientaccesslink",
        "INSERT outbox_outgoingmessage",
        "INSERT complaints_complaintmessage",
        "UPDATE complaints_chainhead",
        "INSERT complaints_complaintevent",
        "UPDATE complaints_chainhead",
        "INSERT complaints_search",
        "INSERT complaints_statistics_count",
        "INSERT complaints_counted",
        "RELEASE",
        "RELEASE",
        "UPDATE intake_inboundemail",  # its outcome, complaint and original
        "RELEASE",  # COMMIT outside a test
    ]
