"""The first-run page: on an installation without any account, `/` and the login page lead to
it; it creates the organisation (the settings page's rules) and its first manager, logs them
in and sends them to set up two-factor authentication, then to the settings; once an account
exists it is gone (404), and a second organisation is never made."""

import html

import pytest
from django.test import Client
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation
from reclamations.reporting.integrity import verify_all
from tests.harness.concurrency import at_once, skip_unless_postgresql

from .helpers import field_errors, messages_of, text_of

FIRST_RUN = reverse("first_run")
PASSWORD = "Une phrase assez longue 2026"

FILLED = {
    "name": "Formations Rhin",
    "legal_name": "Formations Rhin SARL",
    "siret": "123 456 789 00012",
    "address": "3 quai des Bateliers\n67000 Strasbourg",
    "phone": "03 88 00 00 00",
    "website": "https://www.formations-rhin.fr",
    "complaints_email": "reclamations@formations-rhin.fr",
    "referent_name": "Anne Keller",
    "referent_title": "Référente qualité",
    "referent_email": "anne.keller@formations-rhin.fr",
    "time_zone": "Europe/Paris",
    "holiday_subdivision": "6AE",
    "deadline_days": "15",
    "calendar_kind": "ouvres",
    "carry_saturday": "on",
    "phone_clock": "confirmation",
    "mediator_name": "Médiation Alsace",
    "mediator_address": "1 place Kléber\n67000 Strasbourg",
    "mediator_website": "https://mediation-alsace.example",
    "court_name": "Tribunal judiciaire de Strasbourg",
    "manager_username": "anne.keller",
    "manager_first_name": "Anne",
    "manager_last_name": "Keller",
    "manager_email": "anne.keller@formations-rhin.fr",
    "manager_password1": PASSWORD,
    "manager_password2": PASSWORD,
}


@pytest.fixture
def demo_organisation(db) -> Organisation:
    return ensure_seed_organisation()


def test_the_register_and_the_login_lead_to_the_first_run_when_there_is_no_account(db):
    client = Client()

    assert client.get("/")["Location"] == FIRST_RUN
    assert client.get(reverse("login"))["Location"] == FIRST_RUN
    assert client.get(reverse("journal"))["Location"] == FIRST_RUN


def test_the_page_asks_for_the_organisation_and_its_manager_with_new_defaults(db):
    response = Client().get(FIRST_RUN)

    page = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert "<h1>Première installation</h1>" in page
    for legend in (
        "Identité de l'organisme",
        "Référent·e des réclamations",
        "Calendrier",
        "Délai de réponse",
        "Recours",
        "Premier compte responsable",
    ):
        assert f"<legend>{html.escape(legend)}</legend>" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="deadline_days" value="10"' in page
    assert 'name="time_zone" value="Europe/Paris"' in page
    assert '<option value="57">Alsace-Moselle (Moselle 57)</option>' in page
    assert '<option value="974">La Réunion</option>' in page
    assert "Nom de l'organisme (obligatoire)" in text
    # A real installation never starts with the demo's profile.
    assert "CCS" not in text
    assert "Mouans-Sartoux" not in text
    assert "Maltese" not in text


def test_submitting_creates_the_organisation_and_manager_and_logs_in_then_asks_two_factor(db):
    client = Client()

    response = client.post(FIRST_RUN, FILLED)

    assert response.status_code == 302
    assert response["Location"] == reverse("organisation_settings")
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.address, organisation.siret) == (
        "Formations Rhin",
        "3 quai des Bateliers\n67000 Strasbourg",
        "12345678900012",
    )
    assert (organisation.holiday_subdivision, organisation.deadline_days) == ("6AE", 15)
    assert (organisation.calendar_kind, organisation.phone_clock) == ("ouvres", "confirmation")
    assert (organisation.carry_saturday, organisation.suspend_while_awaiting_information) == (
        True,
        False,
    )
    assert organisation.demo is False
    manager = User.objects.get()
    assert (manager.username, manager.role, manager.organisation, manager.email) == (
        "anne.keller",
        Role.MANAGER,
        organisation,
        "anne.keller@formations-rhin.fr",
    )
    assert (manager.password_provisional, manager.check_password(PASSWORD)) == (False, True)
    # Logged in; the settings page first asks for the second factor a manager needs.
    settings_page = client.get(response["Location"])
    assert settings_page.status_code == 302
    assert settings_page["Location"] == (reverse("two_factor_enrol") + "?next=" + "%2Freglages%2F")
    enrol = client.get(settings_page["Location"])
    assert enrol.status_code == 200
    assert messages_of(enrol) == [
        "Organisme créé, et vous êtes son responsable. Activez maintenant la double "
        "authentification, puis vérifiez les réglages de l'organisme."
    ]


def test_the_chronology_opens_with_the_organisation_and_its_settings(db):
    Client().post(FIRST_RUN, FILLED)

    event = ComplaintEvent.objects.get()
    organisation = Organisation.objects.get()
    assert (event.event_type, event.sequence, event.complaint, event.actor_name) == (
        EventType.ORGANISATION_CREATED,
        1,
        None,
        "Anne Keller",
    )
    assert event.data["manager"] == "anne.keller"
    assert event.data["via"] == "page"
    assert event.data["settings"]["holiday_subdivision"] == "6AE"
    assert event.data["settings"]["deadline_days"] == 15
    assert event.data["settings"]["reference_prefix"] == "REC"
    [integrity] = verify_all()
    assert (integrity.organisation, integrity.ok, list(integrity.findings)) == (
        organisation,
        True,
        [],
    )


def test_errors_are_all_shown_at_once_next_to_their_fields_and_keep_what_was_typed(db):
    sent = {
        **FILLED,
        "complaints_email": "pas-une-adresse",
        "address": "",
        "deadline_days": "200",
        "holiday_subdivision": "Zone A",
        "manager_username": "anne keller",
        "manager_password2": "autre chose",
    }

    response = Client().post(FIRST_RUN, sent)

    page = response.content.decode()
    assert response.status_code == 400
    assert field_errors(response, "complaints_email") == [
        "Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."
    ]
    assert field_errors(response, "address") == [
        "Indiquez l'adresse postale de l'organisme : elle figure sur chaque courrier."
    ]
    assert field_errors(response, "deadline_days") == [
        "Délai de réponse : saisissez un nombre entre 1 et 90 (reçu 200)."
    ]
    assert field_errors(response, "holiday_subdivision") == [
        "Choix inconnu : sélectionnez une valeur de la liste."
    ]
    assert field_errors(response, "manager_username") == [
        "Nom d'utilisateur invalide : lettres, chiffres et les signes @ . + - _ seulement, "
        "sans espace."
    ]
    assert field_errors(response, "manager_password2") == [
        "Les deux mots de passe diffèrent : saisissez deux fois le même."
    ]
    assert "<title>Erreur : Première installation" in page
    assert 'name="name" value="Formations Rhin"' in page
    assert 'name="complaints_email" value="pas-une-adresse"' in page
    assert "1 place Kléber\n67000 Strasbourg</textarea>" in page
    # A password is typed again, never sent back to the browser.
    assert PASSWORD not in page
    assert (
        Organisation.objects.count() == User.objects.count() == ComplaintEvent.objects.count() == 0
    )


def test_a_weak_password_is_refused_by_djangos_validators_in_french(db):
    weak = {**FILLED, "manager_password1": "azertyuiop", "manager_password2": "azertyuiop"}

    response = Client().post(FIRST_RUN, weak)

    assert response.status_code == 400
    assert field_errors(response, "manager_password1") == [
        "Ce mot de passe est trop courant.",
    ]
    assert Organisation.objects.count() == 0


def test_a_required_setting_left_empty_is_said(db):
    response = Client().post(FIRST_RUN, {**FILLED, "name": "", "referent_name": " "})

    assert field_errors(response, "name") == ["Indiquez le nom de l'organisme."]
    assert field_errors(response, "referent_name") == [
        "Indiquez qui traite les réclamations (le ou la référent·e)."
    ]


def test_the_page_is_gone_once_an_account_exists(db):
    Client().post(FIRST_RUN, FILLED)

    again = Client().post(FIRST_RUN, {**FILLED, "name": "Un second organisme"})

    assert Client().get(FIRST_RUN).status_code == 404
    assert again.status_code == 404
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Formations Rhin"]
    assert Client().get("/")["Location"] == "/connexion/?next=/"
    assert Client().get(reverse("login")).status_code == 200


def test_the_page_is_gone_when_an_account_exists_without_organisation(db):
    User.objects.create_user(username="root", password=PASSWORD)

    assert Client().get(FIRST_RUN).status_code == 404


def test_the_page_is_gone_beside_the_demo(demo_organisation):
    response = Client().post(FIRST_RUN, FILLED)

    assert response.status_code == 404
    assert Organisation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_make_one_organisation_and_the_other_is_a_404():
    skip_unless_postgresql()
    sent = [{**FILLED, "manager_username": name} for name in ("anne", "paul")]

    statuses = at_once(lambda: Client().post(FIRST_RUN, sent.pop()).status_code)

    assert sorted(statuses) == [302, 404]
    assert Organisation.objects.count() == User.objects.count() == 1
    assert ComplaintEvent.objects.count() == 1


def test_the_form_refuses_a_post_without_its_csrf_token(db):
    response = Client(enforce_csrf_checks=True).post(FIRST_RUN, FILLED)

    assert response.status_code == 403
    assert Organisation.objects.count() == 0


def test_a_first_run_read_in_english_gives_the_manager_english_pages(db):
    """Before any account the page follows the language cookie, as the login does; the manager
    it creates keeps that language, so the next pages do not switch back to French."""
    client = Client()
    client.cookies["django_language"] = "en"

    page = client.get(FIRST_RUN)
    response = client.post(FIRST_RUN, FILLED)

    assert '<html lang="en">' in page.content.decode()
    assert "First installation" in text_of(page)
    assert User.objects.get().language == "en"
    enrol = client.get(client.get(response["Location"])["Location"])
    assert '<html lang="en">' in enrol.content.decode()
    assert messages_of(enrol) == [
        "Organisation created, and you are its manager. Now set up two-factor authentication, "
        "then check the organisation's settings."
    ]


def test_a_first_run_in_french_gives_a_french_manager(db):
    Client().post(FIRST_RUN, FILLED)

    assert User.objects.get().language == "fr"
