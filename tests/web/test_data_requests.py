"""The data subjects' requests' pages ("Données personnelles", "Demandes"), for managers: the
list with each request's clock, recording one, extending and deciding it; a form that comes
back keeps what was typed and says what is wrong, in French.

The clock stands at Monday 2 November 2026, 10:00 in Paris (tests/clock.py).
"""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.core.models import User
from reclamations.core.roles import Role
from reclamations.outbox.delivery import deliver_due
from reclamations.privacy.models import DataRequest, RequestKind, RequestStatus
from reclamations.privacy.requests import NewDataRequest, data_request_create
from tests.accounts import verified_login
from tests.factories import complaint_in_state, make_complaint

from .helpers import messages_of, text_of

LIST = reverse("data_requests")
NEW = reverse("data_request_new")
EMAIL = "ondine.verhaeghe@example.net"


def _request(organisation, manager, received_on=date(2026, 10, 20), kind=RequestKind.ERASURE):
    return data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=kind,
            person_name="Ondine Verhaeghe",
            person_email=EMAIL,
            received_on=received_on,
        ),
    )


def _detail(request: DataRequest) -> str:
    return reverse("data_request_detail", args=[request.pk])


def _post(client, request, step, **data):
    url = reverse(f"data_request_{step}", args=[request.pk])
    return client.post(url, {f"{step}-{name}": value for name, value in data.items()})


def test_the_list_shows_open_requests_first_with_their_clock(manager_client, organisation, manager):
    late = _request(organisation, manager, received_on=date(2026, 9, 30))
    soon = _request(organisation, manager, received_on=date(2026, 10, 8), kind=RequestKind.ACCESS)
    later = _request(organisation, manager, received_on=date(2026, 10, 30))

    response = manager_client.get(LIST)

    assert response.status_code == 200
    assert [item.pk for item, _clock in response.context["rows"]] == [late.pk, soon.pk, later.pk]
    page = text_of(response)
    assert "30/10/2026 En retard 3 jours de retard" in page
    assert "08/11/2026 Échéance proche 6 jours restants" in page
    assert "30/11/2026 28 jours restants" in page
    assert "Ondine Verhaeghe" in page


def test_the_list_reads_in_a_fixed_number_of_queries(manager_client, organisation, manager):
    _request(organisation, manager)
    with CaptureQueriesContext(connection) as one:
        manager_client.get(LIST)
    for _ in range(5):
        _request(organisation, manager)
    with CaptureQueriesContext(connection) as six:
        manager_client.get(LIST)

    assert len(six) == len(one)


@pytest.mark.parametrize("role", ["referent_client", "auditor_client"])
def test_referents_and_auditors_are_refused(request, role, organisation, manager):
    client = request.getfixturevalue(role)
    data_request = _request(organisation, manager)

    for url in (LIST, NEW, _detail(data_request)):
        assert client.get(url).status_code == 403


def test_another_organisations_manager_finds_nothing(other_organisation, organisation, manager):
    theirs = User.objects.create(
        username="responsable-b", role=Role.MANAGER, organisation=other_organisation
    )
    client = verified_login(Client(), theirs)
    data_request = _request(organisation, manager)

    assert client.get(_detail(data_request)).status_code == 404
    assert _post(client, data_request, "decide", decision="granted").status_code == 404
    assert data_request.pk not in [item.pk for item, _ in client.get(LIST).context["rows"]]


def test_a_request_is_recorded_with_the_persons_complaints(
    manager_client, organisation, manager, referent
):
    hers = make_complaint(organisation, referent, client_email=EMAIL)

    response = manager_client.post(
        NEW,
        {
            "kind": "erasure",
            "person_name": "Ondine Verhaeghe",
            "person_email": "Ondine.Verhaeghe@example.net",
            "received_on": "2026-10-31",
            "notes": "Par courrier recommandé.",
        },
        follow=True,
    )

    created = DataRequest.objects.get()
    assert response.redirect_chain == [(_detail(created), 302)]
    assert messages_of(response) == [
        f"Demande d'effacement n° {created.pk} enregistrée, réponse due le 30/11/2026 ; "
        "1 réclamation(s) rattachée(s)."
    ]
    page = text_of(response)
    assert "Échéance (un mois) 30/11/2026" in page
    assert f"{hers.reference} · reçue le 02/11/2026 · En cours de traitement" in page


def test_a_request_with_errors_comes_back_as_typed(manager_client):
    response = manager_client.post(
        NEW,
        {
            "kind": "access",
            "person_name": "Ondine Verhaeghe",
            "person_email": "ondine@",
            "received_on": "2026-12-01",
            "notes": "Par téléphone, à confirmer.",
        },
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "person_email": ["Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."],
        "received_on": [
            "La date de réception ne peut pas être dans le futur (aujourd'hui : 02/11/2026)."
        ],
    }
    page = response.content.decode()
    assert 'value="Ondine Verhaeghe"' in page and 'value="ondine@"' in page
    assert "Par téléphone, à confirmer." in page
    assert 'value="access" id="id_kind_0" checked' in page
    assert "<title>Erreur : Enregistrer une demande" in page
    assert DataRequest.objects.count() == 0


def test_an_extension_with_errors_keeps_its_reason(manager_client, organisation, manager):
    data_request = _request(organisation, manager, received_on=date(2026, 10, 1))

    response = _post(
        manager_client, data_request, "extend", months="1", told_on="2026-11-02",
        reason="Quarante pièces à rassembler.",
    )  # fmt: skip

    assert response.status_code == 400
    page = response.content.decode()
    assert "Quarante pièces à rassembler." in page
    assert "annoncée à la personne dans le premier mois, au plus tard le 01/11/2026" in page
    assert '<details class="step" open>' in page
    data_request.refresh_from_db()
    assert data_request.extended_to is None


def test_an_extension_is_recorded(manager_client, organisation, manager):
    data_request = _request(organisation, manager)

    response = _post(
        manager_client, data_request, "extend", months="2", told_on="2026-11-02",
        reason="Quarante pièces à rassembler.",
    )  # fmt: skip

    assert response.status_code == 302
    data_request.refresh_from_db()
    assert data_request.extended_to == date(2027, 1, 20)
    page = text_of(manager_client.get(_detail(data_request)))
    assert "Échéance prolongée 20/01/2027, annoncée à la personne le 02/11/2026" in page
    assert "Délai de réponse à une demande prolongé" in page  # its event, in the chronology
    assert "Prolonger le délai" not in page  # once only


def test_a_refusal_without_reason_comes_back(manager_client, organisation, manager):
    data_request = _request(organisation, manager, kind=RequestKind.OBJECTION)

    response = _post(manager_client, data_request, "decide", decision="refused", decided_on="")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez le motif : une demande refusée" in page
    assert "Indiquez la date de la décision." in page
    assert 'value="refused" id="id_decide-decision_2" checked' in page
    data_request.refresh_from_db()
    assert data_request.status == RequestStatus.OPEN


def test_an_erasure_decided_in_part_anonymises_the_closed_complaint(
    manager_client, organisation, manager, referent
):
    closed = complaint_in_state(organisation, referent, "closed", client_email=EMAIL)
    deliver_due()
    open_one = make_complaint(organisation, referent, client_email=EMAIL)
    data_request = _request(organisation, manager)
    page = text_of(manager_client.get(_detail(data_request)))
    assert f"{closed.reference} : close, peut être anonymisée." in page
    assert f"{open_one.reference} : ne peut pas être effacée : en cours de traitement" in page

    granted = _post(
        manager_client, data_request, "decide", decision="granted", decided_on="2026-11-02"
    )
    assert granted.status_code == 400
    assert "L'effacement ne peut pas être accordé en entier" in text_of(granted)

    response = _post(
        manager_client, data_request, "decide", decision="partly", decided_on="2026-11-02",
        reason="Votre réclamation en cours sera anonymisée une fois close.",
    )  # fmt: skip

    assert response.status_code == 302
    assert messages_of(manager_client.get(response["Location"])) == [
        f"Demande d'effacement n° {data_request.pk} : accordée en partie ; 1 réclamation(s) "
        "anonymisée(s)."
    ]
    closed.refresh_from_db()
    open_one.refresh_from_db()
    assert (closed.client_name, open_one.anonymised_on) == (PLACEHOLDER, None)


def test_the_complaints_concerned_are_edited(manager_client, organisation, manager, referent):
    data_request = _request(organisation, manager)
    letter = make_complaint(organisation, referent, channel="letter", client_email="")

    wrong = _post(manager_client, data_request, "edit", complaints="REC-1999-0001", notes="N")
    right = _post(manager_client, data_request, "edit", complaints=letter.reference, notes="")

    assert wrong.status_code == 400
    assert "Réclamation inconnue : REC-1999-0001." in wrong.content.decode()
    assert 'value="REC-1999-0001"' in wrong.content.decode()
    assert right.status_code == 302
    assert list(data_request.complaints.all()) == [letter]


def test_an_access_request_links_to_the_export(manager_client, organisation, manager):
    data_request = _request(organisation, manager, kind=RequestKind.ACCESS)

    page = manager_client.get(_detail(data_request)).content.decode()

    assert reverse("personal_data") in page


def test_the_personal_data_page_leads_to_the_requests(manager_client):
    page = manager_client.get(reverse("personal_data")).content.decode()

    assert f'href="{LIST}"' in page
