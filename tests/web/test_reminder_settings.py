"""The staff reminders' settings page (/reglages/rappels/, issue 13): the managers set who
receives the reminders and when, through reminder_settings_update, and each change is an event
of the organisation's chronology, as the settings page's are."""

from django.test import Client
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.event_reading import field_label
from reclamations.complaints.models import ComplaintEvent
from reclamations.reminders.models import ReminderSettings
from reclamations.reminders.services import reminder_settings_for
from tests.accounts import verified_login

from .helpers import field_errors, messages_of, text_of

URL = reverse("reminder_settings")


def test_the_settings_page_links_to_the_reminders(manager_client):
    page = manager_client.get(reverse("organisation_settings")).content.decode()

    assert f'href="{URL}"' in page


def test_the_page_shows_the_defaults_and_when_reminders_go(manager_client, organisation):
    response = manager_client.get(URL)

    assert response.status_code == 200
    text = text_of(response)
    assert "Quand partent les rappels" in text
    assert "à partir de l'heure d'envoi (heure locale de l'organisme)" in text
    form = response.context["form"]
    assert form.initial == {"include_managers": True, "days_before": "3,1", "digest_hour": 8}
    assert 'value="3,1"' in response.content.decode()


def test_a_manager_changes_the_settings_and_the_chronology_records_it(
    manager_client, manager, organisation
):
    data = {"days_before": "5, 2;1", "digest_hour": "7"}  # include_managers unticked

    response = manager_client.post(URL, data, follow=True)

    assert messages_of(response) == ["Réglages des rappels enregistrés."]
    current = reminder_settings_for(organisation)
    assert (current.include_managers, current.days_before, current.digest_hour) == (
        False,
        "5,2,1",
        7,
    )
    event = ComplaintEvent.objects.get(
        organisation=organisation, event_type=EventType.SETTINGS_CHANGED
    )
    assert event.actor == manager
    assert event.data["changes"] == {
        "reminders_include_managers": [True, False],
        "reminders_days_before": ["3,1", "5,2,1"],
        "reminders_digest_hour": [8, 7],
    }
    assert field_label("reminders_digest_hour") == "Rappels : heure d'envoi"


def test_the_same_settings_again_change_nothing(manager_client, organisation):
    data = {"include_managers": "on", "days_before": "3,1", "digest_hour": "8"}

    response = manager_client.post(URL, data, follow=True)

    assert messages_of(response) == [
        "Aucune modification : les réglages des rappels sont inchangés."
    ]
    assert not ComplaintEvent.objects.filter(event_type=EventType.SETTINGS_CHANGED).exists()


def test_wrong_days_are_refused_and_the_form_keeps_what_was_typed(manager_client, organisation):
    response = manager_client.post(URL, {"days_before": "3,deux", "digest_hour": "8"})

    assert response.status_code == 400
    assert field_errors(response, "days_before") == [
        "« deux » n'est pas un nombre de jours valide : indiquez des nombres entiers positifs "
        "séparés par des virgules, par exemple « 3,1 »."
    ]
    assert 'value="3,deux"' in response.content.decode()
    assert "error-summary" in response.content.decode()
    assert not ReminderSettings.objects.filter(organisation=organisation).exists()


def test_an_hour_out_of_the_day_is_refused(manager_client, organisation):
    response = manager_client.post(URL, {"days_before": "3,1", "digest_hour": "24"})

    assert field_errors(response, "digest_hour") == ["Choisissez une heure de la liste."]


def test_the_recipients_are_shown(manager_client, manager, organisation):
    organisation.referent_email = "referent@example.org"
    organisation.save(update_fields=["referent_email"])

    text = text_of(manager_client.get(URL))

    assert "Destinataires aujourd'hui : referent@example.org, responsable@example.org" in text


def test_only_managers_reach_the_page(referent_client, auditor_client, admin_user, organisation):
    assert referent_client.get(URL).status_code == 403
    assert referent_client.post(URL, {"days_before": "9", "digest_hour": "3"}).status_code == 403
    assert auditor_client.get(URL).status_code == 403
    assert verified_login(Client(), admin_user).get(URL).status_code == 200
    assert not ReminderSettings.objects.filter(organisation=organisation).exists()


def test_each_organisation_changes_its_own(manager_client, organisation, other_organisation):
    manager_client.post(URL, {"days_before": "2", "digest_hour": "9"})

    assert reminder_settings_for(organisation).days_before == "2"
    assert not ReminderSettings.objects.filter(organisation=other_organisation).exists()
