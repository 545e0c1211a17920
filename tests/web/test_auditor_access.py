"""An auditor's access: it ends by itself after its last day (pages, login, API token), and
what an auditor opened is kept for the managers to read."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.core.models import AccessRecord
from reclamations.core.users import token_create
from tests.conftest import PASSWORD
from tests.factories import make_complaint

from .helpers import field_errors, text_of

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026
ENDED = (
    "Votre accès a pris fin le dimanche 1 novembre 2026. Pour le prolonger, adressez-vous à un "
    "responsable de l'organisme."
)
USERS = reverse("users")


def _until(auditor, day):
    auditor.access_until = day
    auditor.save(update_fields=["access_until"])


def test_an_auditor_reads_up_to_the_last_day_included(auditor_client, auditor):
    _until(auditor, date(2026, 11, 2))
    assert auditor_client.get(reverse("register")).status_code == 200


def test_the_day_after_the_session_ends_with_the_reason(auditor_client, auditor):
    _until(auditor, date(2026, 11, 1))

    response = auditor_client.get(reverse("register"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert ENDED in text_of(response)
    assert auditor_client.get(reverse("journal")).status_code == 302  # logged out


def test_the_day_after_the_login_is_refused_with_the_reason(auditor):
    _until(auditor, date(2026, 11, 1))

    response = Client().post(reverse("login"), {"username": auditor.username, "password": PASSWORD})

    assert response.status_code == 200
    assert ENDED in text_of(response)


def test_the_day_after_the_api_token_is_refused(auditor):
    token = token_create(user=auditor)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/complaints").status_code == 200
    _until(auditor, date(2026, 11, 1))
    assert api.get("/api/v1/complaints").status_code == 401


def test_a_manager_gives_an_auditor_a_last_day(manager_client):
    account = {"username": "claire", "role": "auditor", "first_name": "Claire", "last_name": "Roux"}

    without = manager_client.post(USERS, account)
    past = manager_client.post(USERS, {**account, "access_until": "2026-11-01"})
    given = manager_client.post(USERS, {**account, "access_until": "2026-12-15"})

    assert field_errors(without, "access_until") == [
        "Indiquez jusqu'à quel jour l'auditeur aura accès."
    ]
    assert field_errors(past, "access_until") == [
        "Ce jour est passé : choisissez aujourd'hui ou plus tard."
    ]
    assert given.status_code == 200
    assert "Claire Roux claire — Auditeur·rice 15/12/2026 Actif" in text_of(
        manager_client.get(USERS)
    )


def test_what_an_auditor_opens_is_kept_and_shown_to_managers(
    auditor_client, auditor, referent_client, manager_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    auditor_client.get(reverse("register"), {"q": "martin"})
    auditor_client.get(reverse("complaint_detail", args=[complaint.reference]))
    auditor_client.get(reverse("register_export", args=["csv"]))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=auditor)}")
    api.get("/api/v1/statistics")
    referent_client.get(reverse("register"))  # a referent's reading is not an audit

    kept = list(
        AccessRecord.objects.order_by("at", "id").values_list("user", "method", "path", "status")
    )
    assert kept == [
        (auditor.pk, "GET", "/?q=martin", 200),
        (auditor.pk, "GET", f"/reclamations/{complaint.reference}/", 200),
        (auditor.pk, "GET", "/registre.csv", 200),
        (auditor.pk, "GET", "/api/v1/statistics", 200),
    ]
    page = text_of(manager_client.get(reverse("access_journal")))
    assert "GET /api/v1/statistics 200" in page
    assert page.index("/api/v1/statistics") < page.index("/?q=martin")  # the latest first


@pytest.mark.parametrize("reader", ["referent_client", "auditor_client"])
def test_only_managers_read_the_access_journal(request, reader):
    assert request.getfixturevalue(reader).get(reverse("access_journal")).status_code == 403


def test_the_access_journal_reads_in_a_fixed_number_of_queries(
    manager_client, auditor_client, organisation, referent
):
    auditor_client.get(reverse("register"))
    manager_client.get(reverse("access_journal"))
    with CaptureQueriesContext(connection) as one:
        manager_client.get(reverse("access_journal"))
    for _ in range(20):
        auditor_client.get(reverse("journal"))
    with CaptureQueriesContext(connection) as many:
        response = manager_client.get(reverse("access_journal"))
    assert len(response.context["page"].object_list) == 21
    assert len(many) == len(one)
