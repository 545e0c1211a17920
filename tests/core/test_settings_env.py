"""Settings helpers (config/env.py): parse the environment, fail fast in French on a bad value."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.env import env_bool, env_int, env_list, env_str
from tests.harness.settings_process import read_settings, start_refusal

NAME = "RECLAMATIONS_TEST_SETTING"


@pytest.fixture
def unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


def test_env_str_reads_the_value_as_is(monkeypatch):
    monkeypatch.setenv(NAME, "  valeur  ")

    assert env_str(NAME) == "  valeur  "


def test_env_str_default_when_unset(unset):
    assert env_str(NAME) == ""
    assert env_str(NAME, "défaut") == "défaut"


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "True", "yes", "on", " on "])
def test_env_bool_true_values(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off", "", "  "])
def test_env_bool_false_values(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME, default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default_when_unset(unset, default):
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("raw", ["oui", "peut-être", "2", "vrai"])
def test_env_bool_refuses_anything_else_in_french(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured) as raised:
        env_bool(NAME)

    assert str(raised.value) == f"{NAME} doit valoir true ou false (reçu : {raw!r})."


@pytest.mark.parametrize(("raw", "value"), [("25", 25), (" 8 ", 8), ("0", 0), ("-1", -1)])
def test_env_int_parses_integers(monkeypatch, raw, value):
    monkeypatch.setenv(NAME, raw)

    assert env_int(NAME, 3) == value


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_int_default_when_unset_or_blank(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, raw)

    assert env_int(NAME, 10485760) == 10485760


@pytest.mark.parametrize("raw", ["dix", "10 Mo", "2.5", "1e6"])
def test_env_int_refuses_a_non_integer_in_french(monkeypatch, raw):
    monkeypatch.setenv(NAME, raw)

    with pytest.raises(ImproperlyConfigured) as raised:
        env_int(NAME, 10)

    assert str(raised.value) == f"{NAME} doit être un nombre entier (reçu : {raw!r})."


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("reclamations.example.org", ["reclamations.example.org"]),
        ("a.example.org, b.example.org", ["a.example.org", "b.example.org"]),
        (" a.example.org ,, b.example.org , ", ["a.example.org", "b.example.org"]),
        ("", []),
        (" , ", []),
    ],
)
def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch, raw, value):
    monkeypatch.setenv(NAME, raw)

    assert env_list(NAME, ["défaut"]) == value


def test_env_list_default_when_unset(unset):
    assert env_list(NAME, ["127.0.0.1", "localhost"]) == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize(
    ("variable", "raw", "message"),
    [
        ("DEBUG", "peut-être", "DEBUG doit valoir true ou false (reçu : 'peut-être')."),
        (
            "RECLAMATIONS_UPLOAD_MAX_BYTES",
            "10 Mo",
            "RECLAMATIONS_UPLOAD_MAX_BYTES doit être un nombre entier (reçu : '10 Mo').",
        ),
    ],
)
def test_settings_refuse_to_start_on_a_bad_value(tmp_path, variable, raw, message):
    assert start_refusal(tmp_path, **{variable: raw}) == message


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"IMAP_AUTH": "jeton"}, "IMAP_AUTH doit valoir password ou oauth2 (reçu : 'jeton')."),
        (
            {"IMAP_AUTH": "oauth2"},
            "OAUTH2_CLIENT_ID est vide : l'identifiant de l'application enregistrée.",
        ),
        (
            {"EMAIL_AUTH": "oauth2", "OAUTH2_PROVIDER": "google", "OAUTH2_CLIENT_ID": "a",
             "OAUTH2_GRANT": "client_credentials", "OAUTH2_CLIENT_SECRET": "s"},
            "Gmail n'accepte pas OAUTH2_GRANT=client_credentials pour la messagerie : utilisez "
            "authorization_code (consentement du titulaire de la boîte).",
        ),
    ],
)  # fmt: skip
def test_an_oauth2_set_up_that_cannot_work_stops_the_start(tmp_path, variables, message):
    assert start_refusal(tmp_path, **variables) == message


def test_smtp_with_oauth2_sends_through_the_xoauth2_backend(tmp_path):
    result = read_settings(
        tmp_path,
        "import config.settings as s; print(s.EMAIL_BACKEND)",
        EMAIL_HOST="smtp.office365.com",
        EMAIL_AUTH="oauth2",
        OAUTH2_CLIENT_ID="00000000-0000-0000-0000-000000000000",
    )

    assert result.stdout.strip() == "reclamations.outbox.backends.OAuth2SmtpBackend"


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("postgres://app@db.example/reclamations", "-c max_parallel_workers_per_gather=0"),
        # An option of the address comes after, so that it prevails.
        (
            "postgres://app@db.example/reclamations?options=-c%20work_mem%3D64MB",
            "-c max_parallel_workers_per_gather=0 -c work_mem=64MB",
        ),
    ],
)
def test_postgresql_pages_run_without_parallel_workers(tmp_path, url, options):
    result = read_settings(
        tmp_path,
        "import config.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])",
        DATABASE_URL=url,
    )

    assert result.stdout.strip() == options, result.stderr[-2000:]


def test_the_test_database_s_connections_take_the_option(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
