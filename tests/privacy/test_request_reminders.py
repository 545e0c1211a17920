"""The managers reminded of the data subjects' requests, through the reminders' outbox path:
once within seven days of the deadline, once overdue, never twice, never on a Sunday.

The clock starts at Monday 2 November 2026, 10:00 in Paris (tests/clock.py); the CCS
organisation sends its staff messages from 8:00 on its working days (Monday to Saturday).
"""

from datetime import date

import pytest

from reclamations.outbox.models import OutgoingMessage
from reclamations.privacy.models import DataRequestReminder, RequestKind
from reclamations.privacy.request_reminders import send_request_reminders
from reclamations.privacy.requests import (
    NewDataRequest,
    data_request_create,
    data_request_decide,
    data_request_extend,
)
from reclamations.worker import JOBS
from tests.clock import at

pytestmark = pytest.mark.usefixtures("clock")

NOTHING = "demandes sur les données personnelles : rappels 0, retards 0"


def _request(organisation, manager, received_on: date, kind=RequestKind.ERASURE):
    return data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=kind,
            person_name="Ondine Verhaeghe",
            person_email="ondine.verhaeghe@example.net",
            received_on=received_on,
        ),
    )


def _sent() -> list[tuple[str, str]]:
    return list(
        OutgoingMessage.objects.filter(kind="staff_reminder")
        .order_by("id")
        .values_list("to", "subject")
    )


def test_the_managers_are_reminded_once_within_seven_days_then_once_overdue(
    clock, organisation, manager, referent
):
    request = _request(organisation, manager, date(2026, 10, 9))  # due Monday 9 November

    first = send_request_reminders()
    again = send_request_reminders()
    clock.move_to(at(2026, 11, 10))  # Tuesday, a day late
    late = send_request_reminders()
    late_again = send_request_reminders()

    assert (first, again) == (
        "demandes sur les données personnelles : rappels 1, retards 0",
        NOTHING,
    )
    assert (late, late_again) == (
        "demandes sur les données personnelles : rappels 0, retards 1",
        NOTHING,
    )
    assert _sent() == [
        (
            "responsable@example.org",
            f"Rappel : demande d'effacement n° {request.pk}, réponse due sous 7 jours",
        ),
        (
            "responsable@example.org",
            f"Alerte : demande d'effacement n° {request.pk} sans réponse, délai dépassé",
        ),
    ]
    assert list(DataRequestReminder.objects.order_by("id").values_list("kind", "deadline")) == [
        ("due_soon", date(2026, 11, 9)),
        ("overdue", date(2026, 11, 9)),
    ]


def test_the_reminder_names_the_request_not_the_person(organisation, manager):
    request = _request(organisation, manager, date(2026, 10, 9))

    send_request_reminders()

    message = OutgoingMessage.objects.get(kind="staff_reminder")
    assert message.auto_submitted
    assert "Ondine" not in message.body_text and "ondine" not in message.body_text
    assert (
        f"La demande d'effacement n° {request.pk}, reçue le vendredi 9 octobre 2026, doit "
        "recevoir sa réponse d'ici le lundi 9 novembre 2026 : il reste 7 jours."
    ) in message.body_text
    assert f"/donnees-personnelles/demandes/{request.pk}/" in message.body_text


def test_an_extended_request_is_reminded_again_for_its_new_deadline(clock, organisation, manager):
    request = _request(organisation, manager, date(2026, 10, 9))
    send_request_reminders()
    data_request_extend(
        request=request, actor=manager, months=1, reason="Complexe.", told_on="2026-11-02"
    )

    nothing_yet = send_request_reminders()
    clock.move_to(at(2026, 12, 2))  # due Wednesday 9 December
    reminded = send_request_reminders()

    assert nothing_yet == NOTHING
    assert reminded == "demandes sur les données personnelles : rappels 1, retards 0"
    assert _sent()[-1][1] == (
        f"Rappel : demande d'effacement n° {request.pk}, réponse due sous 7 jours"
    )


def test_nothing_is_sent_on_a_sunday_before_the_hour_or_once_answered(clock, organisation, manager):
    request = _request(organisation, manager, date(2026, 10, 9))
    clock.move_to(at(2026, 11, 1, 12))  # Sunday
    sunday = send_request_reminders()
    clock.move_to(at(2026, 11, 2, 7, 30))  # Monday, before 8:00
    early = send_request_reminders()
    clock.move_to(at(2026, 11, 2, 10))
    data_request_decide(
        request=request, actor=manager, decision="granted", reason="", decided_on="2026-11-02"
    )
    answered = send_request_reminders()

    assert (sunday, early, answered) == (NOTHING, NOTHING, NOTHING)
    assert _sent() == []


def test_without_a_manager_with_an_address_the_summary_says_so(organisation, manager):
    _request(organisation, manager, date(2026, 10, 9), kind=RequestKind.ACCESS)
    manager.email = ""
    manager.save(update_fields=["email"])

    assert send_request_reminders() == (
        f"{NOTHING} ; 1 organisme(s) sans responsable ayant une adresse e-mail"
    )
    assert _sent() == []


def test_the_worker_runs_it():
    assert "data-request-reminders" in {job.name for job in JOBS}
