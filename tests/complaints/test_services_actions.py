"""Every workflow action through `complaint_apply`: what it changes, what it records, what it
refuses (and then writes nothing)."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reclamations.complaints.actions import Action, ComplaintState
from reclamations.complaints.enums import Channel, EventType, Kind, Outcome, Status
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document
from reclamations.complaints.services import complaint_apply
from reclamations.complaints.workflow import WorkflowError
from reclamations.reporting.integrity import verify_organisation
from tests.clock import at
from tests.factories import complaint_in_state, make_complaint

REPLY = {
    "resolution": "Trois séances de rattrapage programmées.",
    "channel": "email",
    "text": "Nous vous proposons trois séances de rattrapage.",
}
REPLY_CHANNELS = (
    "Choisissez le canal de la réponse parmi : E-mail, Courrier, E-mail et courrier, Téléphone, "
    "confirmé par écrit, Remise en main propre."
)


def _apply(complaint, actor, action, data=None, document=None) -> ComplaintEvent:
    return complaint_apply(
        complaint=complaint, actor=actor, action=action, data=data, document=document
    )


@pytest.fixture
def complaint(clock, organisation, referent) -> Complaint:
    return make_complaint(organisation, referent)


def _snapshot(complaint: Complaint) -> tuple:
    head = ChainHead.objects.filter(organisation_id=complaint.organisation_id).values().first()
    return (
        Complaint.objects.filter(pk=complaint.pk).values().get(),
        list(ComplaintEvent.objects.values_list("sequence", "hash")),
        Document.objects.count(),
        head,
    )


def _last_event() -> ComplaintEvent:
    return ComplaintEvent.objects.order_by("-sequence").first()


# --- request and record information ---------------------------------------------------------


def test_request_information_waits_for_the_client(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, client_email="")
    before = _last_event()

    event = _apply(
        complaint,
        referent,
        "request_information",
        {"missing": "Compte client", "sent_via": "email", "message": "Merci de préciser."},
    )

    assert complaint.status == Status.AWAITING_INFORMATION
    assert complaint.information_requested_on == date(2026, 11, 2)
    assert complaint.due_date == date(2026, 11, 14)
    assert event.event_type == EventType.INFORMATION_REQUESTED
    assert (event.status_before, event.status_after) == (Status.IN_PROGRESS, "awaiting_information")
    assert event.occurred_on == date(2026, 11, 2)
    assert event.actor == referent
    assert event.data == {
        "missing": "Compte client",
        "sent_via": "email",
        "message": "Merci de préciser.",
        "changes": {"information_requested_on": "2026-11-02"},
        "email": "aucune adresse",  # asked by e-mail, but the client has no address
    }
    assert (event.sequence, event.previous_hash) == (before.sequence + 1, before.hash)


def test_request_information_dated_earlier_is_recorded_on_that_date(clock, organisation, referent):
    complaint = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 29),
        backdating_reason="Courrier saisi en retard.",
    )

    event = _apply(
        complaint,
        referent,
        "request_information",
        {"missing": "Compte client", "sent_via": "letter", "sent_on": "2026-10-30"},
    )

    assert event.occurred_on == date(2026, 10, 30)
    assert complaint.information_requested_on == date(2026, 10, 30)


def test_record_information_completes_the_complaint(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "incomplete")
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})
    clock.move_to(at(2026, 11, 4, 11))

    event = _apply(
        complaint,
        referent,
        "record_information",
        {"summary": "Le client a donné son compte.", "client_account": " CLI-2026-200 "},
    )

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.client_account == "CLI-2026-200"
    assert complaint.information_requested_on is None
    assert complaint.due_date == date(2026, 11, 14)
    assert event.event_type == EventType.INFORMATION_RECEIVED
    assert (event.status_before, event.status_after) == ("awaiting_information", "in_progress")
    assert event.occurred_on == date(2026, 11, 4)
    assert event.data == {
        "summary": "Le client a donné son compte.",
        "changes": {"client_account": "CLI-2026-200", "information_requested_on": None},
    }


def test_record_information_still_lacking_a_field_goes_back_to_incomplete(
    clock, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "incomplete")
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})

    _apply(complaint, referent, "record_information", {"summary": "Réponse sans le compte."})

    assert complaint.status == Status.INCOMPLETE
    assert complaint.client_account == ""


def test_record_information_for_a_phone_complaint_still_awaits_confirmation(
    clock, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "awaiting_confirmation")
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "phone"})
    assert complaint.status == Status.AWAITING_INFORMATION

    _apply(complaint, referent, "record_information", {"summary": "Compte donné."})

    assert complaint.status == Status.AWAITING_CONFIRMATION


def test_record_information_without_suspension_keeps_the_due_date(clock, organisation, referent):
    complaint = make_complaint(organisation, referent)
    clock.move_to(at(2026, 11, 3))
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})
    clock.move_to(at(2026, 11, 9))

    _apply(complaint, referent, "record_information", {"summary": "Réponse du client."})

    assert complaint.due_date == date(2026, 11, 14)


def test_record_information_with_suspension_pushes_the_due_date_by_the_days_waited(
    clock, organisation, referent
):
    organisation.suspend_while_awaiting_information = True
    organisation.save()
    complaint = make_complaint(organisation, referent)  # Monday 2 November: due Saturday 14
    clock.move_to(at(2026, 11, 3))
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})
    clock.move_to(at(2026, 11, 9))

    event = _apply(complaint, referent, "record_information", {"summary": "Réponse du client."})

    # Waited: Wed 4, Thu 5, Fri 6, Sat 7, Mon 9 = 5 working days (the request day counts).
    # 14 November + 5 working days: Mon 16, Tue 17, Wed 18, Thu 19, Fri 20.
    assert complaint.due_date == date(2026, 11, 20)
    assert event.data["changes"]["due_date"] == "2026-11-20"


def test_record_information_with_suspension_same_day_answer_changes_nothing(
    clock, organisation, referent
):
    organisation.suspend_while_awaiting_information = True
    organisation.save()
    complaint = make_complaint(organisation, referent)
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})

    _apply(complaint, referent, "record_information", {"summary": "Réponse immédiate."})

    assert complaint.due_date == date(2026, 11, 14)


def test_record_information_dated_before_the_request_is_refused(clock, organisation, referent):
    organisation.suspend_while_awaiting_information = True
    organisation.save()
    complaint = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 29),
        backdating_reason="Courrier saisi en retard.",
    )
    _apply(complaint, referent, "request_information", {"missing": "Compte", "sent_via": "email"})
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(
            complaint,
            referent,
            "record_information",
            {"summary": "Réponse.", "received_on": "2026-10-30"},
        )

    assert raised.value.message_dict == {
        "received_on": ["Cette date précède la demande d'informations (02/11/2026)."]
    }
    assert _snapshot(complaint) == before


# --- record confirmation --------------------------------------------------------------------


def test_record_confirmation_starts_treatment(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "awaiting_confirmation")
    clock.move_to(at(2026, 11, 3))

    event = _apply(
        complaint,
        referent,
        "record_confirmation",
        {"via": "letter", "summary": "Lettre du client."},
    )

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.confirmation_pending is False
    assert complaint.due_date == date(2026, 11, 14)
    assert event.event_type == EventType.CONFIRMATION_RECEIVED
    assert event.occurred_on == date(2026, 11, 3)
    assert event.data == {
        "via": "letter",
        "summary": "Lettre du client.",
        "changes": {"confirmation_pending": False},
    }


def test_record_confirmation_completing_the_complaint(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, channel=Channel.PHONE, description="")

    _apply(
        complaint,
        referent,
        "record_confirmation",
        {"description": "Support de cours non conforme au programme."},
    )

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.description == "Support de cours non conforme au programme."


def test_record_confirmation_of_an_incomplete_complaint_leaves_it_incomplete(
    clock, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel=Channel.PHONE, description="")

    _apply(complaint, referent, "record_confirmation", {})

    assert complaint.status == Status.INCOMPLETE
    assert complaint.confirmation_pending is False


# --- update details -------------------------------------------------------------------------


def test_update_details_records_before_and_after(complaint, manager):
    event = _apply(
        complaint,
        manager,
        "update_details",
        {"client_name": "Julie Martin-Durand", "category": "trainer", "training": "Anglais"},
    )

    assert complaint.client_name == "Julie Martin-Durand"
    assert complaint.category == "trainer"
    assert complaint.status == Status.IN_PROGRESS
    assert event.event_type == EventType.DETAILS_UPDATED
    assert event.actor_name == "Responsable"
    assert (event.status_before, event.status_after) == ("in_progress", "in_progress")
    assert event.data == {
        "changes": {
            "client_name": ["Julie Martin", "Julie Martin-Durand"],
            "category": ["", "trainer"],
            "training": ["", "Anglais"],
        },
        "reason": "",
    }


def test_an_action_writes_the_columns_it_changed_and_leaves_the_others_as_stored(
    complaint, manager
):
    stored = Complaint.objects.filter(pk=complaint.pk).values().get()

    with CaptureQueriesContext(connection) as captured:
        _apply(complaint, manager, "update_details", {"client_name": "Julie Martin-Durand"})

    [update] = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith('UPDATE "complaints_complaint"')
    ]
    columns_set = update.split(" WHERE ")[0]
    assert re.findall(r'"(\w+)" = ', columns_set) == ["client_name", "updated_at"]
    # The clock stands still: `updated_at` is written with the moment it already held.
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == {
        **stored,
        "client_name": "Julie Martin-Durand",
    }


def test_update_details_funding_derives_the_client_type(complaint, referent):
    event = _apply(complaint, referent, "update_details", {"funding": "opco"})

    assert complaint.client_type == "professional"
    assert event.data["changes"] == {
        "funding": ["", "opco"],
        "client_type": ["", "professional"],
    }


def test_update_details_completing_an_incomplete_complaint_starts_treatment(
    clock, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "incomplete")

    event = _apply(complaint, referent, "update_details", {"client_account": "CLI-2026-300"})

    assert complaint.status == Status.IN_PROGRESS
    assert (event.status_before, event.status_after) == ("incomplete", "in_progress")


def test_update_details_emptying_a_required_field_makes_it_incomplete(complaint, referent):
    _apply(complaint, referent, "update_details", {"description": ""})

    assert complaint.status == Status.INCOMPLETE


def test_update_details_of_a_replied_complaint_keeps_it_replied(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    _apply(complaint, referent, "update_details", {"description": ""})

    assert complaint.status == Status.REPLIED


def test_update_details_correcting_the_reception_recomputes_the_due_date(
    clock, organisation, referent
):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 11, 2))

    event = _apply(
        complaint,
        referent,
        "update_details",
        {"received_at": "2026-10-30T16:00:00+01:00", "reason": "Cachet de la poste du 30."},
    )

    assert complaint.received_at == at(2026, 10, 30, 16)
    assert complaint.received_on == date(2026, 10, 30)
    assert complaint.clock_started_on == date(2026, 10, 30)
    assert complaint.due_date == date(2026, 11, 12)
    assert event.occurred_on == date(2026, 11, 2)
    assert event.data == {
        "changes": {
            "received_at": ["2026-11-02 08:00:00+00:00", "2026-10-30 16:00:00+01:00"],
            "received_on": ["2026-11-02", "2026-10-30"],
            "clock_started_on": ["2026-11-02", "2026-10-30"],
            "due_date": ["2026-11-14", "2026-11-12"],
        },
        "reason": "Cachet de la poste du 30.",
    }


def test_update_details_changing_kind_to_not_admissible_needs_a_reason(complaint, referent):
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, "update_details", {"kind": "not_admissible"})

    assert raised.value.message_dict == {
        "not_admissible_reason": [
            "Indiquez pourquoi la demande n'est pas une réclamation recevable."
        ]
    }
    assert _snapshot(complaint) == before


# --- actions, notes ---------------------------------------------------------------------------


def test_add_action_is_dated_and_keeps_the_status(complaint, referent):
    event = _apply(
        complaint,
        referent,
        "add_action",
        {"description": "Appel du formateur.", "done_by": "Paul Durand", "done_on": "2026-11-02"},
    )

    assert complaint.status == Status.IN_PROGRESS
    assert event.event_type == EventType.ACTION_ADDED
    assert event.occurred_on == date(2026, 11, 2)
    assert (event.status_before, event.status_after) == ("in_progress", "in_progress")
    assert event.data == {"description": "Appel du formateur.", "done_by": "Paul Durand"}


def test_add_note_is_allowed_on_a_closed_complaint(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")

    event = _apply(complaint, None, "add_note", {"text": "Dossier vérifié pour l'audit."})

    assert complaint.status == Status.CLOSED
    assert event.event_type == EventType.NOTE_ADDED
    assert event.actor is None
    assert event.actor_name == "Système"
    assert event.data == {"text": "Dossier vérifié pour l'audit."}


# --- reply ------------------------------------------------------------------------------------


def test_reply_on_the_due_date_is_on_time(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, client_email="")
    clock.move_to(at(2026, 11, 14, 17))

    event = _apply(complaint, referent, "reply", REPLY)

    assert complaint.status == Status.REPLIED
    assert complaint.replied_on == date(2026, 11, 14)
    assert complaint.first_replied_on == date(2026, 11, 14)
    assert complaint.reply_channel == "email"
    assert complaint.resolution == "Trois séances de rattrapage programmées."
    assert complaint.replied_on_time is True
    assert event.event_type == EventType.REPLIED
    assert event.occurred_on == date(2026, 11, 14)
    assert (event.status_before, event.status_after) == ("in_progress", "replied")
    assert event.data == {
        "text": "Nous vous proposons trois séances de rattrapage.",
        "due_date": "2026-11-14",
        "on_time": True,
        "changes": {
            "resolution": "Trois séances de rattrapage programmées.",
            "replied_on": "2026-11-14",
            "first_replied_on": "2026-11-14",
            "reply_channel": "email",
            "replied_on_time": True,
        },
        "email": "aucune adresse",  # answered by e-mail, but the client has no address
    }


def test_reply_after_the_due_date_is_late(clock, complaint, referent):
    clock.move_to(at(2026, 11, 16))

    event = _apply(complaint, referent, "reply", REPLY)

    assert complaint.replied_on == date(2026, 11, 16)
    assert complaint.replied_on_time is False
    assert event.data["on_time"] is False


def test_reply_recorded_late_but_dated_on_time_is_on_time(clock, complaint, referent):
    clock.move_to(at(2026, 11, 16))

    event = _apply(complaint, referent, "reply", {**REPLY, "replied_on": "2026-11-13"})

    assert complaint.replied_on == date(2026, 11, 13)
    assert complaint.replied_on_time is True
    assert event.occurred_on == date(2026, 11, 13)
    assert event.recorded_at == at(2026, 11, 16)


def test_reply_without_a_due_date_is_on_time(clock, organisation, referent):
    organisation.phone_clock = "confirmation"
    organisation.save()
    complaint = make_complaint(organisation, referent, channel=Channel.PHONE)
    clock.move_to(at(2026, 12, 1))

    event = _apply(complaint, referent, "reply", REPLY)

    assert complaint.replied_on_time is True
    assert event.data["due_date"] is None


def test_reply_from_incomplete_is_allowed(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "incomplete")

    _apply(complaint, referent, "reply", REPLY)

    assert complaint.status == Status.REPLIED


def test_reopen_keeps_the_first_reply_date_and_its_punctuality(clock, complaint, referent):
    clock.move_to(at(2026, 11, 5))
    _apply(complaint, referent, "reply", REPLY)
    clock.move_to(at(2026, 11, 6))
    _apply(complaint, referent, "close", {"outcome": "rejected", "client_acceptance": "disputed"})
    clock.move_to(at(2026, 11, 20))

    reopened = _apply(complaint, referent, "reopen", {"reason": "Nouvel élément du client."})

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.first_replied_on == date(2026, 11, 5)
    assert complaint.replied_on == date(2026, 11, 5)
    assert complaint.replied_on_time is True
    assert complaint.outcome == ""
    assert complaint.closed_on is None
    assert reopened.event_type == EventType.REOPENED
    assert (reopened.status_before, reopened.status_after) == ("closed", "in_progress")
    assert reopened.occurred_on == date(2026, 11, 20)
    assert reopened.data == {
        "reason": "Nouvel élément du client.",
        "changes": {"outcome": "", "closed_on": None},
    }

    clock.move_to(at(2026, 11, 23))
    second = _apply(complaint, referent, "reply", {**REPLY, "channel": "letter"})

    assert complaint.replied_on == date(2026, 11, 23)
    assert complaint.first_replied_on == date(2026, 11, 5)
    assert complaint.replied_on_time is True
    assert complaint.reply_channel == "letter"
    assert second.data["on_time"] is True
    assert second.data["changes"]["first_replied_on"] == "2026-11-05"


# --- close, not admissible, reopen ------------------------------------------------------------


def test_close_records_outcome_and_client_position(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    event = _apply(
        complaint,
        referent,
        "close",
        {"outcome": "partly_granted", "client_acceptance": "accepted", "comment": "Accord."},
    )

    assert complaint.status == Status.CLOSED
    assert complaint.outcome == Outcome.PARTLY_GRANTED
    assert complaint.client_acceptance == "accepted"
    assert complaint.closed_on == date(2026, 11, 2)
    assert event.event_type == EventType.CLOSED
    assert (event.status_before, event.status_after) == ("replied", "closed")
    assert event.data == {
        "comment": "Accord.",
        "changes": {
            "outcome": "partly_granted",
            "closed_on": "2026-11-02",
            "client_acceptance": "accepted",
        },
    }


def test_close_without_client_position_records_it_unknown(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    _apply(complaint, referent, "close", {"outcome": "granted"})

    assert complaint.client_acceptance == "unknown"


@pytest.mark.parametrize(
    "state", ["incomplete", "awaiting_information", "awaiting_confirmation", "in_progress"]
)
def test_declare_not_admissible_closes_an_open_complaint(clock, organisation, referent, state):
    complaint = complaint_in_state(organisation, referent, state)

    event = _apply(
        complaint, referent, "declare_not_admissible", {"reason": "Demande d'information."}
    )

    assert complaint.status == Status.CLOSED
    assert complaint.kind == Kind.NOT_ADMISSIBLE
    assert complaint.not_admissible_reason == "Demande d'information."
    assert complaint.outcome == Outcome.NOT_ADMISSIBLE
    assert complaint.closed_on == date(2026, 11, 2)
    assert complaint.confirmation_pending is False
    assert event.event_type == EventType.DECLARED_NOT_ADMISSIBLE
    assert (event.status_before, event.status_after) == (state, "closed")
    assert event.data == {
        "reason": "Demande d'information.",
        "changes": {
            "kind": "not_admissible",
            "not_admissible_reason": "Demande d'information.",
            "outcome": "not_admissible",
            "closed_on": "2026-11-02",
            "confirmation_pending": False,
        },
    }


def test_reopen_a_not_admissible_complaint_requalifies_it(complaint, referent):
    _apply(complaint, referent, "declare_not_admissible", {"reason": "Erreur de tri."})

    event = _apply(complaint, referent, "reopen", {"reason": "C'était bien une réclamation."})

    assert complaint.status == Status.IN_PROGRESS
    assert complaint.kind == Kind.COMPLAINT
    assert complaint.not_admissible_reason == ""
    assert complaint.outcome == ""
    assert event.data["changes"] == {
        "outcome": "",
        "closed_on": None,
        "kind": "complaint",
        "not_admissible_reason": "",
    }


# --- escalation -------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["replied", "closed"])
def test_mediation_seized_then_its_outcome(clock, organisation, referent, state):
    complaint = complaint_in_state(organisation, referent, state)
    clock.move_to(at(2026, 11, 20))

    seized = _apply(complaint, referent, "escalate_mediation", {"seized_on": "2026-11-19"})

    assert complaint.status == state
    assert complaint.mediation_seized_on == date(2026, 11, 19)
    assert complaint.mediator == "Alpes-Maritimes Médiation"
    assert seized.event_type == EventType.MEDIATION_SEIZED
    assert seized.occurred_on == date(2026, 11, 19)
    assert seized.data == {
        "mediator": "Alpes-Maritimes Médiation",
        "changes": {"mediation_seized_on": "2026-11-19", "mediator": "Alpes-Maritimes Médiation"},
    }

    outcome = _apply(
        complaint, referent, "record_mediation_outcome", {"outcome": "Accord amiable."}
    )

    assert complaint.mediation_outcome == "Accord amiable."
    assert outcome.event_type == EventType.MEDIATION_OUTCOME
    assert outcome.occurred_on == date(2026, 11, 20)
    assert outcome.data == {
        "outcome": "Accord amiable.",
        "changes": {"mediation_outcome": "Accord amiable."},
    }


def test_mediation_names_the_mediator_given(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    _apply(complaint, referent, "escalate_mediation", {"mediator": "Médiateur de la consommation"})

    assert complaint.mediator == "Médiateur de la consommation"


def test_mediation_without_any_mediator_is_refused(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")
    organisation.mediator_name = ""  # removed from the settings after the reply
    organisation.save()
    complaint.refresh_from_db()
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, "escalate_mediation", {})

    assert raised.value.message_dict == {"mediator": ["Indiquez le médiateur saisi."]}
    assert _snapshot(complaint) == before


def test_mediation_seized_twice_is_a_workflow_error(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")
    _apply(complaint, referent, "escalate_mediation", {})
    before = _snapshot(complaint)

    with pytest.raises(WorkflowError) as raised:
        _apply(complaint, referent, "escalate_mediation", {})

    assert str(raised.value) == "Le médiateur a déjà été saisi pour cette réclamation."
    assert _snapshot(complaint) == before


def test_mediation_outcome_without_a_text_is_refused(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")
    _apply(complaint, referent, "escalate_mediation", {})
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, "record_mediation_outcome", {"outcome": " "})

    assert raised.value.message_dict == {"outcome": ["Décrivez l'issue de la médiation."]}
    assert _snapshot(complaint) == before


@pytest.mark.parametrize("state", ["replied", "closed"])
def test_litigation_started_then_its_outcome(clock, organisation, referent, state):
    complaint = complaint_in_state(organisation, referent, state)

    started = _apply(complaint, referent, "escalate_litigation", {})

    assert complaint.status == state
    assert complaint.litigation_started_on == date(2026, 11, 2)
    assert complaint.litigation_court == "Tribunal judiciaire de Grasse"
    assert started.event_type == EventType.LITIGATION_STARTED
    assert started.data == {
        "court": "Tribunal judiciaire de Grasse",
        "changes": {
            "litigation_started_on": "2026-11-02",
            "litigation_court": "Tribunal judiciaire de Grasse",
        },
    }

    decided = _apply(
        complaint,
        referent,
        "record_litigation_outcome",
        {"outcome": "Demande rejetée.", "decided_on": "2026-11-02"},
    )

    assert complaint.litigation_outcome == "Demande rejetée."
    assert decided.event_type == EventType.LITIGATION_OUTCOME
    assert decided.data == {
        "outcome": "Demande rejetée.",
        "changes": {"litigation_outcome": "Demande rejetée."},
    }


def test_litigation_without_any_court_is_refused(clock, organisation, referent):
    organisation.court_name = ""
    organisation.save()
    complaint = complaint_in_state(organisation, referent, "replied")
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, "escalate_litigation", {})

    assert raised.value.message_dict == {"court": ["Indiquez la juridiction saisie."]}
    assert _snapshot(complaint) == before


def test_litigation_started_twice_is_a_workflow_error(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")
    _apply(complaint, referent, "escalate_litigation", {"court": "Tribunal de commerce"})
    before = _snapshot(complaint)

    with pytest.raises(WorkflowError) as raised:
        _apply(complaint, referent, "escalate_litigation", {})

    assert str(raised.value) == "Un contentieux est déjà enregistré pour cette réclamation."
    assert _snapshot(complaint) == before


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("record_mediation_outcome", "Aucune médiation n'est en cours pour cette réclamation."),
        ("record_litigation_outcome", "Aucun contentieux n'est enregistré pour cette réclamation."),
    ],
)
@pytest.mark.parametrize("state", ["replied", "closed"])
def test_escalation_outcome_without_escalation_is_a_workflow_error(
    clock, organisation, referent, state, action, message
):
    complaint = complaint_in_state(organisation, referent, state)
    before = _snapshot(complaint)

    with pytest.raises(WorkflowError) as raised:
        _apply(complaint, referent, action, {"outcome": "Accord."})

    assert str(raised.value) == message
    assert _snapshot(complaint) == before


# --- refusals: nothing is written -------------------------------------------------------------

DATE_IN_FUTURE = "Cette date est dans le futur : indiquez la date réelle."
INVALID_CASES = [
    (
        "in_progress",
        "request_information",
        {},
        {
            "missing": ["Précisez les informations qui manquent."],
            "sent_via": ["Choisissez le moyen d'envoi parmi : E-mail, Courrier, Téléphone."],
        },
    ),
    (
        "in_progress",
        "request_information",
        {"missing": "Compte", "sent_via": "email", "sent_on": "2026-11-03"},
        {"sent_on": [DATE_IN_FUTURE]},
    ),
    (
        "in_progress",
        "request_information",
        {"missing": "Compte", "sent_via": "email", "sent_on": "2026-11-01"},
        {"sent_on": ["Cette date précède la réception de la réclamation (02/11/2026)."]},
    ),
    (
        "in_progress",
        "request_information",
        {"missing": "Compte", "sent_via": "email", "sent_on": "02/11/2026"},
        {"sent_on": ["Date invalide : utilisez le format AAAA-MM-JJ."]},
    ),
    (
        "awaiting_information",
        "record_information",
        {},
        {"summary": ["Résumez les informations reçues du client."]},
    ),
    (
        "awaiting_confirmation",
        "record_confirmation",
        {"via": "pigeon"},
        {
            "via": [
                "Choisissez le moyen de réception parmi : E-mail, Courrier, Téléphone, Espace "
                "réclamations en ligne."
            ]
        },
    ),
    (
        "awaiting_confirmation",
        "record_confirmation",
        {"received_on": "2026-11-03"},
        {"received_on": [DATE_IN_FUTURE]},
    ),
    (
        "in_progress",
        "update_details",
        {},
        {"__all__": ["Aucune modification : la fiche est déjà dans cet état."]},
    ),
    (
        "in_progress",
        "update_details",
        {"client_name": "Julie Martin"},
        {"__all__": ["Aucune modification : la fiche est déjà dans cet état."]},
    ),
    (
        "in_progress",
        "update_details",
        {"client_email": "pas-une-adresse"},
        {"client_email": ["Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."]},
    ),
    (
        "in_progress",
        "update_details",
        {"severity": "urgent"},
        {
            "severity": [
                "Valeur « urgent » inconnue. Valeurs admises : low, medium, high, critical."
            ]
        },
    ),
    (
        "in_progress",
        "update_details",
        {"received_at": "2026-10-30T16:00:00+01:00"},
        {"reason": ["Indiquez pourquoi la date de réception est corrigée."]},
    ),
    (
        "in_progress",
        "update_details",
        {"received_at": "hier", "reason": "Erreur de saisie."},
        {"received_at": ["Date de réception invalide (format ISO 8601 attendu)."]},
    ),
    (
        "in_progress",
        "update_details",
        {"received_at": "2026-11-02T12:00:00+01:00", "reason": "Erreur de saisie."},
        {"received_at": ["La date de réception est dans le futur : corrigez-la."]},
    ),
    (
        "in_progress",
        "update_details",
        {"received_at": "2026-10-30T16:00:00", "reason": "Erreur de saisie."},
        {"received_at": ["La date de réception doit préciser son fuseau horaire."]},
    ),
    ("in_progress", "add_action", {}, {"description": ["Décrivez l'action menée."]}),
    (
        "in_progress",
        "add_action",
        {"description": "Appel.", "done_on": "2026-11-03"},
        {"done_on": [DATE_IN_FUTURE]},
    ),
    ("in_progress", "add_note", {"text": "   "}, {"text": ["La note est vide."]}),
    ("closed", "add_note", {}, {"text": ["La note est vide."]}),
    ("in_progress", "add_document", {}, {"document": ["Choisissez le fichier à joindre."]}),
    (
        "in_progress",
        "reply",
        {},
        {
            "resolution": ["Décrivez la résolution retenue."],
            "channel": [REPLY_CHANNELS],
            "text": ["Saisissez le texte de la réponse ou joignez la copie envoyée."],
        },
    ),
    (
        "in_progress",
        "reply",
        {**REPLY, "channel": "pigeon"},
        {"channel": [REPLY_CHANNELS]},
    ),
    (
        "in_progress",
        "reply",
        {**REPLY, "replied_on": "2026-11-03"},
        {"replied_on": [DATE_IN_FUTURE]},
    ),
    (
        "replied",
        "close",
        {},
        {"outcome": ["Choisissez l'issue : satisfaite, partiellement satisfaite ou rejetée."]},
    ),
    (
        "replied",
        "close",
        {"outcome": "not_admissible"},
        {"outcome": ["Choisissez l'issue : satisfaite, partiellement satisfaite ou rejetée."]},
    ),
    (
        "replied",
        "close",
        {"outcome": "granted", "client_acceptance": "maybe"},
        {
            "client_acceptance": [
                "Choisissez la position du client parmi : Non exprimée, Acceptée par le client, "
                "Contestée par le client."
            ]
        },
    ),
    (
        "in_progress",
        "declare_not_admissible",
        {},
        {"reason": ["Indiquez pourquoi la demande n'est pas une réclamation recevable."]},
    ),
    ("closed", "reopen", {}, {"reason": ["Indiquez pourquoi la réclamation est rouverte."]}),
    (
        "replied",
        "escalate_mediation",
        {"seized_on": "2026-11-03"},
        {"seized_on": [DATE_IN_FUTURE]},
    ),
]


@pytest.mark.parametrize(
    ("state", "action", "data", "errors"),
    INVALID_CASES,
    ids=[f"{case[1]}-{i}" for i, case in enumerate(INVALID_CASES)],
)
def test_invalid_data_is_refused_with_french_messages_and_nothing_written(
    clock, organisation, referent, state, action, data, errors
):
    complaint = complaint_in_state(organisation, referent, state)
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, action, data)

    assert raised.value.message_dict == errors
    assert _snapshot(complaint) == before


IN_PROGRESS = "en cours de traitement"
FORBIDDEN_CASES = [
    ("in_progress", "close", "Clôturer", IN_PROGRESS),
    ("in_progress", "reopen", "Rouvrir", IN_PROGRESS),
    ("in_progress", "record_information", "Enregistrer les informations reçues", IN_PROGRESS),
    ("in_progress", "record_confirmation", "Enregistrer la confirmation écrite", IN_PROGRESS),
    ("in_progress", "escalate_mediation", "Saisine du médiateur", IN_PROGRESS),
    ("in_progress", "record_litigation_outcome", "Issue du contentieux", IN_PROGRESS),
    (
        "awaiting_information",
        "request_information",
        "Demander des informations complémentaires",
        "en attente d'informations",
    ),
    ("incomplete", "escalate_litigation", "Contentieux", "incomplète"),
    (
        "awaiting_confirmation",
        "record_mediation_outcome",
        "Issue de la médiation",
        "en attente de confirmation écrite",
    ),
    ("replied", "request_information", "Demander des informations complémentaires", "répondue"),
    ("replied", "declare_not_admissible", "Déclarer non recevable", "répondue"),
    ("replied", "reopen", "Rouvrir", "répondue"),
    ("closed", "close", "Clôturer", "clôturée"),
    ("closed", "reply", "Répondre au client", "clôturée"),
    ("closed", "update_details", "Modifier la fiche", "clôturée"),
    ("closed", "add_action", "Ajouter une action", "clôturée"),
    ("closed", "declare_not_admissible", "Déclarer non recevable", "clôturée"),
]


@pytest.mark.parametrize(("state", "action", "label", "status_label"), FORBIDDEN_CASES)
def test_action_forbidden_by_the_status_is_a_workflow_error_and_nothing_written(
    clock, organisation, referent, state, action, label, status_label
):
    complaint = complaint_in_state(organisation, referent, state)
    before = _snapshot(complaint)

    with pytest.raises(WorkflowError) as raised:
        # Valid-looking data: the status alone decides.
        _apply(complaint, referent, action, {**REPLY, "reason": "r", "outcome": "granted"})

    assert str(raised.value) == (
        f"Action « {label} » impossible : la réclamation est « {status_label} »."
    )
    assert _snapshot(complaint) == before


def test_unknown_action_is_refused(complaint, referent):
    before = _snapshot(complaint)

    with pytest.raises(ValidationError) as raised:
        _apply(complaint, referent, "fly", {})

    assert raised.value.message_dict == {
        "action": [
            "Action inconnue « fly ». Actions : "
            + ", ".join(action.value for action in Action)
            + "."
        ]
    }
    assert _snapshot(complaint) == before


def test_complaint_apply_reads_the_stored_status_not_a_stale_object(complaint, referent):
    stale = Complaint.objects.get(pk=complaint.pk)
    _apply(complaint, referent, "reply", REPLY)
    _apply(complaint, referent, "close", {"outcome": "granted"})

    with pytest.raises(WorkflowError):
        _apply(stale, referent, "reply", REPLY)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED


# --- the chronology ---------------------------------------------------------------------------


def test_every_action_writes_exactly_one_chained_event(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, client_account="")
    journey = [
        ("request_information", {"missing": "Compte client", "sent_via": "email"}),
        ("record_information", {"summary": "Compte reçu.", "client_account": "CLI-9"}),
        ("update_details", {"category": "pedagogy"}),
        ("add_action", {"description": "Entretien avec le formateur."}),
        ("add_note", {"text": "À suivre."}),
        ("reply", REPLY),
        ("close", {"outcome": "rejected", "client_acceptance": "disputed"}),
        ("escalate_mediation", {}),
        ("record_mediation_outcome", {"outcome": "Pas d'accord."}),
        ("escalate_litigation", {}),
        ("record_litigation_outcome", {"outcome": "Jugement rendu."}),
        ("reopen", {"reason": "Décision du tribunal à appliquer."}),
        ("declare_not_admissible", {"reason": "Requalifiée après jugement."}),
    ]
    for action, data in journey:
        head_before = ChainHead.objects.get(organisation=organisation)
        count_before = ComplaintEvent.objects.count()

        event = _apply(complaint, referent, action, data)

        assert ComplaintEvent.objects.count() == count_before + 1, action
        assert event.sequence == head_before.last_sequence + 1
        assert event.previous_hash == head_before.last_hash
        head = ChainHead.objects.get(organisation=organisation)
        assert (head.last_sequence, head.last_hash) == (event.sequence, event.hash)
        assert event.status_after == complaint.status

    assert complaint.status == Status.CLOSED
    report = verify_organisation(organisation)
    assert (report.ok, report.checked) == (True, 1 + len(journey))


def test_events_of_two_organisations_are_chained_separately(
    clock, organisation, other_organisation, referent, outsider
):
    ours = make_complaint(organisation, referent)
    theirs = make_complaint(other_organisation, outsider)

    ours_note = _apply(ours, referent, "add_note", {"text": "Note."})
    theirs_note = _apply(theirs, outsider, "add_note", {"text": "Note."})

    assert (ours_note.sequence, theirs_note.sequence) == (2, 2)
    assert ours_note.organisation_id == organisation.pk
    assert theirs_note.organisation_id == other_organisation.pk
    assert verify_organisation(organisation).checked == 2
    assert verify_organisation(other_organisation).checked == 2


@pytest.mark.clock(at(2026, 11, 10, 10))
def test_close_is_refused_when_dated_before_the_reply(clock, organisation, referent):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 11, 2))
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "email",
            "resolution": "Rattrapage.",
            "text": "Une séance de rattrapage est prévue.",
        },
    )
    with pytest.raises(ValidationError) as error:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="close",
            data={"outcome": "granted", "closed_on": "2026-11-09"},
        )

    assert error.value.message_dict == {
        "closed_on": ["Cette date précède la réponse au client (10/11/2026)."]
    }
    complaint.refresh_from_db()
    assert complaint.status == "replied"


def test_a_reply_by_registered_letter_keeps_its_number_until_the_receipt_comes_back(
    clock, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "replied_registered")
    assert complaint.reply_registered_number == "1A 234 567 8901 2"
    assert ComplaintState.of(complaint).awaiting_delivery

    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_delivery",
        data={"delivered_on": complaint.replied_on.isoformat()},
    )

    complaint.refresh_from_db()
    assert complaint.reply_delivered_on == complaint.replied_on
    assert event.event_type == EventType.DELIVERY_RECORDED
    assert event.data["registered_number"] == "1A 234 567 8901 2"
    assert not ComplaintState.of(complaint).awaiting_delivery
    with pytest.raises(WorkflowError, match="Aucune réponse par lettre recommandée"):
        complaint_apply(complaint=complaint, actor=referent, action="record_delivery")


def test_a_receipt_dated_before_the_reply_is_refused(clock, organisation, referent):
    complaint = complaint_in_state(
        organisation, referent, "replied_registered", received_at=at(2026, 10, 20)
    )

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="record_delivery",
            data={"delivered_on": "2026-10-21"},
        )

    assert raised.value.message_dict["delivered_on"] == [
        f"Cette date précède l'envoi de la réponse ({complaint.replied_on:%d/%m/%Y}) : reprenez "
        "la date portée sur l'avis de réception."
    ]


def test_a_registered_number_goes_with_a_letter_only(clock, organisation, referent):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(ValidationError) as raised:
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="reply",
            data={**REPLY, "channel": "email", "registered_number": "1A 234"},
        )

    assert raised.value.message_dict["registered_number"] == [
        "Un numéro de recommandé ne va qu'avec une réponse par courrier : choisissez le canal "
        "« Courrier » ou effacez le numéro."
    ]


def test_a_new_reply_is_a_new_sending_with_no_receipt_yet(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied_registered")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_delivery",
        data={"delivered_on": complaint.replied_on.isoformat()},
    )

    complaint_apply(complaint=complaint, actor=referent, action="reply", data=REPLY)

    complaint.refresh_from_db()
    assert (complaint.reply_registered_number, complaint.reply_delivered_on) == ("", None)


def test_a_refusal_is_worded_in_the_language_of_whoever_reads_it(clock, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "closed")

    with pytest.raises(WorkflowError) as raised:
        _apply(complaint, referent, "reply", REPLY)

    assert str(raised.value).startswith("Action « Répondre au client » impossible")
    with translation.override("en"):
        assert str(raised.value).startswith("Action « Reply to the client » impossible")
