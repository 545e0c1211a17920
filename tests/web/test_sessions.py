"""A staff session ends after RECLAMATIONS_SESSION_IDLE_MINUTES without a request, and
RECLAMATIONS_SESSION_MAX_HOURS after its login whatever happens."""

from datetime import timedelta

from django.urls import reverse

from .helpers import messages_of

REGISTER = reverse("register")


def test_a_session_used_every_few_minutes_stays_open(referent_client, clock):
    for _ in range(10):
        clock.shift(timedelta(minutes=25))
        assert referent_client.get(REGISTER).status_code == 200


def test_an_idle_session_ends_after_thirty_minutes(referent_client, clock):
    clock.shift(timedelta(minutes=30))
    assert referent_client.get(REGISTER).status_code == 200

    clock.shift(timedelta(minutes=30, seconds=1))
    response = referent_client.get(REGISTER)

    assert response["Location"] == "/connexion/?next=/"
    login = referent_client.get(response["Location"])
    assert messages_of(login) == ["Votre session a expiré : reconnectez-vous pour continuer."]
    assert referent_client.get(REGISTER).status_code == 302


def test_any_session_ends_ten_hours_after_its_login(referent_client, clock):
    for _ in range(40):
        clock.shift(timedelta(minutes=15))
        assert referent_client.get(REGISTER).status_code == 200

    clock.shift(timedelta(minutes=1))
    assert referent_client.get(REGISTER)["Location"] == "/connexion/?next=/"


def test_the_idle_time_is_a_setting(referent_client, clock, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60

    clock.shift(timedelta(minutes=5, seconds=1))

    assert referent_client.get(REGISTER).status_code == 302


def test_the_session_cookie_lasts_no_longer_than_the_maximum(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
