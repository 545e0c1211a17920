"""Mon travail: the referent's default page, the complaints that need someone list by list,
with the count in the navigation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clock import at
from tests.conftest import PASSWORD
from tests.factories import complaint_in_state, make_complaint

from .helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")
MY_WORK = reverse("my_work")


def test_the_lists_name_each_complaint_with_its_deadline(referent_client, organisation, referent):
    overdue = make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    replied = complaint_in_state(organisation, referent, "replied")

    page = referent_client.get(MY_WORK)

    text = text_of(page)
    assert "2 réclamations demandent une action." in text
    assert "En retard (1)" in text
    assert "Répondues, à clôturer (1)" in text
    assert "Échéance proche" not in text  # an empty list is left out
    html = page.content.decode()
    for complaint in (overdue, replied):
        assert f'href="{reverse("complaint_detail", args=[complaint.reference])}"' in html


def test_nothing_waiting_says_so(referent_client):
    text = text_of(referent_client.get(MY_WORK))

    assert "Rien en attente" in text


def test_the_navigation_counts_the_complaints_to_handle(referent_client, organisation, referent):
    make_complaint(organisation, referent, received_at=at(2026, 10, 12))

    html = referent_client.get(reverse("register")).content.decode()

    assert 'aria-label="1 réclamation à traiter">(1)</span>' in html


def test_the_navigation_s_figure_is_kept_until_the_register_changes(
    referent_client, organisation, referent, monkeypatch
):
    monkeypatch.setattr("reclamations.complaints.work_lists.WORK_COUNT_KEPT_SECONDS", 600)
    make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    referent_client.get(reverse("register"))

    with CaptureQueriesContext(connection) as unchanged:
        referent_client.get(reverse("register"))
    make_complaint(organisation, referent, received_at=at(2026, 10, 13))
    html = referent_client.get(reverse("register")).content.decode()

    counts = [query["sql"] for query in unchanged if "COALESCE" in query["sql"].upper()]
    assert counts == []  # read from the cache: the register had not changed
    assert 'aria-label="2 réclamations à traiter">(2)</span>' in html


def test_an_auditor_has_no_work_list(auditor_client):
    assert auditor_client.get(MY_WORK).status_code == 403


def test_a_referent_lands_on_the_work_lists_a_manager_on_the_register(referent, manager, client):
    for user, landing in ((referent, MY_WORK), (manager, reverse("register"))):
        client.logout()
        response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
        assert response["Location"] == landing


def test_the_page_reads_a_fixed_number_of_queries(referent_client, organisation, referent):
    make_complaint(organisation, referent, received_at=at(2026, 10, 12))
    with CaptureQueriesContext(connection) as few:
        referent_client.get(MY_WORK)
    for day in (5, 6, 7, 8, 9):
        make_complaint(organisation, referent, received_at=at(2026, 10, day))
    complaint_in_state(organisation, referent, "replied")

    with CaptureQueriesContext(connection) as many:
        page = referent_client.get(MY_WORK)

    assert "7 réclamations demandent une action." in text_of(page)
    assert len(many) == len(few)


def test_a_long_list_shows_its_first_ones_and_leads_to_the_register(
    referent_client, organisation, referent, monkeypatch
):
    monkeypatch.setattr("reclamations.complaints.work_lists.SHOWN_PER_LIST", 2)
    for day in (5, 6, 7):
        make_complaint(organisation, referent, received_at=at(2026, 10, day))

    response = referent_client.get(MY_WORK)

    assert len(response.context["lists"]["overdue"]) == 2
    assert "En retard (3)" in text_of(response)
    assert "Les 2 premières des 3 sont listées. Toutes dans le registre" in text_of(response)
    assert f'href="{reverse("register")}?overdue=1"' in response.content.decode()
