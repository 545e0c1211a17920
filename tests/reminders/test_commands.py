"""`reclamations reminder-settings` and concurrent runs of the reminders job."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.outbox.models import OutgoingMessage
from reclamations.reminders.models import ReminderSent, ReminderSettings
from reclamations.reminders.services import send_reminders
from reclamations.reporting.integrity import verify_all
from tests.clock import NOW, at
from tests.factories import make_complaint
from tests.harness.concurrency import at_once, skip_unless_postgresql


def _settings(*args: str) -> str:
    out = StringIO()
    call_command("reminder-settings", *args, stdout=out)
    return out.getvalue()


def test_reminder_settings_shows_the_defaults(organisation, manager):
    assert _settings() == (
        "Organisation : CCS\n"
        "Envoi aux responsables : oui\n"
        "Rappels avant l'échéance (jours ouvrables) : 3, 1\n"
        "Heure d'envoi : 8 h\n"
        "Destinataires : f.maltese@ccs-legal.fr, responsable@example.org\n"
    )
    assert ReminderSettings.objects.count() == 0


def test_reminder_settings_speak_of_the_days_the_organisation_counts(organisation, manager):
    organisation.calendar_kind = "ouvres"
    organisation.save()

    assert "Rappels avant l'échéance (jours ouvrés) : 3, 1\n" in _settings()


def test_reminder_settings_changes_what_is_given(organisation, manager):
    output = _settings("--managers", "non", "--days-before", " 1, 5 ", "--hour", "7")

    assert output == (
        "Organisation : CCS\n"
        "Envoi aux responsables : non\n"
        "Rappels avant l'échéance (jours ouvrables) : 5, 1\n"
        "Heure d'envoi : 7 h\n"
        "Destinataires : f.maltese@ccs-legal.fr\n"
    )
    stored = ReminderSettings.objects.get(organisation=organisation)
    assert (stored.include_managers, stored.days_before, stored.digest_hour) == (False, "5,1", 7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--days-before", "3,x"),
            "« x » n'est pas un nombre de jours valide : indiquez des nombres entiers positifs "
            "séparés par des virgules, par exemple « 3,1 ».",
        ),
        (("--managers", "peut-être"), "--managers attend oui ou non (reçu : « peut-être »)."),
    ],
)
def test_reminder_settings_refuses_a_bad_value(organisation, args, message):
    with pytest.raises(CommandError) as raised:
        _settings(*args)

    assert str(raised.value) == message
    assert ReminderSettings.objects.count() == 0


def test_reminder_settings_refuses_an_hour_out_of_range(organisation):
    with pytest.raises(CommandError) as raised:
        _settings("--hour", "24")

    assert str(raised.value) == "Assurez-vous que cette valeur est inférieure ou égale à 23."


def test_reminder_settings_needs_the_organisation_when_there_are_several(
    organisation, other_organisation
):
    with pytest.raises(CommandError) as raised:
        _settings()
    assert str(raised.value) == (
        "Plusieurs organisations (ou aucune) : précisez --organisation NOM."
    )

    assert _settings("--organisation", "Autre organisme").startswith(
        "Organisation : Autre organisme\n"
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once(clock, organisation, referent):
    skip_unless_postgresql()
    make_complaint(organisation, referent, received_at=NOW)  # due Saturday 14 November
    clock.move_to(at(2026, 11, 10))  # 3 working days left: the 3-day reminder is due

    summaries = at_once(send_reminders, threads=4)

    assert len(summaries) == 4
    assert sum(s.count("rappels : 1,") for s in summaries) == 1
    assert sum(s.endswith("récapitulatifs : 1") for s in summaries) == 1
    assert ReminderSent.objects.count() == 1
    assert OutgoingMessage.objects.filter(kind__in=["staff_reminder", "staff_digest"]).count() == 2


def test_a_change_from_the_command_is_an_event_that_verify_accepts(organisation, manager):
    _settings("--hour", "6")

    event = ComplaintEvent.objects.get(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED
    )
    assert (event.actor, event.data["changes"]) == (None, {"reminders_digest_hour": [8, 6]})
    [result] = verify_all()
    assert result.report.ok
