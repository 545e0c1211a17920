"""Bad input never gives a 500 through the API: text no database stores, receptions no
complaint can have, a NUL in the address, a request Django refuses before the API; the same
answers on SQLite and PostgreSQL."""

import pytest

from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.reception import OUT_OF_RANGE
from tests.factories import make_complaint

from .helpers import FRIDAY_NOON, INVALID_DATA, post_json

pytestmark = pytest.mark.clock(FRIDAY_NOON)

URL = "/api/v1/complaints"
MINIMAL = {"channel": "email", "received_at": "2025-03-14T09:30:00+01:00"}
UNSTORABLE = (
    "Caractère impossible à enregistrer (caractère nul ou moitié de caractère Unicode) : "
    "retirez-le et recommencez."
)
NUL = "\x00"
HALF_A_PAIR = "\ud800"  # a lone UTF-16 surrogate: JSON carries it, no encoding writes it


@pytest.fixture
def complaint(clock, organisation, referent) -> Complaint:
    return make_complaint(organisation, referent)


@pytest.mark.parametrize("character", [NUL, HALF_A_PAIR], ids=["nul", "surrogate"])
def test_text_no_database_stores_is_refused_per_field_at_registration(
    clock, referent_api, organisation, character
):
    body = {**MINIMAL, "client_name": f"Julie{character}", "description": f"a{character}b"}

    response = post_json(referent_api, URL, body)

    assert response.status_code == 400
    assert response.json() == {
        "detail": INVALID_DATA,
        "errors": {"client_name": [UNSTORABLE], "description": [UNSTORABLE]},
    }
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("character", [NUL, HALF_A_PAIR], ids=["nul", "surrogate"])
def test_text_no_database_stores_is_refused_in_an_action(referent_api, complaint, character):
    response = post_json(
        referent_api,
        f"{URL}/{complaint.reference}/actions",
        {"action": "add_note", "text": f"Appel{character} du client."},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"text": [UNSTORABLE]}
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_an_unknown_action_quoting_half_a_pair_is_answered_in_json(referent_api, complaint):
    response = post_json(
        referent_api, f"{URL}/{complaint.reference}/actions", {"action": f"x{HALF_A_PAIR}"}
    )

    assert response.status_code == 400
    assert response.json()["errors"]["action"][0].startswith("Action inconnue « x\\ud800 ».")


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00:00+01:00",  # year 0 in UTC: Python cannot shift it
        "0001-01-01T10:00:00+01:00",
        "0100-06-01T10:00:00+00:00",
        "1999-12-31T22:59:59Z",  # 23:59:59 in Paris
        "9999-12-31T23:00:00-01:00",  # year 10000 in UTC
    ],
)
def test_a_reception_before_2000_or_beyond_what_python_shifts_is_a_400(
    clock, referent_api, organisation, received_at
):
    body = {**MINIMAL, "received_at": received_at, "backdating_reason": "Courrier retrouvé."}

    response = post_json(referent_api, URL, body)

    assert response.status_code == 400
    assert response.json() == {"detail": INVALID_DATA, "errors": {"received_at": [OUT_OF_RANGE]}}
    assert Complaint.objects.count() == 0


def test_a_reception_on_the_first_day_of_2000_in_paris_is_registered(
    clock, referent_api, organisation
):
    body = {
        **MINIMAL,
        "received_at": "1999-12-31T23:00:00Z",
        "backdating_reason": "Courrier retrouvé aux archives.",
    }

    response = post_json(referent_api, URL, body)

    assert response.status_code == 201
    assert response.json()["received_at"] == "2000-01-01T00:00:00+01:00"


def test_correcting_the_reception_to_year_1_is_a_400(referent_api, complaint):
    response = post_json(
        referent_api,
        f"{URL}/{complaint.reference}/actions",
        {
            "action": "update_details",
            "received_at": "0001-01-01T00:00:00+01:00",
            "reason": "Erreur de saisie.",
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"received_at": [OUT_OF_RANGE]}


@pytest.mark.parametrize(
    "url",
    [
        f"{URL}?received_from=0001-01-01&received_to=9999-12-31",
        "/api/v1/statistics?from=0001-01-01",
        "/api/v1/statistics?to=9999-12-31",
        "/api/v1/journal?from=0001-01-01&to=9999-12-31",
        "/api/v1/register?from=0001-01-01&to=9999-12-31",
        "/api/v1/audit-pack?from=0001-01-01",
    ],
)
def test_date_filters_at_the_ends_of_the_calendar_never_give_a_500(referent_api, complaint, url):
    response = referent_api.get(url)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["detail"] == INVALID_DATA


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"{URL}?q=a%00b", "q"),
        (f"{URL}?training=a%00b", "training"),
        ("/api/v1/statistics?cause=a%00", "cause"),
        ("/api/v1/register?session=a%00", "session"),
    ],
)
def test_a_nul_in_a_parameter_is_a_400_naming_it(referent_api, complaint, url, parameter):
    response = referent_api.get(url)

    message = (
        f"Paramètre « {parameter} » invalide : il contient un caractère nul (%00) ; retirez-le "
        "de l'adresse."
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {parameter: [message]}}


@pytest.mark.parametrize(
    "url", [f"{URL}/REC-2025-0001%00", f"{URL}/REC%00/actions", "/api/v1/improvement-actions/A%00"]
)
def test_a_nul_in_the_path_is_a_json_404(referent_api, complaint, url):
    response = referent_api.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Adresse invalide : elle contient un caractère nul (%00)."}


def test_a_host_django_does_not_serve_is_a_json_400(referent_api):
    response = referent_api.get(URL, HTTP_HOST="attaquant.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    message = (
        "Requête invalide (en-tête, adresse ou corps mal formé) : vérifiez-la avant de la renvoyer."
    )
    assert response.json() == {"detail": message, "errors": {"__all__": [message]}}
