"""What happens to accounts, recorded by the real flows in the security journal
(core/security.py), and the login throttling (django-axes) keyed on the real client's address
behind a trusted proxy."""

import logging
from datetime import timedelta
from enum import StrEnum
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reclamations.core.models import SecurityRecord, User
from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.two_factor import enrolment_confirm, enrolment_device
from reclamations.worker import JOBS
from tests.accounts import code_now
from tests.conftest import PASSWORD

LOGIN = reverse("login")
CODE = reverse("login_code")
PROXY = "10.0.0.1"


def _kinds() -> list[str]:
    return list(SecurityRecord.objects.order_by("id").values_list("kind", flat=True))


def _login(client: Client, username: str, password: str, **headers: str):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.RECLAMATIONS_TRUSTED_PROXIES = [PROXY]


# --- the journal, through the real flows ----------------------------------------------------


def test_a_login_is_recorded_with_the_address_the_browser_and_the_organisation(referent):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Test) " + "x" * 300)

    assert _login(client, "referente", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 302

    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.username, record.organisation_id) == (
        SecurityEvent.LOGIN,
        referent,
        "referente",
        referent.organisation_id,
    )
    assert (record.address, record.path, len(record.user_agent)) == ("203.0.113.5", LOGIN, 200)
    assert record.user_agent.startswith("Mozilla/5.0 (Test) xxx")


def test_a_refused_login_is_recorded_for_the_account_named(referent):
    response = _login(Client(), "referente", "pas le bon", REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 200
    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.organisation_id, record.address) == (
        SecurityEvent.LOGIN_FAILED,
        referent,
        referent.organisation_id,
        "203.0.113.5",
    )


def test_a_refused_login_with_a_name_nobody_has_belongs_to_no_organisation(organisation):
    _login(Client(), "=HYPERLINK(x)", "n'importe", REMOTE_ADDR="203.0.113.5")

    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.organisation, record.username) == (
        SecurityEvent.LOGIN_FAILED,
        None,
        None,
        "=HYPERLINK(x)",
    )


def test_text_no_database_stores_is_cleaned_before_it_is_recorded(organisation):
    security_record(SecurityEvent.LOGIN_FAILED, username="ab\x00c\ud800" + "d" * 200)

    record = SecurityRecord.objects.get()
    assert record.username == "abc?" + "d" * 146


def test_a_logout_is_recorded(referent_client, referent):
    SecurityRecord.objects.all().delete()  # the fixture's login

    referent_client.post(reverse("logout"))

    assert _kinds() == [SecurityEvent.LOGOUT]


def test_second_factor_refused_then_accepted_is_recorded(manager, clock):
    device = enrolment_device(manager)
    enrolment_confirm(device=device, code=code_now(device))
    client = Client()
    _login(client, "responsable", PASSWORD)

    client.post(CODE, {"code": "000000" if code_now(device) != "000000" else "111111"})
    # django-otp's throttling after a wrong code, and the enrolment's code used already
    clock.shift(timedelta(seconds=30))
    client.post(CODE, {"code": code_now(device)})

    assert _kinds() == [
        SecurityEvent.LOGIN,
        SecurityEvent.SECOND_FACTOR_FAILED,
        SecurityEvent.SECOND_FACTOR,
    ]


def test_a_token_created_on_my_account_is_recorded(referent_client, referent):
    SecurityRecord.objects.all().delete()  # the fixture's login

    referent_client.post(reverse("api_token_create"), {"label": "Tableur", "days": "30"})

    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.detail[:11]) == (
        SecurityEvent.TOKEN_CREATED,
        referent,
        "prefix=rec_",
    )


def test_a_failure_to_record_is_logged_and_never_raised(referent, caplog):
    class Unknown(StrEnum):
        KIND = "not_a_kind"  # refused by the table's check constraint

    with caplog.at_level(logging.ERROR, logger="reclamations.security"):
        security_record(Unknown.KIND, user=referent)  # type: ignore[arg-type]

    assert SecurityRecord.objects.count() == 0
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "Journal de sécurité : not_a_kind de 'referente' non enregistré"
    ]
    # The caller's transaction is still usable (PostgreSQL aborts it on an error otherwise).
    security_record(SecurityEvent.LOGOUT, user=referent)
    assert _kinds() == [SecurityEvent.LOGOUT]


# --- login throttling by the real client's address -----------------------------------------


def test_a_client_behind_the_proxy_is_locked_out_and_it_is_recorded(throttled, referent):
    client = Client()
    for _ in range(3):
        _login(client, "referente", "faux", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    locked = _login(
        client, "referente", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert locked.status_code == 429
    # django-axes says the lockout before the failure that causes it is recorded; each attempt
    # meanwhile is refused, whatever the password, and said again.
    assert _kinds() == [
        SecurityEvent.LOGIN_FAILED,
        SecurityEvent.LOGIN_FAILED,
        SecurityEvent.LOCKED_OUT,
        SecurityEvent.LOGIN_FAILED,
        SecurityEvent.LOCKED_OUT,
        SecurityEvent.LOGIN_FAILED,
    ]
    lockout = SecurityRecord.objects.filter(kind=SecurityEvent.LOCKED_OUT).first()
    assert lockout is not None
    assert (lockout.user, lockout.address, lockout.detail) == (
        referent,
        "198.51.100.7",
        "3 échecs",
    )
    assert set(SecurityRecord.objects.values_list("address", flat=True)) == {"198.51.100.7"}


def test_two_clients_behind_one_proxy_do_not_lock_each_other_out(throttled, referent):
    for _ in range(4):
        _login(
            Client(), "referente", "faux", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7"
        )

    colleague = _login(
        Client(), "referente", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.8"
    )

    assert colleague.status_code == 302
    assert colleague["Location"] == reverse("my_work")  # logged in: a referent lands there


def test_a_forwarded_address_from_an_untrusted_peer_does_not_escape_the_lockout(
    throttled, referent
):
    for number in range(3):
        _login(
            Client(),
            "referente",
            "faux",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    again = _login(
        Client(),
        "referente",
        PASSWORD,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )

    assert again.status_code == 429
    assert set(SecurityRecord.objects.values_list("address", flat=True)) == {"203.0.113.9"}


# --- retention --------------------------------------------------------------------------------


def _record_at(user: User, days_ago: int) -> None:
    SecurityRecord.objects.create(
        organisation=user.organisation,
        user=user,
        username=user.username,
        kind=SecurityEvent.LOGIN,
        at=timezone.now() - timedelta(days=days_ago),
    )


def test_the_worker_purges_records_older_than_the_retention(settings, referent):
    settings.RECLAMATIONS_SECURITY_JOURNAL_DAYS = 365
    for days_ago in (400, 366, 364, 0):
        _record_at(referent, days_ago)
    (job,) = [job for job in JOBS if job.name == "purge-security-journal"]

    summary = job.run()

    assert summary == "2 événement(s) de plus de 365 jours supprimé(s)"
    assert SecurityRecord.objects.count() == 2


def test_the_purge_command_follows_the_setting(settings, referent):
    settings.RECLAMATIONS_SECURITY_JOURNAL_DAYS = 30
    for days_ago in (31, 29):
        _record_at(referent, days_ago)
    out = StringIO()

    call_command("purge-security-journal", stdout=out)

    assert out.getvalue() == (
        "Journal de sécurité : 1 événement(s) de plus de 30 jours supprimé(s).\n"
    )
    assert SecurityRecord.objects.count() == 1
