"""Bearer tokens: who may call, what each role may do, and the organisation's walls."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.models import ApiToken, User
from reclamations.core.roles import Role
from reclamations.core.users import token_create
from tests.factories import make_complaint

from .helpers import FRIDAY_NOON, NO_TOKEN, NOT_FOUND, READ_ONLY, bearer_client, post_json

pytestmark = pytest.mark.clock(FRIDAY_NOON)

LIST = "/api/v1/complaints"


def test_request_without_token_is_refused_with_401(db):
    response = Client().get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "header",
    ["Bearer rec_not-a-real-token", "Bearer ", "Token rec_abc", "rec_abc", "Basic dXNlcjpwYXNz"],
)
def test_request_with_unknown_or_malformed_token_is_refused_with_401(referent, header):
    token_create(user=referent)

    response = Client(HTTP_AUTHORIZATION=header).get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}


def test_revoked_token_is_refused_with_401(referent):
    raw = token_create(user=referent)
    ApiToken.objects.filter(user=referent).update(revoked_at=timezone.now())

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}


def test_token_of_deactivated_account_is_refused_with_401(referent):
    raw = token_create(user=referent)
    User.objects.filter(pk=referent.pk).update(is_active=False)

    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}


def test_logged_in_session_without_token_is_refused_with_401(referent_client):
    response = referent_client.get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}


def test_account_without_organisation_is_refused_with_403(db):
    user = User.objects.create(username="orphelin", role=Role.REFERENT)

    response = bearer_client(user).get(LIST)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Ce compte n'est rattaché à aucun organisme : demandez à un administrateur "
        "de le rattacher."
    }


def test_token_lookup_records_last_use_at_most_every_five_minutes(referent, clock):
    raw = token_create(user=referent)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    first_use = timezone.now()

    client.get(LIST)
    clock.shift(timedelta(minutes=5))
    with CaptureQueriesContext(connection) as within_five_minutes:
        client.get(LIST)
    last_used_after_five_minutes = ApiToken.objects.get(user=referent).last_used_at
    clock.shift(timedelta(seconds=1))
    with CaptureQueriesContext(connection) as after_five_minutes:
        client.get(LIST)

    assert last_used_after_five_minutes == first_use
    assert ApiToken.objects.get(user=referent).last_used_at == first_use + timedelta(
        minutes=5, seconds=1
    )
    assert [q["sql"] for q in within_five_minutes if q["sql"].startswith("UPDATE")] == []
    assert len([q for q in after_five_minutes if q["sql"].startswith("UPDATE")]) == 1


def test_first_use_of_a_token_records_it(referent, clock):
    raw = token_create(user=referent)

    Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LIST)

    assert ApiToken.objects.get(user=referent).last_used_at == timezone.now()


@pytest.mark.parametrize("client_fixture", ["referent_api", "manager_api", "admin_api"])
def test_handler_roles_may_register_a_complaint(request, client_fixture, organisation):
    client = request.getfixturevalue(client_fixture)

    response = post_json(
        client, LIST, {"channel": "api", "received_at": timezone.now().isoformat()}
    )

    assert response.status_code == 201
    assert Complaint.objects.filter(organisation=organisation).count() == 1


def test_auditor_may_read_the_register_and_a_complaint(auditor_api, organisation, referent):
    complaint = make_complaint(organisation, referent)

    listing = auditor_api.get(LIST)
    detail = auditor_api.get(f"{LIST}/{complaint.reference}")

    assert listing.status_code == 200
    assert [row["reference"] for row in listing.json()["results"]] == [complaint.reference]
    assert detail.status_code == 200
    assert detail.json()["allowed_actions"] == []


def test_auditor_registering_a_complaint_is_refused_with_403_and_nothing_is_written(
    auditor_api, organisation
):
    response = post_json(
        auditor_api,
        LIST,
        {"channel": "email", "received_at": timezone.now().isoformat(), "client_name": "X"},
    )

    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0


def test_auditor_is_refused_with_403_even_when_the_body_is_invalid(auditor_api, organisation):
    response = auditor_api.post(LIST, "not json", content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}


def test_auditor_applying_an_action_is_refused_with_403_and_nothing_changes(
    auditor_api, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    events_before = ComplaintEvent.objects.count()

    response = post_json(
        auditor_api,
        f"{LIST}/{complaint.reference}/actions",
        {"action": "add_note", "text": "Vu en audit."},
    )

    complaint.refresh_from_db()
    assert response.status_code == 403
    assert response.json() == {"detail": READ_ONLY}
    assert ComplaintEvent.objects.count() == events_before
    assert complaint.status == "in_progress"


def test_another_organisation_sees_an_empty_register(outsider_api, organisation, referent):
    make_complaint(organisation, referent)

    response = outsider_api.get(LIST)

    assert response.status_code == 200
    assert response.json() == {"count": 0, "page": 1, "page_size": 25, "pages": 0, "results": []}


def test_another_organisations_reference_is_not_found(outsider_api, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = outsider_api.get(f"{LIST}/{complaint.reference}")

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}


def test_action_on_another_organisations_complaint_is_not_found_and_changes_nothing(
    outsider_api, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    events_before = ComplaintEvent.objects.count()

    response = post_json(
        outsider_api,
        f"{LIST}/{complaint.reference}/actions",
        {"action": "add_note", "text": "Intrusion."},
    )

    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND}
    assert ComplaintEvent.objects.count() == events_before


def test_same_reference_in_two_organisations_resolves_to_the_callers_own(
    outsider_api, outsider, other_organisation, organisation, referent
):
    ours = make_complaint(organisation, referent, client_name="Chez nous")
    other_organisation.reference_prefix = ours.reference.split("-")[0]
    other_organisation.save()
    theirs = make_complaint(other_organisation, outsider, client_name="Chez eux")

    response = outsider_api.get(f"{LIST}/{theirs.reference}")

    assert theirs.reference == ours.reference
    assert response.status_code == 200
    assert response.json()["client_name"] == "Chez eux"
