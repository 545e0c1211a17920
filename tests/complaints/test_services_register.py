"""Registering a complaint (`complaint_register`): reference, status, due date, first events."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.enums import Channel, EventType, Kind, Outcome, Status
from reclamations.complaints.models import (
    ChainHead,
    Complaint,
    ComplaintEvent,
    Document,
    ReferenceCounter,
)
from reclamations.complaints.services import (
    NewComplaint,
    ReceivedEmail,
    complaint_apply,
    complaint_register,
)
from reclamations.core.models import Organisation
from reclamations.reporting.integrity import verify_organisation
from tests.clock import NOW, at

BACKDATING_MESSAGE = (
    "La réception est antérieure à aujourd'hui : indiquez pourquoi elle est enregistrée "
    "maintenant (ce motif est conservé dans la chronologie)."
)


def _new(**fields) -> NewComplaint:
    values = {
        "channel": Channel.EMAIL,
        "received_at": NOW - timedelta(hours=1),
        "client_name": "Julie Martin",
        "client_account": "CLI-2026-118",
        "description": "Trois séances annulées sans préavis.",
        **fields,
    }
    return NewComplaint(**values)


def _events(complaint: Complaint) -> list[ComplaintEvent]:
    return list(ComplaintEvent.objects.filter(complaint=complaint).order_by("sequence"))


def _errors(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return raised.value.message_dict


def _assert_nothing_written() -> None:
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    assert Document.objects.count() == 0
    assert ReferenceCounter.objects.count() == 0
    assert ChainHead.objects.count() == 0


# --- channels and the first event ------------------------------------------------------------


@pytest.mark.parametrize(
    "channel", [Channel.LETTER, Channel.EMAIL, Channel.WEB, Channel.API], ids=str
)
def test_register_written_channel_starts_treatment_with_one_event(
    clock, organisation, referent, channel
):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(channel=channel)
    )

    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.reference == "REC-2026-0001"
    assert stored.channel == channel
    assert stored.status == Status.IN_PROGRESS
    assert stored.received_at == NOW - timedelta(hours=1)
    assert stored.received_on == date(2026, 11, 2)
    assert stored.clock_started_on == date(2026, 11, 2)
    assert stored.due_date == date(2026, 11, 14)
    assert stored.confirmation_pending is False
    assert stored.registered_by == referent
    assert stored.procedure_version == "CCS procédure réclamations v1"
    assert stored.kind == Kind.COMPLAINT
    assert stored.outcome == ""
    [event] = _events(complaint)
    assert event.sequence == 1
    assert event.event_type == EventType.REGISTERED
    assert event.actor == referent
    assert event.actor_name == "Referente"
    assert event.occurred_on == date(2026, 11, 2)
    assert event.status_before == ""
    assert event.status_after == Status.IN_PROGRESS
    assert event.document is None
    assert event.data == {
        "channel": str(channel),
        "received_at": "2026-11-02T09:00:00+01:00",
        "due_date": "2026-11-14",
        "fields": {
            "client_name": "Julie Martin",
            "client_account": "CLI-2026-118",
            "client_type": "",
            "funding": "",
            "client_email": "",
            "client_phone": "",
            "client_address": "",
            "training": "",
            "session": "",
            "trainer": "",
            "funder": "",
            "description": "Trois séances annulées sans préavis.",
            "remedy_sought": "",
            "kind": "complaint",
            "not_admissible_reason": "",
            "category": "",
            "severity": "medium",
        },
        # Written channels other than a letter are acknowledged by e-mail: no address here.
        **({} if channel == Channel.LETTER else {"email": "aucune adresse"}),
    }


def test_register_phone_awaits_written_confirmation_with_clock_from_the_call(
    clock, organisation, referent
):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(
            channel=Channel.PHONE,
            received_at=NOW - timedelta(minutes=20),
            confirmation_requested_via="letter",
        ),
    )

    assert complaint.status == Status.AWAITING_CONFIRMATION
    assert complaint.confirmation_pending is True
    assert complaint.clock_started_on == date(2026, 11, 2)
    assert complaint.due_date == date(2026, 11, 14)
    registered, requested = _events(complaint)
    assert (registered.sequence, registered.event_type) == (1, EventType.REGISTERED)
    assert (registered.status_before, registered.status_after) == (
        "",
        Status.AWAITING_CONFIRMATION,
    )
    assert registered.data["due_date"] == "2026-11-14"
    assert (requested.sequence, requested.event_type) == (2, EventType.CONFIRMATION_REQUESTED)
    assert requested.occurred_on == date(2026, 11, 2)
    assert (requested.status_before, requested.status_after) == (
        Status.AWAITING_CONFIRMATION,
        Status.AWAITING_CONFIRMATION,
    )
    assert requested.data["sent_via"] == "letter"
    assert requested.data["letter"].startswith("non imprimée. Pour imprimer la lettre, il manque")
    assert requested.previous_hash == registered.hash


def test_register_phone_incomplete_still_awaits_confirmation_first(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(channel=Channel.PHONE, client_account=""),
    )

    assert complaint.status == Status.AWAITING_CONFIRMATION
    assert _events(complaint)[0].data["missing"] == ["compte client"]


def test_register_phone_refuses_an_unknown_confirmation_channel(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation,
            actor=referent,
            complaint=_new(channel=Channel.PHONE, confirmation_requested_via="fax"),
        )

    assert _errors(raised) == {
        "confirmation_requested_via": ["Indiquez comment la confirmation est demandée."]
    }
    _assert_nothing_written()


def test_register_phone_with_clock_at_confirmation_has_no_due_date_until_confirmed(
    clock, organisation, referent
):
    organisation.phone_clock = "confirmation"
    organisation.save()
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(channel=Channel.PHONE)
    )

    assert complaint.status == Status.AWAITING_CONFIRMATION
    assert complaint.clock_started_on is None
    assert complaint.due_date is None
    assert _events(complaint)[0].data["due_date"] is None

    clock.move_to(at(2026, 11, 5, 15))
    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_confirmation",
        data={"received_on": "2026-11-05", "summary": "E-mail du client reçu."},
    )

    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.confirmation_pending is False
    assert complaint.clock_started_on == date(2026, 11, 5)
    assert complaint.due_date == date(2026, 11, 18)
    assert event.event_type == EventType.CONFIRMATION_RECEIVED
    assert event.occurred_on == date(2026, 11, 5)
    assert event.data == {
        "via": "email",
        "summary": "E-mail du client reçu.",
        "changes": {
            "confirmation_pending": False,
            "clock_started_on": "2026-11-05",
            "due_date": "2026-11-18",
        },
    }


def test_register_phone_with_clock_at_call_keeps_due_date_on_confirmation(
    clock, organisation, referent
):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(channel=Channel.PHONE)
    )
    clock.move_to(at(2026, 11, 5, 15))

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_confirmation",
        data={"received_on": "2026-11-05"},
    )

    complaint.refresh_from_db()
    assert complaint.clock_started_on == date(2026, 11, 2)
    assert complaint.due_date == date(2026, 11, 14)


def test_register_with_clock_at_confirmation_leaves_written_channels_alone(
    clock, organisation, referent
):
    organisation.phone_clock = "confirmation"
    organisation.save()

    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(channel=Channel.LETTER)
    )

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.due_date == date(2026, 11, 14)


# --- references -----------------------------------------------------------------------------


def test_register_gives_sequential_references_per_organisation(
    clock, organisation, other_organisation, referent
):
    first = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    second = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    elsewhere = complaint_register(organisation=other_organisation, actor=None, complaint=_new())
    third = complaint_register(organisation=organisation, actor=referent, complaint=_new())

    assert [first.reference, second.reference, third.reference] == [
        "REC-2026-0001",
        "REC-2026-0002",
        "REC-2026-0003",
    ]
    assert elsewhere.reference == "AUT-2026-0001"


@pytest.mark.tampered
def test_register_reference_is_never_reused_after_a_complaint_disappears(
    clock, organisation, referent
):
    complaint_register(organisation=organisation, actor=referent, complaint=_new())
    second = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    ComplaintEvent.objects.filter(complaint=second).delete()
    Complaint.objects.filter(pk=second.pk).delete()

    following = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    assert following.reference == "REC-2026-0003"


def test_register_refused_consumes_no_number(clock, organisation, referent):
    complaint_register(organisation=organisation, actor=referent, complaint=_new())
    with pytest.raises(ValidationError):
        complaint_register(organisation=organisation, actor=referent, complaint=_new(channel="fax"))

    following = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    assert following.reference == "REC-2026-0002"


def test_register_numbers_restart_each_year_from_the_local_registration_date(
    clock, organisation, referent
):
    clock.move_to(at(2026, 12, 31, 23, 30))
    complaint_register(
        organisation=organisation, actor=referent, complaint=_new(received_at=at(2026, 12, 31, 23))
    )
    last_of_2026 = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(received_at=at(2026, 12, 31, 23, 10)),
    )
    # 00:30 in Paris is still 31 December in UTC: the organisation's year decides.
    clock.move_to(at(2027, 1, 1, 0, 30))
    first_of_2027 = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(received_at=at(2027, 1, 1, 0, 20))
    )
    second_of_2027 = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(received_at=at(2027, 1, 1, 0, 25))
    )

    assert last_of_2026.reference == "REC-2026-0002"
    assert first_of_2027.reference == "REC-2027-0001"
    assert second_of_2027.reference == "REC-2027-0002"
    assert first_of_2027.received_on == date(2027, 1, 1)
    assert first_of_2027.due_date == date(2027, 1, 13)


def test_register_year_of_reference_is_the_registration_year_not_the_reception_year(
    clock, organisation, referent
):
    clock.move_to(at(2027, 1, 4))
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(
            received_at=at(2026, 12, 31, 16),
            backdating_reason="Courrier ouvert à la réouverture du bureau.",
        ),
    )

    assert complaint.reference == "REC-2027-0001"
    assert complaint.received_on == date(2026, 12, 31)
    assert complaint.due_date == date(2027, 1, 13)


# --- completeness ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("client_name", "nom du client"),
        ("client_account", "compte client"),
        ("description", "description"),
    ],
)
def test_register_without_a_procedure_field_is_incomplete(
    clock, organisation, referent, field, label
):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(**{field: "   "})
    )

    assert complaint.status == Status.INCOMPLETE
    assert complaint.due_date == date(2026, 11, 14)
    [event] = _events(complaint)
    assert event.status_after == Status.INCOMPLETE
    assert event.data["missing"] == [label]
    assert event.data["fields"][field] == ""


def test_register_lists_every_missing_field_in_the_procedure_order(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(client_name="", client_account="", description=""),
    )

    assert complaint.status == Status.INCOMPLETE
    assert complaint.missing_fields == ["nom du client", "compte client", "description"]
    assert _events(complaint)[0].data["missing"] == [
        "nom du client",
        "compte client",
        "description",
    ]


def test_register_complete_event_has_no_missing_list(clock, organisation, referent):
    complaint = complaint_register(organisation=organisation, actor=referent, complaint=_new())

    assert "missing" not in _events(complaint)[0].data


def test_register_strips_surrounding_spaces(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(client_name="  Julie Martin \n")
    )

    assert complaint.client_name == "Julie Martin"


# --- reception date -------------------------------------------------------------------------


def test_register_backdated_without_reason_is_refused(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation,
            actor=referent,
            complaint=_new(received_at=at(2026, 10, 30, 16)),
        )

    assert _errors(raised) == {"backdating_reason": [BACKDATING_MESSAGE]}
    _assert_nothing_written()


def test_register_backdated_with_reason_counts_from_the_real_reception(
    clock, organisation, referent
):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(
            received_at=at(2026, 10, 30, 16),
            backdating_reason="  Courrier reçu vendredi, saisi lundi.  ",
        ),
    )

    assert complaint.received_on == date(2026, 10, 30)
    assert complaint.backdating_reason == "Courrier reçu vendredi, saisi lundi."
    assert complaint.due_date == date(2026, 11, 12)
    [event] = _events(complaint)
    assert event.occurred_on == date(2026, 10, 30)
    assert event.recorded_at == NOW
    assert event.data["backdating_reason"] == "Courrier reçu vendredi, saisi lundi."
    assert event.data["received_at"] == "2026-10-30T16:00:00+01:00"


def test_register_earlier_today_needs_no_reason(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(received_at=at(2026, 11, 2, 0, 5))
    )

    assert complaint.received_on == date(2026, 11, 2)
    assert "backdating_reason" not in _events(complaint)[0].data


def test_register_reception_date_is_taken_in_the_organisation_time_zone(
    clock, organisation, referent
):
    # 23:30 UTC on 1 November is already 2 November in Paris: not a back-dating.
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(received_at=datetime(2026, 11, 1, 23, 30, tzinfo=ZoneInfo("UTC"))),
    )

    assert complaint.received_on == date(2026, 11, 2)
    assert complaint.due_date == date(2026, 11, 14)


def test_register_future_reception_is_refused(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation,
            actor=referent,
            complaint=_new(received_at=NOW + timedelta(minutes=10), backdating_reason="sans objet"),
        )

    assert _errors(raised) == {
        "received_at": ["La date de réception est dans le futur : corrigez-la."]
    }
    _assert_nothing_written()


def test_register_tolerates_a_few_minutes_of_clock_skew(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(received_at=NOW + timedelta(minutes=4)),
    )

    assert complaint.received_at == NOW + timedelta(minutes=4)


def test_register_naive_reception_is_refused(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation,
            actor=referent,
            complaint=_new(received_at=datetime(2026, 11, 2, 9, 0)),
        )

    assert _errors(raised) == {
        "received_at": ["La date de réception doit préciser son fuseau horaire."]
    }
    _assert_nothing_written()


def test_register_without_reception_is_refused(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation, actor=referent, complaint=_new(received_at=None)
        )

    assert _errors(raised) == {"received_at": ["Indiquez la date et l'heure de réception."]}
    _assert_nothing_written()


# --- kind, client type, validation ----------------------------------------------------------


def test_register_not_admissible_without_reason_is_refused(clock, organisation, referent):
    with pytest.raises(ValidationError) as raised:
        complaint_register(
            organisation=organisation, actor=referent, complaint=_new(kind=Kind.NOT_ADMISSIBLE)
        )

    assert _errors(raised) == {
        "not_admissible_reason": [
            "Indiquez pourquoi la demande n'est pas une réclamation recevable."
        ]
    }
    _assert_nothing_written()


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE], ids=str)
def test_register_not_admissible_is_recorded_closed(clock, organisation, referent, channel):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(
            channel=channel,
            kind=Kind.NOT_ADMISSIBLE,
            not_admissible_reason="Simple demande de dates de session.",
        ),
    )

    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.status == Status.CLOSED
    assert stored.kind == Kind.NOT_ADMISSIBLE
    assert stored.outcome == Outcome.NOT_ADMISSIBLE
    assert stored.not_admissible_reason == "Simple demande de dates de session."
    assert stored.closed_on == date(2026, 11, 2)
    assert stored.confirmation_pending is False
    [event] = _events(complaint)
    assert event.event_type == EventType.REGISTERED
    assert event.status_after == Status.CLOSED
    assert event.data["fields"]["kind"] == "not_admissible"


@pytest.mark.parametrize(
    "kind", [Kind.COMPLAINT, Kind.DIFFICULTY, Kind.INCIDENT], ids=lambda k: str(k)
)
def test_register_admissible_kinds_are_treated(clock, organisation, referent, kind):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(kind=kind)
    )

    assert complaint.kind == kind
    assert complaint.status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("funding", "client_type"),
    [
        ("self_funded", "consumer"),
        ("cpf", "consumer"),
        ("france_travail", "consumer"),
        ("company", "professional"),
        ("opco", "professional"),
        ("other", ""),
        ("", ""),
    ],
)
def test_register_derives_client_type_from_funding(
    clock, organisation, referent, funding, client_type
):
    complaint = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(funding=funding)
    )

    assert complaint.client_type == client_type
    assert _events(complaint)[0].data["fields"]["client_type"] == client_type


def test_register_given_client_type_wins_over_funding(clock, organisation, referent):
    complaint = complaint_register(
        organisation=organisation,
        actor=referent,
        complaint=_new(funding="company", client_type="consumer"),
    )

    assert complaint.client_type == "consumer"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"channel": "fax"},
            {"channel": ["Canal inconnu. Valeurs admises : letter, email, phone, web, api."]},
        ),
        (
            {"client_email": "julie.martin"},
            {
                "client_email": [
                    "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
                ]
            },
        ),
        (
            {"category": "weather"},
            {
                "category": [
                    "Valeur « weather » inconnue. Valeurs admises : pedagogy, trainer, "
                    "organisation, administrative, accessibility, certification, digital, other."
                ]
            },
        ),
        (
            {"funding": "lottery"},
            {
                "funding": [
                    "Valeur « lottery » inconnue. Valeurs admises : self_funded, cpf, company, "
                    "opco, france_travail, other."
                ]
            },
        ),
        (
            {"severity": ""},
            {"severity": ["Champ obligatoire. Valeurs admises : low, medium, high, critical."]},
        ),
        ({"client_name": "x" * 201}, {"client_name": ["200 caractères au plus."]}),
        ({"client_phone": "0" * 41}, {"client_phone": ["40 caractères au plus."]}),
        (
            {"channel": "fax", "client_email": "@", "training": "t" * 301},
            {
                "channel": ["Canal inconnu. Valeurs admises : letter, email, phone, web, api."],
                "client_email": [
                    "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
                ],
                "training": ["300 caractères au plus."],
            },
        ),
    ],
    ids=[
        "channel",
        "email",
        "category",
        "funding",
        "severity",
        "name",
        "phone",
        "several",
    ],
)
def test_register_refuses_invalid_fields_with_french_messages(
    clock, organisation, referent, fields, errors
):
    with pytest.raises(ValidationError) as raised:
        complaint_register(organisation=organisation, actor=referent, complaint=_new(**fields))

    assert _errors(raised) == errors
    _assert_nothing_written()


def test_register_records_the_email_that_brought_the_complaint(clock, organisation, referent):
    email = ReceivedEmail(
        "<abc@example.org>",
        "Réclamation formation",
        "Julie Martin <julie@example.org>",
        attachments=("devis.pdf : conservée comme document",),
    )

    complaint = complaint_register(
        organisation=organisation, actor=None, complaint=_new(client_email="", email=email)
    )

    [event] = _events(complaint)
    assert {key: event.data[key] for key in ("message_id", "subject", "sender", "attachments")} == {
        "message_id": "<abc@example.org>",
        "subject": "Réclamation formation",
        "sender": "Julie Martin <julie@example.org>",
        "attachments": ["devis.pdf : conservée comme document"],
    }
    assert "triage" not in event.data
    assert event.actor is None
    assert event.actor_name == "Système"
    assert complaint.registered_by is None


def test_a_reception_attested_by_the_mailbox_needs_no_backdating_reason(
    clock, organisation, referent
):
    complaint = complaint_register(
        organisation=organisation,
        actor=None,
        complaint=_new(
            received_at=NOW - timedelta(days=3),
            reception_witness="relevé de la boîte des réclamations",
        ),
    )

    [event] = _events(complaint)
    assert complaint.backdating_reason == ""
    assert event.data["reception_witness"] == "relevé de la boîte des réclamations"
    assert "backdating_reason" not in event.data


# --- the chronology -------------------------------------------------------------------------


def test_register_chains_events_across_complaints_of_one_organisation(
    clock, organisation, other_organisation, referent
):
    first = complaint_register(organisation=organisation, actor=referent, complaint=_new())
    complaint_register(organisation=other_organisation, actor=None, complaint=_new())
    phone = complaint_register(
        organisation=organisation, actor=referent, complaint=_new(channel=Channel.PHONE)
    )

    events = list(ComplaintEvent.objects.filter(organisation=organisation).order_by("sequence"))
    assert [(e.sequence, e.complaint_id, e.event_type) for e in events] == [
        (1, first.pk, EventType.REGISTERED),
        (2, phone.pk, EventType.REGISTERED),
        (3, phone.pk, EventType.CONFIRMATION_REQUESTED),
    ]
    assert events[0].previous_hash == "0" * 64
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    head = ChainHead.objects.get(organisation=organisation)
    assert (head.last_sequence, head.last_hash) == (3, events[2].hash)
    other_head = ChainHead.objects.get(organisation=other_organisation)
    assert other_head.last_sequence == 1
    assert verify_organisation(organisation).checked == 3
    assert verify_organisation(organisation).ok is True


def test_register_for_a_fresh_organisation_starts_its_own_chain(clock, db):
    organisation = Organisation.objects.create(name="Nouvel organisme")

    complaint = complaint_register(organisation=organisation, actor=None, complaint=_new())

    [event] = _events(complaint)
    assert (event.sequence, event.previous_hash) == (1, "0" * 64)
    assert complaint.reference == "REC-2026-0001"
