"""The first run's one door (complaints.installation): the organisation, its first manager and
the event that opens its chronology with every setting it starts with, so that `verify`
checks them from the first day; refused beside an organisation, the demo's included."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reclamations.complaints.enums import EventType, event_label
from reclamations.complaints.event_reading import event_text
from reclamations.complaints.installation import Via, installation_create
from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.organisation_events import organisation_settings_update
from reclamations.core.installation import InstallationRefused, NewManager
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation
from reclamations.reporting.integrity import verify_all

pytestmark = pytest.mark.usefixtures("clock")

SETTINGS = {
    "name": "Formations du Lagon",
    "address": "12 rue de Paris\n97400 Saint-Denis",
    "complaints_email": "reclamations@lagon.re",
    "referent_name": "Marie Hoarau",
    "time_zone": "Indian/Reunion",
    "holiday_subdivision": "974",
    "deadline_days": "10",
    "calendar_kind": "ouvrables",
}
MANAGER = NewManager(username="marie", email="marie@lagon.re", first_name="Marie")


def _install(**overrides) -> object:
    return installation_create(values={**SETTINGS, **overrides}, manager=MANAGER, via=Via.COMMAND)


def test_the_organisation_and_its_manager_are_created_with_a_provisional_password(db):
    installed = _install()

    organisation = Organisation.objects.get()
    manager = User.objects.get()
    assert installed.organisation == organisation
    assert installed.manager == manager
    assert (organisation.name, organisation.holiday_subdivision, organisation.time_zone) == (
        "Formations du Lagon",
        "974",
        "Indian/Reunion",
    )
    assert (manager.role, manager.organisation, manager.password_provisional) == (
        Role.MANAGER,
        organisation,
        True,
    )
    assert len(installed.provisional_password) >= 12
    assert manager.check_password(installed.provisional_password)


def test_a_chosen_password_is_kept_and_not_provisional(db):
    installed = installation_create(
        values=SETTINGS,
        manager=NewManager(username="marie", email="marie@lagon.re", password="Lagon bleu 2026"),
        via=Via.COMMAND,
    )

    assert installed.provisional_password == ""
    assert installed.manager.password_provisional is False
    assert installed.manager.check_password("Lagon bleu 2026")


def test_the_chronology_opens_with_every_setting_and_verify_accepts_it(db):
    _install()

    event = ComplaintEvent.objects.get()
    assert (event.sequence, event.event_type, event.actor, event.actor_name) == (
        1,
        EventType.ORGANISATION_CREATED,
        None,
        "Système",
    )
    assert (event.data["manager"], event.data["via"]) == ("marie", "command")
    assert event.data["settings"]["holiday_subdivision"] == "974"
    assert event.data["settings"]["deadline_days"] == 10
    assert event.data["settings"]["extra_closures"] == []
    assert event.data["settings"]["two_factor_for_referents"] is False
    assert [(result.ok, list(result.findings)) for result in verify_all()] == [(True, [])]


@pytest.mark.tampered
def test_a_setting_changed_behind_the_chronology_is_found_from_the_first_day(db):
    _install()

    Organisation.objects.update(deadline_days=30)

    [result] = verify_all()
    assert list(result.findings) == [
        "réglages : délai de réponse (jours) (« 30 ») ne correspond pas à la chronologie (« 10 »)"
    ]


def test_later_changes_are_replayed_on_the_settings_it_started_with(db):
    installed = _install()

    organisation_settings_update(
        organisation=installed.organisation, actor=installed.manager, values={"deadline_days": "15"}
    )

    assert list(
        ComplaintEvent.objects.values_list("event_type", flat=True).order_by("sequence")
    ) == [
        EventType.ORGANISATION_CREATED,
        EventType.SETTINGS_CHANGED,
    ]
    assert [(result.ok, list(result.findings)) for result in verify_all()] == [(True, [])]


def test_wrong_values_are_refused_field_by_field_and_nothing_is_written(db):
    with pytest.raises(ValidationError) as raised:
        installation_create(
            values={**SETTINGS, "complaints_email": "", "time_zone": "Lune/Mer", "siret": "123"},
            manager=NewManager(username="", email="marie", password="court"),
            via=Via.COMMAND,
        )

    assert raised.value.message_dict == {
        "complaints_email": [
            "Indiquez l'adresse e-mail où les clients envoient leurs réclamations (par exemple "
            "reclamations@votre-organisme.fr)."
        ],
        "time_zone": [
            "Fuseau horaire inconnu « Lune/Mer » : utilisez un nom de la base IANA, par exemple "
            "Europe/Paris, Indian/Reunion ou America/Cayenne."
        ],
        "siret": ["Le SIRET compte 14 chiffres (espaces permis)."],
        "manager_username": ["Choisissez le nom d'utilisateur."],
        "manager_email": ["Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."],
        "manager_password": [
            "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères."
        ],
    }
    assert (Organisation.objects.count(), User.objects.count(), ComplaintEvent.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_second_organisation_is_refused_and_says_where_to_go(db):
    _install()

    with pytest.raises(InstallationRefused) as raised:
        installation_create(
            values={**SETTINGS, "name": "Autre"},
            manager=NewManager(username="paul", email="paul@lagon.re"),
            via=Via.COMMAND,
        )

    assert raised.value.message == (
        "L'organisme « Formations du Lagon » est déjà enregistré : l'initialisation ne se fait "
        "qu'une fois. Ses réglages se modifient sur la page Réglages, et un compte s'ajoute avec "
        "« reclamations user add » ou la page Utilisateurs."
    )
    assert (Organisation.objects.count(), User.objects.count()) == (1, 1)


def test_the_demo_is_never_the_ground_of_a_real_register(db):
    ensure_seed_organisation()

    with pytest.raises(InstallationRefused) as raised:
        _install()

    assert raised.value.message == (
        "Cette installation contient la démonstration (CCS) : un registre réel ne s'y mêle pas. "
        "Initialisez-le sur un dossier de données vide (RECLAMATIONS_DATA_DIR) et, avec "
        "PostgreSQL, une base vide (DATABASE_URL) : voir docs/first-run.md."
    )
    assert list(Organisation.objects.values_list("name", "demo")) == [("CCS", True)]


def test_the_event_reads_in_french_in_the_journal(db):
    _install()

    event = ComplaintEvent.objects.get()
    text = event_text(event.event_type, event.data)

    assert "Premier compte responsable : marie" in text.splitlines()
    assert "Créé par : la commande reclamations init" in text.splitlines()
    assert "Jours fériés régionaux : 974" in text
    assert "Délai de réponse (jours) : 10" in text


def test_the_event_reads_in_english_for_an_english_reader(db):
    _install()

    event = ComplaintEvent.objects.get()
    with translation.override("en"):
        lines = event_text(event.event_type, event.data).splitlines()
        label = event_label(event.event_type)

    assert label == "Organisation created"
    assert "First manager account : marie" in lines
    assert "Created by : the reclamations init command" in lines
