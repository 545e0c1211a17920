"""`verify_all` against the real database: tampering done behind the application's back, with
raw SQL, is found and the broken event named."""

from datetime import timedelta

import pytest
from django.db import connection

from reclamations.complaints.chain import ChainReport, EventContent, event_hash
from reclamations.complaints.models import ChainHead, ComplaintEvent
from reclamations.complaints.services import complaint_apply
from reclamations.core.models import Organisation
from reclamations.reporting.integrity import verify_all, verify_organisation
from tests.clock import at
from tests.factories import make_complaint
from tests.tampering import EVENTS, alter_event

CONTENT_CHANGED = "le contenu ne correspond plus à son empreinte"


@pytest.fixture
def register(clock, organisation, other_organisation, referent, outsider):
    """Six events in our organisation (1 to 6), two in the other one."""
    first = make_complaint(organisation, referent)
    make_complaint(other_organisation, outsider)
    phone = make_complaint(organisation, referent, channel="phone")  # events 2 and 3
    complaint_apply(complaint=first, actor=referent, action="add_note", data={"text": "Vu."})
    complaint_apply(
        complaint=first,
        actor=referent,
        action="reply",
        data={"resolution": "Rattrapage.", "channel": "email", "text": "Réponse."},
    )
    complaint_apply(complaint=phone, actor=None, action="add_note", data={"text": "Rappel."})
    complaint_apply(
        complaint=Organisation.objects.get(pk=other_organisation.pk).complaints.get(),
        actor=outsider,
        action="add_note",
        data={"text": "Note."},
    )
    return organisation


def _event(organisation, sequence: int) -> ComplaintEvent:
    return ComplaintEvent.objects.get(organisation=organisation, sequence=sequence)


def _delete(column: str, value: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE {column} = %s", [value])  # noqa: S608


def _reports() -> dict[str, ChainReport]:
    return {result.organisation.name: result.report for result in verify_all()}


def test_verify_all_on_a_fresh_register_is_ok(register, other_organisation):
    assert _reports() == {
        "CCS": ChainReport(checked=6),
        "Autre organisme": ChainReport(checked=2),
    }


def test_verify_all_without_any_event_is_ok(organisation, other_organisation):
    assert _reports() == {
        "CCS": ChainReport(checked=0),
        "Autre organisme": ChainReport(checked=0),
    }


def test_verify_all_lists_organisations_in_creation_order(register, other_organisation):
    assert [result.organisation for result in verify_all()] == [register, other_organisation]


@pytest.mark.tampered
def test_tampered_event_data_is_named(register, other_organisation):
    target = _event(register, 4)
    alter_event(target, data={**target.data, "text": "Note réécrite après coup."})

    reports = _reports()

    assert reports["CCS"] == ChainReport(
        checked=3, broken_sequence=4, problem=CONTENT_CHANGED, reference="REC-2026-0001"
    )
    assert reports["Autre organisme"] == ChainReport(checked=2)


@pytest.mark.tampered
def test_backdated_event_is_named(register):
    target = _event(register, 5)
    alter_event(target, occurred_on=target.occurred_on - timedelta(days=10))

    assert verify_organisation(register) == ChainReport(
        checked=4, broken_sequence=5, problem=CONTENT_CHANGED, reference="REC-2026-0001"
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_name", "Quelqu'un d'autre"),
        ("status_after", "closed"),
        ("event_type", "closed"),
        ("recorded_at", at(2026, 10, 1)),
    ],
)
@pytest.mark.tampered
def test_any_tampered_column_is_named(register, column, value):
    target = _event(register, 2)
    alter_event(target, **{column: value})

    assert verify_organisation(register) == ChainReport(
        checked=1, broken_sequence=2, problem=CONTENT_CHANGED, reference="REC-2026-0002"
    )


@pytest.mark.tampered
def test_replaced_event_hash_is_named(register):
    target = _event(register, 3)
    alter_event(target, hash="a" * 64)

    assert verify_organisation(register) == ChainReport(
        checked=2, broken_sequence=3, problem=CONTENT_CHANGED, reference="REC-2026-0002"
    )


@pytest.mark.tampered
def test_tampered_event_resealed_without_the_key_is_named(register):
    # A plain SHA-256 of the new content: the event still says it was sealed by the key.
    target = _event(register, 3)
    content = EventContent(
        sequence=3,
        organisation_id=register.pk,
        complaint_reference=target.complaint.reference,
        event_type=target.event_type,
        actor_name="Quelqu'un d'autre",
        occurred_on=target.occurred_on.isoformat(),
        recorded_at=target.recorded_at.isoformat(),
        status_before=target.status_before,
        status_after=target.status_after,
        data=target.data,
        document_sha256="",
    )
    resealed = event_hash(content, target.previous_hash)
    alter_event(target, actor_name="Quelqu'un d'autre", hash=resealed)

    assert verify_organisation(register) == ChainReport(
        checked=2, broken_sequence=3, problem=CONTENT_CHANGED, reference="REC-2026-0002"
    )


@pytest.mark.tampered
def test_deleted_last_event_is_detected_through_the_chain_head(register):
    _delete("id", _event(register, 6).pk)

    reports = _reports()

    assert reports["CCS"] == ChainReport(
        checked=5,
        broken_sequence=6,
        problem=(
            "la chaîne s'arrête à 5 événements alors que 6 ont été enregistrés : "
            "des événements ont été supprimés"
        ),
    )
    assert reports["Autre organisme"] == ChainReport(checked=2)


@pytest.mark.tampered
def test_deleted_middle_event_is_named_by_the_gap(register):
    _delete("id", _event(register, 3).pk)

    assert verify_organisation(register) == ChainReport(
        checked=2, broken_sequence=4, problem="séquence 4 au lieu de 3", reference="REC-2026-0001"
    )


@pytest.mark.tampered
def test_deleted_every_event_is_detected_through_the_chain_head(register):
    _delete("organisation_id", register.pk)

    report = verify_organisation(register)

    assert (report.ok, report.checked, report.broken_sequence) == (False, 0, 1)


@pytest.mark.tampered
def test_chain_head_moved_back_with_the_last_event_deleted_needs_a_witnessed_head(register):
    # The chain alone cannot tell a cut tail whose head was moved back with it: a head kept
    # outside the database can (tests/reporting/test_chain_trust.py).
    _delete("id", _event(register, 6).pk)
    ChainHead.objects.filter(organisation=register).update(
        last_sequence=5, last_hash=_event(register, 5).hash
    )

    assert verify_organisation(register) == ChainReport(checked=5)


@pytest.mark.tampered
def test_chain_head_hash_replaced_is_named(register):
    ChainHead.objects.filter(organisation=register).update(last_hash="b" * 64)

    assert verify_organisation(register) == ChainReport(
        checked=6,
        broken_sequence=6,
        problem="la tête de la chaîne ne porte plus l'empreinte du dernier événement",
    )


def test_verify_after_more_events_is_still_ok(register, referent):
    complaint = register.complaints.order_by("id").first()
    complaint_apply(
        complaint=complaint, actor=referent, action="close", data={"outcome": "granted"}
    )

    assert verify_organisation(register) == ChainReport(checked=7)
