"""GET /api/v1/statistics: the statistics page's figures, for every reader; GET
/api/v1/audit-pack: the audit pack of a period."""

import io
import zipfile

import pytest
from django.test import Client

from reclamations.complaints.services import complaint_apply
from reclamations.reporting.pack_check import check_pack
from tests.clock import at
from tests.factories import REPLY, make_complaint

from .helpers import FRIDAY_NOON, INVALID_DATA, NO_TOKEN

pytestmark = pytest.mark.clock(FRIDAY_NOON)
URL = "/api/v1/statistics"


@pytest.fixture
def register(clock, organisation, referent):
    replied = make_complaint(organisation, referent, received_at=at(2025, 3, 3), training="Excel")
    complaint_apply(
        complaint=replied,
        actor=referent,
        action="reply",
        data={**REPLY, "replied_on": "2025-03-05"},
    )
    make_complaint(organisation, referent, received_at=at(2024, 2, 5), channel="letter")


def test_the_year_to_date_beside_the_same_dates_a_year_earlier(register, auditor_api):
    response = auditor_api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"from": "2025-01-01", "to": "2025-03-14"}
    assert body["compared"] == {"from": "2024-01-01", "to": "2024-03-14"}
    assert body["received"] == {"value": 1, "previous": 1}
    assert body["by_month"] == [
        {"label": "janvier 2025", "value": 0, "previous": 0},
        {"label": "février 2025", "value": 0, "previous": 1},
        {"label": "mars 2025", "value": 1, "previous": 0},
    ]
    assert body["channel"] == [
        {"label": "Courrier", "value": 0, "previous": 1},
        {"label": "E-mail", "value": 1, "previous": 0},
    ]
    assert body["training"] == [
        {"label": "Excel", "value": 1, "previous": 0},
        {"label": "Non renseigné", "value": 0, "previous": 1},
    ]
    assert body["days_to_reply"] == {
        "value": {"complaints": 1, "median": 2.0, "p90": 2},
        "previous": {"complaints": 0, "median": None, "p90": None},
    }
    assert body["replied_on_time"]["value"] == {"replied": 1, "on_time": 1, "percent": 100.0}
    assert body["unit"] == "jours ouvrables"
    assert set(body) >= {"open_by_age", "repeats", "mediation", "litigation", "kind", "funding"}


def test_a_period_is_chosen_by_its_days(register, referent_api):
    body = referent_api.get(f"{URL}?from=2024-02-01&to=2024-02-29").json()
    assert body["received"] == {"value": 1, "previous": 0}
    assert body["compared"] == {"from": "2023-02-01", "to": "2023-02-28"}


REVERSED = "La date de début est postérieure à la date de fin."
TOO_LONG = "La période dépasse dix ans : choisissez-en une plus courte."


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("from=2025-03-01&to=2025-01-01", {"from": [REVERSED]}),
        ("from=0001-01-01&to=9999-12-31", {"to": [TOO_LONG]}),
    ],
)
def test_a_wrong_period_is_a_400_in_french(referent_api, db, query, errors):
    response = referent_api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json() == {"detail": INVALID_DATA, "errors": errors}


def test_without_a_token_nothing_is_said(db):
    response = Client().get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}


def test_the_audit_pack_comes_as_a_zip_that_verifies(register, auditor_api):
    response = auditor_api.get("/api/v1/audit-pack?from=2025-03-01&to=2025-03-14")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="dossier-audit-reclamations-ccs-2025-03-01-au-2025-03-14.zip"'
    )
    pack = b"".join(response.streaming_content)
    assert check_pack(io.BytesIO(pack)).ok
    assert "registre/registre.pdf" in zipfile.ZipFile(io.BytesIO(pack)).namelist()


def test_a_wrong_period_for_the_audit_pack_is_a_400(referent_api, db):
    response = referent_api.get("/api/v1/audit-pack?from=2025-03-01&to=2025-01-01")
    assert response.status_code == 400
    assert response.json()["errors"] == {"from": [REVERSED]}


def test_the_figures_can_be_limited_to_a_training_and_say_so(register, referent_api):
    body = referent_api.get(f"{URL}?from=2025-01-01&to=2025-12-31&training=Excel").json()

    assert body["scope"] == {"training": "Excel"}
    assert body["received"] == {"value": 1, "previous": 0}
    assert referent_api.get(f"{URL}?training=Word").json()["received"]["value"] == 0


def test_the_causes_offered_are_listed_for_every_reader(auditor_api, organisation):
    organisation.cause_list = ["Salle inadaptée", "Retard de convocation"]
    organisation.save()

    response = auditor_api.get("/api/v1/causes")

    assert response.status_code == 200
    assert response.json() == {"causes": ["Salle inadaptée", "Retard de convocation"]}


def test_the_annual_synthesis_comes_as_a_pdf_and_a_year_to_come_is_a_400(register, auditor_api):
    response = auditor_api.get("/api/v1/annual-synthesis?year=2025")
    future = auditor_api.get("/api/v1/annual-synthesis?year=2026")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert future.status_code == 400
    assert future.json()["errors"] == {
        "year": ["L'année 2026 n'a pas commencé : choisissez une année passée ou celle en cours."]
    }
