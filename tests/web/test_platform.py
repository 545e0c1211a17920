"""The super-administrator's pages (issue 12): after their own password and their second
factor, the installation's organisations (paginated, searched, one query a page whatever
their number) and Nouvel organisme (the first run's form and rules, a provisional password
shown once); every organisation's page refuses them, and theirs refuse everyone else."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.superadmins import superadmin_create
from reclamations.core.users import password_chosen
from reclamations.reporting.integrity import verify_all
from tests.accounts import verified_login

from .helpers import field_errors, text_of
from .test_first_run import FILLED

PLATFORM = reverse("platform")
NEW = reverse("platform_organisation_new")


@pytest.fixture
def superadmin(db) -> User:
    account = superadmin_create(username="plateforme", email="plateforme@example.fr").account
    password_chosen(user=account)
    return account


@pytest.fixture
def superadmin_client(superadmin) -> Client:
    return verified_login(Client(), superadmin)


def test_a_new_superadmin_changes_their_password_then_sets_up_two_factor(db):
    made = superadmin_create(username="plateforme", email="plateforme@example.fr")
    client = Client()
    client.force_login(made.account)

    landing = client.get(reverse("login"))
    to_password = client.get(landing["Location"])
    password_page = client.get(to_password["Location"])

    assert landing["Location"] == PLATFORM
    assert to_password["Location"].startswith(reverse("password_provisional"))
    assert password_page.status_code == 200
    password_chosen(user=made.account)
    to_enrol = client.get(PLATFORM)
    assert to_enrol["Location"].startswith(reverse("two_factor_enrol"))
    assert client.get(to_enrol["Location"]).status_code == 200


def test_the_list_shows_each_organisation_with_its_active_accounts(superadmin_client, manager):
    organisation = manager.organisation
    User.objects.create(username="parti", organisation=organisation, is_active=False)

    response = superadmin_client.get(PLATFORM)

    assert "1 organisme." in text_of(response)
    # The manager is active, the one who left is not.
    row = re.search(
        rf'<th scope="row">{re.escape(organisation.name)}</th>\s*<td>[^<]*</td>\s*<td>(\d+)</td>',
        response.content.decode(),
    )
    assert row is not None and row.group(1) == "1"


def test_the_list_is_searched_and_paginated_with_the_same_queries_for_3_or_60(superadmin_client):
    for number in range(60):
        Organisation.objects.create(name=f"Centre {number:02d}")

    with CaptureQueriesContext(connection) as queries:
        first = superadmin_client.get(PLATFORM)
    searched = text_of(superadmin_client.get(PLATFORM, {"q": "centre 5"}))
    second = text_of(superadmin_client.get(PLATFORM, {"page": 2}))

    assert "60 organismes." in text_of(first)
    assert "Centre 49" in text_of(first) and "Centre 50" not in text_of(first)
    assert "Centre 50" in second and "Page 2 sur 2" in second
    assert "10 organismes dont le nom contient « centre 5 »." in searched
    Organisation.objects.filter(name__gte="Centre 03").delete()
    with CaptureQueriesContext(connection) as few:
        superadmin_client.get(PLATFORM)
    assert len(queries) == len(few)


def test_a_new_organisation_and_its_manager_with_a_provisional_password(
    superadmin_client, superadmin, organisation
):
    form = {**FILLED, "manager_password1": "", "manager_password2": ""}

    response = superadmin_client.post(NEW, form)

    assert response.status_code == 200
    made = Organisation.objects.get(name="Formations Rhin")
    manager = User.objects.get(username="anne.keller")
    assert (manager.organisation, manager.role, manager.password_provisional) == (
        made,
        Role.MANAGER,
        True,
    )
    password = response.context["created"].provisional_password
    assert password in text_of(response) and manager.check_password(password)
    assert "no-store" in response["Cache-Control"]
    event = ComplaintEvent.objects.get(organisation=made)
    assert (event.event_type, event.actor, event.data["via"]) == (
        EventType.ORGANISATION_CREATED,
        superadmin,
        "platform",
    )
    assert all(result.ok for result in verify_all())


def test_a_wrong_form_is_refused_with_the_first_runs_messages(superadmin_client, manager):
    form = {**FILLED, "name": "", "manager_username": manager.username}

    response = superadmin_client.post(NEW, form)

    assert response.status_code == 400
    assert field_errors(response, "name") == ["Indiquez le nom de l'organisme."]
    assert field_errors(response, "manager_username") == [
        f"Le compte « {manager.username} » existe déjà."
    ]
    assert not Organisation.objects.filter(name="Formations Rhin").exists()


@pytest.mark.parametrize(
    "path", ["/", "/reglages/", "/utilisateurs/", "/journal/", "/statistiques/", "/compte/"]
)
def test_the_superadmin_is_refused_every_organisation_page(superadmin_client, organisation, path):
    assert superadmin_client.get(path).status_code == 403


def test_an_organisations_manager_is_refused_the_superadmins_pages(manager_client):
    assert manager_client.get(PLATFORM).status_code == 403
    assert manager_client.post(NEW, FILLED).status_code == 403
    assert not Organisation.objects.filter(name="Formations Rhin").exists()
