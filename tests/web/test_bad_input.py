"""Bad input never gives a 500 on the staff pages: a reception no complaint can have, a NUL
typed or in the address, date filters at the ends of the calendar; a form error keeps what was
typed. The same answers on SQLite and PostgreSQL."""

import pytest
from django.urls import reverse

from reclamations.complaints.models import Complaint
from reclamations.core.reception import OUT_OF_RANGE
from tests.factories import make_complaint

from .helpers import field_errors

NEW = reverse("complaint_new")
UNSTORABLE = (
    "Caractère impossible à enregistrer (caractère nul ou moitié de caractère Unicode) : "
    "retirez-le et recommencez."
)


def _letter(**changes):
    return {
        "channel": "letter",
        "received_date": "2026-11-02",
        "received_time": "08:30",
        "client_name": "Julie Martin",
        "description": "Trois séances annulées sans préavis.",
        "kind": "complaint",
        "severity": "medium",
        "confirmation_requested_via": "email",
        "backdating_reason": "Courrier retrouvé.",
        **changes,
    }


@pytest.mark.parametrize(
    ("day", "time"),
    [
        ("0001-01-01", ""),  # midnight in Paris (+00:09:21 then) is in year 0 in UTC
        ("0001-01-01", "10:00"),
        ("1999-12-31", "23:59"),
    ],
)
def test_a_reception_before_2000_is_refused_and_the_form_keeps_it(referent_client, day, time):
    response = referent_client.post(NEW, _letter(received_date=day, received_time=time))

    assert response.status_code == 400
    assert field_errors(response, "received_date") == [OUT_OF_RANGE]
    assert f'name="received_date" value="{day}"' in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_nul_typed_in_a_text_is_refused_with_the_services_message(referent_client):
    response = referent_client.post(NEW, _letter(client_name="Julie\x00 Martin"))

    assert response.status_code == 400
    assert field_errors(response, "client_name") == [UNSTORABLE]
    assert response.context["form"]["description"].value() == (
        "Trois séances annulées sans préavis."
    )
    assert Complaint.objects.count() == 0


def test_correcting_the_reception_to_year_1_is_refused(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    url = reverse("complaint_action", args=[complaint.reference, "update_details"])
    form = referent_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(received_date="0001-01-01", received_time="", reason="Erreur de saisie.")

    response = referent_client.post(url, data)

    assert response.status_code == 400
    assert list(response.context["form"].non_field_errors()) == [OUT_OF_RANGE]
    assert 'name="received_date" value="0001-01-01"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/?received_from=0001-01-01&received_to=9999-12-31",
        "/statistiques/?start=0001-01-01&end=9999-12-31",
        "/statistiques.pdf?start=0001-01-01",
        "/journal/?recorded_from=0001-01-01&recorded_to=9999-12-31",
        "/journal.csv?recorded_from=0001-01-01&recorded_to=9999-12-31",
        "/registre.csv?received_from=0001-01-01&received_to=9999-12-31",
        "/registre.xlsx?received_from=0001-01-01&received_to=9999-12-31",
        "/dossier-audit.zip?start=0001-01-01",
    ],
)
def test_date_filters_at_the_ends_of_the_calendar_never_give_a_500(
    manager_client, organisation, referent, url
):
    make_complaint(organisation, referent)

    response = manager_client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)

    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/?training=a%00", "training", UNSTORABLE),
        (
            "/journal/?actor=%00",
            "actor",
            "Choix inconnu : sélectionnez une valeur de la liste. Ce filtre est ignoré.",
        ),
    ],
)
def test_a_nul_in_a_filter_is_refused_next_to_it_and_the_page_shown(
    referent_client, url, field, message
):
    response = referent_client.get(url)

    assert response.status_code == 200
    assert list(response.context["form"].errors[field]) == [message]


def test_a_nul_in_the_search_finds_what_the_rest_finds(referent_client, organisation, referent):
    make_complaint(organisation, referent)

    response = referent_client.get("/?q=mar%00tin")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/reclamations/REC-2026-0001%00/", "/reclamations/REC%00/dossier.pdf", "/ameliorations/A%00/"],
)
def test_a_nul_in_the_path_is_a_404_page(referent_client, organisation, referent, url):
    make_complaint(organisation, referent)

    response = referent_client.get(url)

    assert response.status_code == 404
    assert "Adresse invalide : elle contient un caractère nul (%00)." in (response.content.decode())
