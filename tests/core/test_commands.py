"""The `reclamations` commands: deadline, verify, user, token, demo."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from reclamations.complaints.enums import Status
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.services import complaint_apply
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.users import user_for_token
from tests.clock import at
from tests.factories import make_complaint
from tests.harness.register_check import heads

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _console(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    """Run the installed console script on an empty SQLite data directory of its own."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "RECLAMATIONS_DATA_DIR": str(data_dir),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(CONSOLE_SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=data_dir,
        timeout=120,
        check=False,
    )


# --- deadline ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "2026-11-14"),
        (("--calendar", "ouvres"), "2026-11-17"),
        (("--calendar", "ouvrables"), "2026-11-14"),
        (("--days", "5"), "2026-11-07"),
        (("--days", "1"), "2026-11-03"),
        (("--calendar", "ouvres", "--days", "5"), "2026-11-09"),
    ],
)
def test_deadline_prints_the_due_date(args, expected):
    assert _run("deadline", "2026-11-02", *args) == f"{expected}\n"


@pytest.mark.django_db
def test_deadline_with_alsace_moselle_skips_st_stephen_day():
    # Received Friday 18 December 2026: 26 December is a holiday only in Alsace-Moselle.
    assert _run("deadline", "2026-12-18") == "2026-12-31\n"
    assert _run("deadline", "2026-12-18", "--subdivision", "57") == "2027-01-02\n"


def test_deadline_follows_the_organisation_settings(organisation):
    organisation.calendar_kind = "ouvres"
    organisation.deadline_days = 15
    organisation.save()

    assert _run("deadline", "2026-11-02") == "2026-11-24\n"
    assert _run("deadline", "2026-11-02", "--days", "10", "--calendar", "ouvrables") == (
        "2026-11-14\n"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["02/11/2026", "2026-13-01", "demain"])
def test_deadline_with_a_bad_date_is_a_french_error(value):
    with pytest.raises(CommandError) as raised:
        _run("deadline", value)

    assert str(raised.value) == "Date invalide : utilisez le format AAAA-MM-JJ."


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "91", "-3"])
def test_deadline_with_days_out_of_range_is_a_french_error(days):
    with pytest.raises(CommandError) as raised:
        _run("deadline", "2026-11-02", "--days", days)

    assert str(raised.value) == (
        f"Le délai de réponse doit être compris entre 1 et 90 jours (reçu : {int(days)})."
    )


@pytest.mark.django_db
def test_deadline_with_an_unknown_subdivision_is_a_french_error():
    with pytest.raises(CommandError) as raised:
        _run("deadline", "2026-11-02", "--subdivision", "99")

    assert str(raised.value).startswith(
        "Subdivision inconnue pour les jours fériés : « 99 ». Codes acceptés : "
    )


@pytest.mark.own_sqlite_register
@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="package not installed in this venv")
def test_console_script_prints_the_deadline_without_any_database(tmp_path):
    result = _console("deadline", "2026-11-02", data_dir=tmp_path)

    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-11-14\n", "")


@pytest.mark.own_sqlite_register
@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="package not installed in this venv")
def test_console_script_bad_date_exits_with_the_french_error(tmp_path):
    result = _console("deadline", "hier", data_dir=tmp_path)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "CommandError: Date invalide : utilisez le format AAAA-MM-JJ.\n"


# --- verify -----------------------------------------------------------------------------------


def _some_events(organisation, referent) -> Complaint:
    complaint = make_complaint(organisation, referent, channel="phone")
    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "Vu."})
    return complaint  # events 1 (registered), 2 (confirmation requested), 3 (note)


def test_verify_prints_ok_with_the_number_of_events(clock, organisation, referent):
    _some_events(organisation, referent)

    assert _run("verify") == "OK 3 events, 1 complaints, 0 documents\n" + heads()


def test_verify_counts_every_organisation(clock, organisation, other_organisation, referent):
    _some_events(organisation, referent)
    _some_events(other_organisation, None)

    assert _run("verify") == "OK 6 events, 2 complaints, 0 documents\n" + heads()


@pytest.mark.django_db
def test_verify_on_an_empty_register_is_ok():
    assert _run("verify") == "OK 0 events, 0 complaints, 0 documents\n" + heads()


@pytest.mark.tampered
def test_verify_names_the_broken_event_and_exits_1(clock, organisation, referent):
    _some_events(organisation, referent)
    target = ComplaintEvent.objects.get(organisation=organisation, sequence=2)
    table = ComplaintEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_name = %s WHERE id = %s",  # noqa: S608 - our table name
            ["Quelqu'un d'autre", target.pk],
        )
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("verify", stdout=out)

    assert exited.value.code == 1
    assert out.getvalue() == (
        "ERREUR CCS : événement n° 2 (REC-2026-0001) : le contenu ne correspond plus à son "
        "empreinte\n"
    )


@pytest.mark.tampered
def test_verify_reports_deleted_events_and_exits_1(clock, organisation, referent):
    _some_events(organisation, referent)
    ComplaintEvent.objects.filter(organisation=organisation, sequence=3).delete()
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("verify", stdout=out)

    assert exited.value.code == 1
    assert out.getvalue() == (
        "ERREUR CCS : événement n° 3 : la chaîne s'arrête à 2 événements alors que 3 ont été "
        "enregistrés : des événements ont été supprimés\n"
    )


# --- user and token ---------------------------------------------------------------------------


def _password_from(output: str) -> str:
    prefix = "Mot de passe (affiché une seule fois) : "
    [line] = [line for line in output.splitlines() if line.startswith(prefix)]
    return line.removeprefix(prefix)


def test_user_add_prints_a_password_that_logs_in(organisation):
    output = _run("user", "add", "claire", "--role", "auditor", "--email", "claire@example.org")

    password = _password_from(output)
    assert output.splitlines()[0] == "Compte « claire » créé (Auditeur·rice)."
    assert len(password) >= 12
    user = User.objects.get(username="claire")
    assert (user.role, user.email, user.organisation) == (
        Role.AUDITOR,
        "claire@example.org",
        organisation,
    )
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert Client().login(username="claire", password=password) is True
    assert Client().login(username="claire", password=password + "x") is False


def test_user_add_gives_an_auditor_a_last_day(organisation):
    output = _run("user", "add", "claire", "--role", "auditor", "--until", "2026-12-15")

    assert output.splitlines()[0] == (
        "Compte « claire » créé (Auditeur·rice, accès jusqu'au 15/12/2026)."
    )
    assert User.objects.get(username="claire").access_until == date(2026, 12, 15)


def test_user_add_prints_a_new_password_each_time(organisation):
    first = _password_from(_run("user", "add", "paul", "--role", "manager"))
    second = _password_from(_run("user", "add", "pierre", "--role", "manager"))

    assert first != second


def test_user_add_admin_is_superuser(organisation):
    _run("user", "add", "root", "--role", "admin")

    user = User.objects.get(username="root")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.ADMIN, True, True)


@pytest.mark.django_db
def test_user_add_without_an_organisation_points_to_init_and_creates_none():
    with pytest.raises(CommandError) as raised:
        _run("user", "add", "fanny", "--role", "referent")

    assert str(raised.value) == (
        "Aucun organisme enregistré : créez-le d'abord avec « reclamations init » (ou la page "
        "de première installation), qui crée aussi son premier responsable."
    )
    assert (Organisation.objects.count(), User.objects.count()) == (0, 0)


def test_user_add_among_several_organisations_needs_one_named(organisation, other_organisation):
    with pytest.raises(CommandError) as raised:
        _run("user", "add", "fanny", "--role", "referent")
    output = _run("user", "add", "fanny", "--role", "referent", "--organisation", "Autre organisme")

    assert str(raised.value) == "Plusieurs organismes : précisez --organisation NOM."
    assert output.splitlines()[0] == "Compte « fanny » créé (Référent·e)."
    assert User.objects.get(username="fanny").organisation == other_organisation


def test_user_add_names_an_organisation_that_does_not_exist(organisation):
    with pytest.raises(CommandError) as raised:
        _run("user", "add", "fanny", "--role", "referent", "--organisation", "Inconnu")

    assert str(raised.value) == "Organisation « Inconnu » introuvable. Organisations : CCS."
    assert not User.objects.filter(username="fanny").exists()


def test_user_add_duplicate_username_is_an_error(organisation, referent):
    with pytest.raises(CommandError) as raised:
        _run("user", "add", "referente", "--role", "auditor")

    assert str(raised.value) == "Le compte « referente » existe déjà."
    assert User.objects.get(username="referente").role == Role.REFERENT


def test_user_add_unknown_role_is_refused(organisation):
    with pytest.raises(CommandError):
        _run("user", "add", "claire", "--role", "boss")

    assert not User.objects.filter(username="claire").exists()


def test_token_create_prints_the_token_last_and_it_authenticates(referent):
    output = _run("token", "create", "--user", "referente", "--label", "intégration")

    lines = output.splitlines()
    assert lines[0] == "Jeton d'API (à conserver : il ne sera plus affiché) :"
    token = lines[-1]
    assert token.startswith("rec_")
    assert user_for_token(token) == referent
    assert user_for_token(token[:-1]) is None
    assert referent.api_tokens.get().label == "intégration"


def test_token_create_for_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError) as raised:
        _run("token", "create", "--user", "personne")

    assert str(raised.value) == "Aucun compte « personne »."


# --- demo -------------------------------------------------------------------------------------


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    return settings


def _demo_accounts(output: str) -> dict[str, tuple[str, str]]:
    lines = output.splitlines()
    start = lines.index("Comptes de démonstration (mots de passe affichés une seule fois) :")
    accounts = {}
    for line in lines[start + 1 :]:
        username, role, password = line.split()
        accounts[username] = (role, password)
    return accounts


@pytest.mark.django_db
def test_demo_creates_the_organisation_accounts_and_every_status(clock, demo_settings):
    output = _run("demo", "--no-serve")

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.demo) == ("CCS", True)
    assert output.splitlines()[:2] == [
        "Organisation : CCS",
        "11 réclamations de démonstration créées.",
    ]
    accounts = _demo_accounts(output)
    assert {name: role for name, (role, _password) in accounts.items()} == {
        "referente": "referent",
        "responsable": "manager",
        "auditeur": "auditor",
    }
    for username, (_role, password) in accounts.items():
        assert Client().login(username=username, password=password) is True
    # The auditor's access has a last day, three months on; the version 1 of the procedure is
    # the one every demo complaint records.
    assert User.objects.get(username="auditeur").access_until == date(2027, 1, 31)
    assert organisation.procedure_versions.get().label == organisation.procedure_version
    complaints = Complaint.objects.filter(organisation=organisation)
    assert set(complaints.values_list("procedure_version", flat=True)) == {
        organisation.procedure_version
    }
    assert complaints.count() == 11
    assert set(complaints.values_list("status", flat=True)) == set(Status.values)
    assert set(complaints.values_list("kind", flat=True)) == {
        "complaint",
        "difficulty",
        "incident",
        "not_admissible",
    }
    # Every field of every demo complaint is what its events say, every file its SHA-256.
    assert _run("verify") == (
        f"OK {ComplaintEvent.objects.count()} events, 11 complaints, "
        f"{Document.objects.count()} documents\n" + heads()
    )


def test_demo_refuses_an_installation_with_a_real_organisation(clock, demo_settings, manager):
    # A real organisation may well be called CCS: it is still not the demo's.
    with pytest.raises(CommandError) as raised:
        _run("demo", "--no-serve")

    assert str(raised.value) == (
        "Cette installation tient le registre réel de « CCS » : la démonstration ne s'y mêle "
        "pas. Lancez-la sur un dossier de données à part, par exemple "
        "RECLAMATIONS_DATA_DIR=/tmp/demo-reclamations reclamations demo (avec PostgreSQL, une "
        "autre base : DATABASE_URL)."
    )
    assert list(User.objects.values_list("username", "demo")) == [("responsable", False)]
    assert Organisation.objects.count() == 1
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_demo_twice_keeps_the_complaints_and_renews_the_passwords(clock, demo_settings):
    first = _run("demo", "--no-serve")
    events = ComplaintEvent.objects.count()

    second = _run("demo", "--no-serve")

    assert Complaint.objects.count() == 11
    assert ComplaintEvent.objects.count() == events
    assert User.objects.count() == 3
    assert "réclamations de démonstration créées" not in second
    old, new = _demo_accounts(first), _demo_accounts(second)
    assert old["referente"][1] != new["referente"][1]
    assert Client().login(username="referente", password=old["referente"][1]) is False
    assert Client().login(username="referente", password=new["referente"][1]) is True
    assert _run("verify") == (
        f"OK {events} events, 11 complaints, {Document.objects.count()} documents\n" + heads()
    )


@pytest.mark.django_db
def test_demo_early_in_the_morning_registers_today_complaints(clock, demo_settings):
    # Today's demo complaints must not be "received" later than now.
    clock.move_to(at(2026, 11, 2, 7, 30))

    _run("demo", "--no-serve")

    assert Complaint.objects.count() == 11
    latest = Complaint.objects.order_by("-received_at").first()
    assert latest.received_at <= at(2026, 11, 2, 7, 30)
    assert latest.status == Status.AWAITING_CONFIRMATION


@pytest.mark.own_sqlite_register
@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="package not installed in this venv")
def test_console_script_demo_then_verify(tmp_path):
    demo = _console("demo", "--no-serve", data_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert "Organisation : CCS" in demo.stdout

    verify = _console("verify", data_dir=tmp_path)

    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("OK ")
    assert verify.stdout.splitlines()[0].endswith(" documents")
    assert verify.stdout.splitlines()[1].startswith("TÊTE CCS:")
    assert int(verify.stdout.split()[1]) > 11
    assert ", 11 complaints, " in verify.stdout
