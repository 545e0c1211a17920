"""The register the export tests read: two complaints, one late, replied and closed with two
actions, one still open (received by phone)."""

import pytest

from reclamations.complaints.services import complaint_apply
from tests.clock import at
from tests.factories import make_complaint


@pytest.fixture
def replied_register(clock, organisation, referent):
    """Two complaints: one replied late then closed, with two actions; one still open."""
    clock.move_to(at(2026, 10, 1, 10))
    late = make_complaint(
        organisation,
        referent,
        funding="cpf",
        training="Excel avancé",
        session="Session d'octobre, Nice",
        trainer="Paul Roux",
        funder="Caisse des dépôts",
    )
    for text, by in (("Appel du formateur.", "Paul"), ("Séance de rattrapage fixée.", "")):
        complaint_apply(
            complaint=late,
            actor=referent,
            action="add_action",
            data={"description": text, "done_by": by},
        )
    clock.move_to(at(2026, 10, 20, 10))
    complaint_apply(
        complaint=late,
        actor=referent,
        action="reply",
        data={"channel": "letter", "resolution": "Séance offerte.", "text": "Une séance offerte."},
    )
    complaint_apply(complaint=late, actor=referent, action="close", data={"outcome": "granted"})
    complaint_apply(
        complaint=late,
        actor=referent,
        action="analyse_cause",
        data={
            "cause": "Planning, convocation ou changement de dernière minute",
            "cause_analysis": "Salle réservée deux fois.",
        },
    )
    clock.move_to(at(2026, 11, 2, 10))
    make_complaint(
        organisation, referent, channel="phone", client_name="Paul Durand", client_account=""
    )
