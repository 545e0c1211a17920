"""The triage inbox's decisions as services: a forward registered by a person."""

from datetime import UTC, datetime

import pytest

from reclamations.complaints.enums import DocumentRole, EventType, Kind
from reclamations.complaints.models import Complaint
from reclamations.intake.models import IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_register

from .conftest import AFTER_THE_CORPUS, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]

FORWARD = "forward-apple-mail-fr-html-only.eml"  # "TR : Problème avec la formation", HTML only
ORIGINAL_TEXT = (
    "Bonjour,\n\nLe formateur n\u2019est pas venu le 10 mars et personne ne nous a prévenus."
    "\n\nMarc Petit"
)


def waiting_forward(organisation):
    result = intake_process(
        organisation=organisation, raw=eml(FORWARD), arrived_at=None, source=IntakeSource.EML
    )
    assert result.outcome == IntakeOutcome.TRIAGE  # no "réclamation" in its subject
    assert result.inbound is not None
    return result.inbound


def test_a_forward_registered_from_triage_is_the_clients_received_when_they_wrote(
    organisation, referent
):
    inbound = waiting_forward(organisation)

    complaint = triage_register(
        inbound=inbound,
        actor=referent,
        # What the page's form proposes for a forward (web.views.triage), confirmed as it is.
        details={
            "kind": Kind.COMPLAINT,
            "client_name": "Marc Petit",
            "client_email": "marc.petit@example.fr",
            "description": ORIGINAL_TEXT,
        },
    )

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.client_name, complaint.client_email) == (
        "Marc Petit",
        "marc.petit@example.fr",
    )
    assert complaint.received_at == datetime(2026, 3, 11, 20, 17, tzinfo=UTC)  # 21:17 in Paris
    assert complaint.description == ORIGINAL_TEXT
    registration = complaint.events.get(event_type=EventType.REGISTERED)
    assert registration.data["reception_witness"] == (
        "e-mail du client transféré par Léa Garnier <l.garnier@ccs-legal.fr> "
        "(arrivé dans la boîte des réclamations le 12/03/2026 à 07:40 UTC)"
    )
    original = complaint.documents.get(role=DocumentRole.ORIGINAL)
    with original.file.open("rb") as stream:
        assert stream.read() == eml(FORWARD)  # the forward kept whole
    inbound.refresh_from_db()
    assert inbound.outcome == IntakeOutcome.REGISTERED_FROM_TRIAGE


def test_what_the_person_corrects_wins_over_the_forward(organisation, referent):
    inbound = waiting_forward(organisation)

    complaint = triage_register(
        inbound=inbound,
        actor=referent,
        details={
            "kind": Kind.COMPLAINT,
            "client_name": "Marc Petit (société Petit BTP)",
            "client_email": "contact@petit-btp.example.fr",
            "description": "Formateur absent le 10 mars.",
        },
    )

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.client_name, complaint.client_email, complaint.description) == (
        "Marc Petit (société Petit BTP)",
        "contact@petit-btp.example.fr",
        "Formateur absent le 10 mars.",
    )
    assert complaint.received_at == datetime(2026, 3, 11, 20, 17, tzinfo=UTC)


def test_a_forward_registered_without_details_takes_the_originals(organisation, referent):
    # The API or any other caller that gives only the kind.
    complaint = triage_register(
        inbound=waiting_forward(organisation), actor=referent, details={"kind": Kind.COMPLAINT}
    )

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.client_name, complaint.client_email, complaint.description) == (
        "Marc Petit",
        "marc.petit@example.fr",
        ORIGINAL_TEXT,
    )
