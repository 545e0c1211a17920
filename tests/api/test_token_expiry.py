"""Tokens expire: the API refuses an expired or revoked token with the same French 401."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from reclamations.core.models import ApiToken
from reclamations.core.users import token_create, token_revoke

from .helpers import FRIDAY_NOON, NO_TOKEN

pytestmark = pytest.mark.clock(FRIDAY_NOON)

LIST = "/api/v1/complaints"


def _get(raw: str):
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(LIST)


def test_a_token_works_until_its_last_moment_then_is_refused(referent, clock):
    raw = token_create(user=referent, label="CRM", days=30)
    assert ApiToken.objects.get().expires_at == timezone.now() + timedelta(days=30)

    clock.shift(timedelta(days=30) - timedelta(seconds=1))
    assert _get(raw).status_code == 200

    clock.shift(timedelta(seconds=1))
    response = _get(raw)
    assert response.status_code == 401
    assert response.json() == {"detail": NO_TOKEN}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_token_lasts_a_year_unless_told(referent, clock):
    token_create(user=referent, label="CRM")

    assert ApiToken.objects.get().expires_at == timezone.now() + timedelta(days=365)


def test_a_revoked_token_is_refused_at_once(referent, clock):
    raw = token_create(user=referent, label="CRM")
    assert _get(raw).status_code == 200

    assert token_revoke(token=ApiToken.objects.get()) is True

    response = _get(raw)
    assert (response.status_code, response.json()) == (401, {"detail": NO_TOKEN})
    assert token_revoke(token=ApiToken.objects.get()) is False


@pytest.mark.parametrize("days", [0, -1, 731])
def test_a_token_lasts_one_day_to_two_years(referent, days):
    with pytest.raises(ValueError) as raised:
        token_create(user=referent, label="CRM", days=days)

    assert str(raised.value) == (
        f"Durée de validité invalide : entre 1 et 730 jours (reçu : {days})."
    )
    assert not ApiToken.objects.exists()
