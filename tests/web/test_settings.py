"""The organisation's settings page and the organisation_update service behind it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reclamations.core.causes import DEFAULT_CAUSES
from reclamations.core.models import Organisation
from reclamations.core.services import organisation_update
from tests.factories import make_complaint

from .helpers import field_errors, messages_of, text_of

SETTINGS = reverse("organisation_settings")


def _current(client) -> dict[str, str]:
    """The settings form as the browser would send it back unchanged."""
    form = client.get(SETTINGS).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    return data


def test_settings_show_current_values(manager_client):
    response = manager_client.get(SETTINGS)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="name" value="CCS"' in page
    assert '<option value="" selected>Métropole</option>' in page
    assert '<option value="57">Alsace-Moselle (Moselle 57)</option>' in page
    assert 'name="deadline_days" value="10"' in page
    assert (
        "Une nouvelle règle de délai s'applique aux réclamations enregistrées ensuite : les "
        "échéances des réclamations déjà enregistrées ne sont pas recalculées."
    ) in text_of(response)


def test_settings_saved_with_message(manager_client, organisation):
    data = _current(manager_client)
    data.update(
        deadline_days="12",
        holiday_subdivision="57",
        calendar_kind="ouvres",
        carry_saturday="on",
        extra_closures="24/12/2026\r\n2026-12-31\r\n\r\n24/12/2026",
        mediator_name="Médiateur de la formation",
        mediator_cecmc_listed="on",
        siret="123 456 789 00012",
    )

    response = manager_client.post(SETTINGS, data, follow=True)

    organisation.refresh_from_db()
    assert messages_of(response) == ["Réglages enregistrés."]
    assert (
        organisation.deadline_days,
        organisation.holiday_subdivision,
        organisation.calendar_kind,
        organisation.carry_saturday,
        organisation.extra_closures,
        organisation.mediator_name,
        organisation.mediator_cecmc_listed,
        organisation.siret,
    ) == (
        12,
        "57",
        "ouvres",
        True,
        ["2026-12-24", "2026-12-31"],
        "Médiateur de la formation",
        True,
        "12345678900012",
    )
    assert "24/12/2026\n31/12/2026</textarea>" in response.content.decode()


def test_settings_unchanged_says_so(manager_client):
    response = manager_client.post(SETTINGS, _current(manager_client), follow=True)

    assert messages_of(response) == ["Aucune modification : les réglages sont inchangés."]


def test_settings_unknown_time_zone_refused_and_nothing_saved(manager_client, organisation):
    data = _current(manager_client)
    data.update(time_zone="Europe/Mouans", deadline_days="12")

    response = manager_client.post(SETTINGS, data)

    assert response.status_code == 400
    assert field_errors(response, "time_zone") == [
        "Fuseau horaire inconnu « Europe/Mouans » : utilisez un nom de la base IANA, par exemple "
        "Europe/Paris, Indian/Reunion ou America/Cayenne."
    ]
    assert 'name="deadline_days" value="12"' in response.content.decode()
    organisation.refresh_from_db()
    assert (organisation.time_zone, organisation.deadline_days) == ("Europe/Paris", 10)


def test_settings_deadline_days_out_of_range_refused(manager_client):
    data = _current(manager_client)
    data["deadline_days"] = "0"

    response = manager_client.post(SETTINGS, data)

    assert field_errors(response, "deadline_days") == [
        "Délai de réponse : saisissez un nombre entre 1 et 90 (reçu 0)."
    ]


def test_settings_bad_closure_line_refused(manager_client):
    data = _current(manager_client)
    data["extra_closures"] = "24/12/2026\n31/02/2026"

    response = manager_client.post(SETTINGS, data)

    assert field_errors(response, "extra_closures") == [
        "Ligne 2 : « 31/02/2026 » n'est pas une date valide. Écrivez une date par ligne, au "
        "format JJ/MM/AAAA ou AAAA-MM-JJ."
    ]


def test_settings_change_of_policy_keeps_existing_due_dates(manager_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    data = _current(manager_client)
    data["deadline_days"] = "20"

    manager_client.post(SETTINGS, data)

    complaint.refresh_from_db()
    organisation.refresh_from_db()
    later = make_complaint(organisation, referent)
    assert (complaint.due_date.isoformat(), later.due_date.isoformat()) == (
        "2026-11-14",
        "2026-11-26",
    )


def test_settings_forbidden_to_referent(referent_client):
    response = referent_client.get(SETTINGS)

    assert response.status_code == 403
    assert "Seuls les responsables gèrent les réglages et les comptes de l'organisme." in (
        text_of(response)
    )


def test_organisation_update_normalises_subdivision_alias(organisation, manager):
    changed = organisation_update(
        organisation=organisation, actor=manager, values={"holiday_subdivision": "La Réunion"}
    )

    organisation.refresh_from_db()
    assert (changed, organisation.holiday_subdivision) == (["holiday_subdivision"], "974")


def test_organisation_update_refuses_school_zone(organisation, manager):
    with pytest.raises(ValidationError) as raised:
        organisation_update(
            organisation=organisation, actor=manager, values={"holiday_subdivision": "Zone A"}
        )

    assert raised.value.message_dict == {
        "holiday_subdivision": [
            "« Zone A » est une zone de vacances scolaires, pas une région ayant ses propres "
            "jours fériés. Laissez vide pour la métropole."
        ]
    }


def test_organisation_update_reports_every_wrong_value(organisation, manager):
    with pytest.raises(ValidationError) as raised:
        organisation_update(
            organisation=organisation,
            actor=manager,
            values={
                "name": " ",
                "complaints_email": "reclamations",
                "website": "ccs-legal.fr",
                "reference_prefix": "RÉC-",
                "calendar_kind": "semaine",
                "due_soon_days": "beaucoup",
            },
        )

    assert raised.value.message_dict == {
        "name": ["Indiquez le nom de l'organisme."],
        "complaints_email": ["Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."],
        "website": ["Adresse web invalide : elle doit commencer par https:// (ou http://)."],
        "reference_prefix": [
            "Le préfixe ne contient que des lettres sans accent et des chiffres (par exemple REC)."
        ],
        "calendar_kind": [
            "Choisissez « Jours ouvrables (lundi au samedi) » ou « Jours ouvrés (lundi au "
            "vendredi) »."
        ],
        "due_soon_days": ["Alerte : saisissez un nombre entier entre 0 et 30."],
    }
    organisation.refresh_from_db()
    assert organisation.name == "CCS"


def test_organisation_update_refused_to_referent(organisation, referent):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=organisation, actor=referent, values={"name": "X"})

    assert Organisation.objects.get(pk=organisation.pk).name == "CCS"


def test_organisation_update_refused_for_another_organisation(other_organisation, manager):
    with pytest.raises(PermissionDenied):
        organisation_update(organisation=other_organisation, actor=manager, values={"name": "X"})


def test_the_causes_offered_are_edited_one_per_line(manager_client, organisation):
    data = _current(manager_client)
    assert data["cause_list"].startswith("Information avant l'entrée en formation")
    data["cause_list"] = "Salle inadaptée\r\n\r\nRetard de convocation\r\nsalle inadaptée"

    response = manager_client.post(SETTINGS, data, follow=True)

    organisation.refresh_from_db()
    assert messages_of(response) == ["Réglages enregistrés."]
    assert organisation.cause_list == ["Salle inadaptée", "Retard de convocation"]
    assert organisation.causes == ("Salle inadaptée", "Retard de convocation")


def test_an_emptied_list_of_causes_gives_the_default_one_back(manager_client, organisation):
    organisation.cause_list = ["Salle inadaptée"]
    organisation.save()
    data = _current(manager_client)
    data["cause_list"] = ""

    manager_client.post(SETTINGS, data)

    organisation.refresh_from_db()
    assert organisation.cause_list == []
    assert organisation.causes == DEFAULT_CAUSES


def test_a_cause_too_long_is_refused_and_the_list_kept(manager_client, organisation):
    data = _current(manager_client)
    data["cause_list"] = "Salle\n" + "x" * 121

    response = manager_client.post(SETTINGS, data)

    organisation.refresh_from_db()
    assert organisation.cause_list == []
    assert field_errors(response, "cause_list") == [
        f"« {'x' * 40}… » : une cause tient en 120 caractères au plus."
    ]


def test_the_retention_durations_are_set_on_the_page_and_written_in_the_chronology(
    manager_client, organisation
):
    data = _current(manager_client)
    assert (data["retention_archive_months"], data["retention_anonymise_months"]) == ("12", "60")
    data.update(retention_archive_months="24", retention_anonymise_months="72")

    manager_client.post(SETTINGS, data, follow=True)

    organisation.refresh_from_db()
    assert (organisation.retention_archive_months, organisation.retention_anonymise_months) == (
        24,
        72,
    )
    event = organisation.complaintevent_set.get(event_type="settings_changed")
    assert event.data["changes"]["retention_anonymise_months"] == [60, 72]


def test_anonymising_before_archiving_is_refused_and_what_was_typed_kept(manager_client):
    data = _current(manager_client)
    data.update(retention_archive_months="36", retention_anonymise_months="24")

    response = manager_client.post(SETTINGS, data)

    assert field_errors(response, "retention_anonymise_months") == [
        "L'anonymisation (24 mois) doit venir après l'archivage (36 mois) : allongez-la ou "
        "raccourcissez l'archivage."
    ]
    assert 'name="retention_archive_months" value="36"' in response.content.decode()


def test_the_order_is_checked_against_the_stored_duration_when_one_changes(organisation, manager):
    with pytest.raises(ValidationError) as refused:
        organisation_update(
            organisation=organisation, actor=manager, values={"retention_archive_months": 60}
        )

    assert "retention_anonymise_months" in refused.value.message_dict


def test_retention_durations_out_of_bounds_are_refused(organisation, manager):
    with pytest.raises(ValidationError) as refused:
        organisation_update(
            organisation=organisation,
            actor=manager,
            values={"retention_archive_months": 0, "retention_anonymise_months": 241},
        )

    assert refused.value.message_dict == {
        "retention_archive_months": ["Archivage : saisissez un nombre entre 1 et 120 (reçu 0)."],
        "retention_anonymise_months": [
            "Anonymisation : saisissez un nombre entre 12 et 240 (reçu 241)."
        ],
    }
