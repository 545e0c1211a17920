"""Every operation of /api/v1/openapi.json fuzzed by schemathesis, in-process, against the real
database: requests the document allows and requests it forbids, as a referent with a valid
token. No answer is a 5xx; every answer has a status, a content type and a body the document
declares; a request the document forbids is refused; the register the requests leave verifies
(tests/harness/register_check.py).

Bounded to run in the suite on both databases: a fixed number of examples per operation,
derandomized, so that a run is the same run every time. `FUZZ_EXAMPLES=200 scripts/test.sh
tests/api/test_schema_fuzzing.py` fuzzes longer, and `FUZZ_RANDOM=1` with new data each run.
The references and document ids the generator cannot guess are drawn from a register seeded
before each operation, beside the ones it generates.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.models import Document
from reclamations.core.users import token_create
from tests.factories import complaint_in_state, make_complaint
from tests.web.helpers import PDF

from .helpers import FRIDAY_NOON

pytestmark = pytest.mark.clock(FRIDAY_NOON)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # A request the document allows may still be refused by a rule it cannot express (a
            # reception before today needs a backdating reason, an action must fit the
            # complaint's state...): refusing it is no fault, so this check cannot apply here.
            "positive_data_acceptance": {"enabled": False},
            # The statuses this API refuses a request with (docs/api.md), 414 included: a
            # request the document forbids may be refused for its length before its content. A
            # 5xx is reported by the check of server errors.
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "409", "413", "414", "5xx"]
            },
        }
    }
)
# Only the document is read here (no database): the operations are known at collection, so that
# each is its own test, spread over the workers.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)


@dataclass
class Seeded:
    """What the fixture put in the register for the current test."""

    token: str = ""
    complaints: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    documents: list[int] = field(default_factory=list)


SEEDED = Seeded()


@schema.auth(refresh_interval=None)
class SeededToken:
    """The seeded referent's token; schemathesis leaves it out of the requests it generates
    without one (the negative cases of the Authorization header)."""

    def get(self, case: Any, context: Any) -> str:
        return SEEDED.token

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Requests go through Django's WSGI handler, not its test client: like the test client,
    keep the handler from closing the connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(clock, organisation, referent, same_connection) -> Seeded:
    complaints = [
        complaint_in_state(organisation, referent, state)
        for state in ("in_progress", "awaiting_information", "replied", "closed")
    ]
    # A letter and its scan: a document to list and download.
    complaints.append(
        make_complaint(
            organisation, referent, channel="letter", original=ContentFile(PDF, name="scan.pdf")
        )
    )
    improvement = improvement_create(
        organisation=organisation,
        actor=referent,
        new=NewImprovement(
            title="Confirmer les salles par écrit",
            description="Réservation confirmée la veille.",
            complaints=[complaints[-1].reference],
            due_date=FRIDAY_NOON.date(),
        ),
    )
    SEEDED.token = token_create(user=referent)
    SEEDED.complaints = [complaint.reference for complaint in complaints]
    SEEDED.improvements = [improvement.reference]
    SEEDED.documents = list(
        Document.objects.filter(complaint__organisation=organisation).values_list("pk", flat=True)
    )
    assert SEEDED.documents, "nothing to download: the fuzzing would not reach a document"
    return SEEDED


def _known(name: str, path: str) -> list[Any]:
    if name == "reference":
        return SEEDED.improvements if "improvement" in path else SEEDED.complaints
    if name == "document_id":
        return SEEDED.documents
    return []


def _with_seeded_path(case: Any, data: st.DataObject) -> None:
    """Half the time, a path parameter names what the register holds rather than what the
    generator made up; never in a case whose path is meant to be invalid."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return
    for name in list(case.path_parameters or {}):
        known = _known(name, case.operation.path)
        if known and data.draw(st.booleans(), label=f"seeded {name}"):
            case.path_parameters[name] = data.draw(st.sampled_from(known), label=name)


@schema.given(data=st.data())
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") is None,
    database=None,
    # The seeded register is made once per operation, and grows with the requests: on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_document_says(case, data, seeded):
    _with_seeded_path(case, data)
    case.call_and_validate()
