"""Nothing personal is kept by a browser, a proxy or a shared computer: every page, download,
API answer and client page says Cache-Control: no-store, private (web.middleware)."""

import pytest
from django.test import Client
from django.urls import reverse

from reclamations.complaints.client_access import issue_link
from reclamations.complaints.enums import DocumentRole
from tests.api.helpers import bearer_client
from tests.factories import make_complaint

from .helpers import PDF, upload


def _no_store(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def complaint(organisation, referent):
    return make_complaint(organisation, referent, original=upload("lettre.pdf", PDF))


def test_staff_pages_and_downloads_are_not_stored(referent_client, complaint):
    document = complaint.documents.get(role=DocumentRole.ORIGINAL)
    urls = [
        reverse("register"),
        reverse("complaint_detail", args=[complaint.reference]),
        reverse("document_download", args=[complaint.reference, document.id]),
        reverse("complaint_file", args=[complaint.reference]),
        "/registre.csv",
        "/journal/",
        "/statistiques/",
        "/reclamations/INCONNUE/",
    ]

    answers = {url: referent_client.get(url) for url in urls}

    assert {url: (r.status_code, _no_store(r)) for url, r in answers.items()} == {
        **{url: (200, True) for url in urls[:-1]},
        "/reclamations/INCONNUE/": (404, True),
    }


def test_api_answers_are_not_stored(referent, complaint):
    api = bearer_client(referent)
    urls = [
        "/api/v1/complaints",
        f"/api/v1/complaints/{complaint.reference}",
        "/api/v1/register?format=csv",
        "/api/v1/nulle-part",
    ]

    answers = {url: api.get(url) for url in urls}

    assert {url: (r.status_code, _no_store(r)) for url, r in answers.items()} == {
        "/api/v1/complaints": (200, True),
        f"/api/v1/complaints/{complaint.reference}": (200, True),
        "/api/v1/register?format=csv": (200, True),
        "/api/v1/nulle-part": (404, True),
    }
    assert _no_store(Client().get("/api/v1/complaints"))  # 401


def test_the_login_page_and_the_clients_pages_are_not_stored(client, complaint):
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]

    login = client.get(reverse("login"))
    home = client.get(reverse("portal_home"))
    client.post(f"/suivi/{path}")
    page = client.get(reverse("portal_complaint"))

    assert [(r.status_code, _no_store(r)) for r in (login, home, page)] == [
        (200, True),
        (200, True),
        (200, True),
    ]
