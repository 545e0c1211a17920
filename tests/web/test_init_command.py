"""`reclamations init`: the first run from the command line, question by question (answers fed
on the standard input, a wrong one asked again) or from flags with --no-input; the same checks
and the same one door as the first-run page; refused once an organisation exists."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation
from reclamations.reporting.integrity import verify_all

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"
PASSWORD_LINE = "Mot de passe (affiché une seule fois) : "
FLAGS = (
    "--no-input",
    "--name",
    "Formations Rhin",
    "--address",
    "3 quai des Bateliers\\n67000 Strasbourg",
    "--email",
    "reclamations@formations-rhin.fr",
    "--referent-name",
    "Anne Keller",
    "--subdivision",
    "6AE",
    "--deadline-days",
    "12",
    "--calendar",
    "ouvres",
    "--carry-saturday",
    "--mediator-name",
    "Médiation Alsace",
    "--court",
    "Tribunal judiciaire de Strasbourg",
    "--manager-username",
    "anne",
    "--manager-email",
    "anne@formations-rhin.fr",
)


def _init(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    if stdin is None:
        call_command("init", *args, stdout=out)
    else:
        call_command("init", *args, stdout=out, stdin=StringIO(stdin))
    return out.getvalue()


def _password_from(output: str) -> str:
    [line] = [line for line in output.splitlines() if line.startswith(PASSWORD_LINE)]
    return line.removeprefix(PASSWORD_LINE)


# --- flags (scripts) ------------------------------------------------------------------------


def test_flags_create_the_organisation_and_print_a_provisional_password_once(db, monkeypatch):
    monkeypatch.delenv("RECLAMATIONS_MANAGER_PASSWORD", raising=False)

    output = _init(*FLAGS)

    organisation = Organisation.objects.get()
    manager = User.objects.get()
    password = _password_from(output)
    assert output.splitlines()[:3] == [
        "Organisme « Formations Rhin » créé.",
        "Compte responsable « anne » créé.",
        "Mot de passe provisoire : à changer à la première connexion.",
    ]
    assert (organisation.address, organisation.holiday_subdivision) == (
        "3 quai des Bateliers\n67000 Strasbourg",
        "6AE",
    )
    assert (organisation.deadline_days, organisation.calendar_kind) == (12, "ouvres")
    assert (organisation.carry_saturday, organisation.mediator_cecmc_listed) == (True, False)
    assert organisation.court_name == "Tribunal judiciaire de Strasbourg"
    assert (manager.role, manager.password_provisional) == (Role.MANAGER, True)
    assert Client().login(username="anne", password=password) is True
    event = ComplaintEvent.objects.get()
    assert (event.event_type, event.actor_name, event.data["via"]) == (
        EventType.ORGANISATION_CREATED,
        "Système",
        "command",
    )
    assert [(result.ok, list(result.findings)) for result in verify_all()] == [(True, [])]


def test_the_password_comes_from_a_file_never_from_a_flag(db, tmp_path):
    secret = tmp_path / "mot-de-passe"
    secret.write_text("Une phrase assez longue 2026\n", encoding="utf-8")

    output = _init(*FLAGS, "--manager-password-file", str(secret))

    manager = User.objects.get()
    assert PASSWORD_LINE not in output
    assert manager.password_provisional is False
    assert manager.check_password("Une phrase assez longue 2026")


def test_the_password_comes_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("RECLAMATIONS_MANAGER_PASSWORD", "Une phrase assez longue 2026")

    _init(*FLAGS)

    assert User.objects.get().check_password("Une phrase assez longue 2026")


def test_wrong_flags_are_all_named_with_the_pages_messages_and_nothing_is_created(db, tmp_path):
    secret = tmp_path / "mot-de-passe"
    secret.write_text("azertyuiop", encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        _init(
            *FLAGS,
            "--email",
            "pas-une-adresse",
            "--subdivision",
            "Zone A",
            "--deadline-days",
            "deux",
            "--manager-password-file",
            str(secret),
        )

    assert str(raised.value).splitlines() == [
        "Rien n'a été créé :",
        "  --subdivision (Jours fériés régionaux) : Choix inconnu : sélectionnez une valeur de la "
        "liste.",
        "  --deadline-days (Délai de réponse (en jours)) : Saisissez un nombre entier de jours, "
        "entre 1 et 90.",
        "  --email (Adresse e-mail des réclamations (obligatoire)) : Adresse e-mail invalide : "
        "elle doit avoir la forme nom@domaine.fr.",
        "  --manager-password-file (Mot de passe) : Ce mot de passe est trop courant.",
    ]
    assert (Organisation.objects.count(), User.objects.count()) == (0, 0)


def test_a_required_setting_missing_is_named_by_its_flag(db):
    with pytest.raises(CommandError) as raised:
        _init("--no-input", "--name", "Formations Rhin", "--manager-username", "anne")

    assert str(raised.value).splitlines() == [
        "Rien n'a été créé :",
        "  --address (Adresse postale (obligatoire)) : Indiquez l'adresse postale de "
        "l'organisme : elle figure sur chaque courrier.",
        "  --email (Adresse e-mail des réclamations (obligatoire)) : Indiquez l'adresse e-mail "
        "où les clients envoient leurs réclamations (par exemple "
        "reclamations@votre-organisme.fr).",
        "  --referent-name (Nom du ou de la référent·e (obligatoire)) : Indiquez qui traite les "
        "réclamations (le ou la référent·e).",
        "  --manager-email (E-mail (obligatoire)) : Indiquez l'e-mail du responsable : rappels "
        "et mot de passe oublié y arrivent.",
    ]


def test_init_refuses_once_an_organisation_exists(db):
    _init(*FLAGS)

    with pytest.raises(CommandError) as raised:
        _init(*FLAGS[:-4], "--manager-username", "paul", "--manager-email", "paul@example.org")

    assert str(raised.value) == (
        "L'organisme « Formations Rhin » est déjà enregistré : l'initialisation ne se fait "
        "qu'une fois. Ses réglages se modifient sur la page Réglages, et un compte s'ajoute avec "
        "« reclamations user add » ou la page Utilisateurs."
    )
    assert (Organisation.objects.count(), User.objects.count()) == (1, 1)


def test_init_refuses_an_installation_holding_the_demo(db):
    ensure_seed_organisation()

    with pytest.raises(CommandError) as raised:
        _init(*FLAGS)

    assert str(raised.value).startswith("Cette installation contient la démonstration (CCS)")
    assert Organisation.objects.count() == 1


# --- questions ------------------------------------------------------------------------------

ANSWERS = [
    "Formations Moselle",  # nom
    "",  # raison sociale
    "",  # SIRET
    "",  # numéro de déclaration d'activité
    "5 rue Serpenoise",  # adresse, ligne 1
    "57000 Metz",  # ligne 2
    "",  # fin de l'adresse
    "",  # téléphone
    "",  # site web
    "pas-une-adresse",  # adresse des réclamations: refusée
    "reclamations@moselle-formations.fr",  # ... puis acceptée
    "Luc Weber",  # référent
    "",  # fonction
    "",  # e-mail du référent
    "",  # fuseau horaire: Europe/Paris
    "Zone A",  # jours fériés: refusé
    "57",  # ... Moselle
    "abc",  # délai: refusé
    "12",  # ... 12 jours
    "ouvres",  # décompte
    "peut-être",  # report du samedi: ni oui ni non
    "o",  # ... oui
    "",  # point de départ téléphonique: l'appel
    "",  # suspension: non
    "",  # médiateur
    "",  # adresse du médiateur (aucune ligne)
    "",  # site du médiateur
    "",  # CECMC: non
    "",  # tribunal
    "luc",  # nom d'utilisateur
    "Luc",  # prénom
    "Weber",  # nom
    "luc@moselle-formations.fr",  # e-mail
    "",  # mot de passe: provisoire
    "o",  # confirmer
]


def test_the_questions_ask_again_until_each_answer_is_right(db, monkeypatch):
    monkeypatch.delenv("RECLAMATIONS_MANAGER_PASSWORD", raising=False)

    output = _init(stdin="\n".join(ANSWERS) + "\n")

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.address) == (
        "Formations Moselle",
        "5 rue Serpenoise\n57000 Metz",
    )
    assert (organisation.complaints_email, organisation.referent_name) == (
        "reclamations@moselle-formations.fr",
        "Luc Weber",
    )
    assert (organisation.time_zone, organisation.holiday_subdivision) == ("Europe/Paris", "57")
    assert (organisation.deadline_days, organisation.calendar_kind) == (12, "ouvres")
    assert (organisation.carry_saturday, organisation.phone_clock) == (True, "call")
    manager = User.objects.get()
    assert (manager.username, manager.first_name, manager.email) == (
        "luc",
        "Luc",
        "luc@moselle-formations.fr",
    )
    assert Client().login(username="luc", password=_password_from(output)) is True
    refusals = [line.strip() for line in output.splitlines() if line.strip().startswith("✗")]
    assert refusals == [
        "✗ Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.",
        "✗ Choix inconnu : sélectionnez une valeur de la liste.",
        "✗ Saisissez un nombre entier de jours, entre 1 et 90.",
        "✗ Répondez « o » (oui) ou « n » (non).",
    ]
    assert "== Premier compte responsable ==" in output.splitlines()
    assert "    57           Alsace-Moselle (Moselle 57)" in output.splitlines()
    assert "Délai de réponse (en jours) [10] : " in output


def test_a_chosen_password_is_typed_twice_and_judged_by_the_validators(db):
    answers = [
        *ANSWERS[:-2],
        "azertyuiop",  # trop courant
        "azertyuiop",
        "Une phrase assez longue 2026",
        "Une autre phrase 2026",  # différente
        "Une phrase assez longue 2026",
        "Une phrase assez longue 2026",
        "o",
    ]

    output = _init(stdin="\n".join(answers) + "\n")

    manager = User.objects.get()
    assert (
        manager.password_provisional,
        manager.check_password("Une phrase assez longue 2026"),
    ) == (
        False,
        True,
    )
    assert PASSWORD_LINE not in output
    assert "  ✗ Ce mot de passe est trop courant." in output.splitlines()
    assert (
        "  ✗ Les deux mots de passe diffèrent : saisissez deux fois le même." in output.splitlines()
    )


def test_answering_no_at_the_end_creates_nothing(db):
    with pytest.raises(CommandError) as raised:
        _init(stdin="\n".join([*ANSWERS[:-1], "n"]) + "\n")

    assert str(raised.value) == "Rien n'a été créé."
    assert (Organisation.objects.count(), User.objects.count()) == (0, 0)


def test_input_ending_before_the_last_question_creates_nothing(db):
    with pytest.raises(CommandError) as raised:
        _init(stdin="Formations Moselle\n")

    assert str(raised.value) == "Saisie interrompue : rien n'a été créé."
    assert Organisation.objects.count() == 0


def test_flags_given_are_the_questions_defaults(db):
    answers = ["" for _ in range(40)]  # Entrée partout: what the flags said

    _init(*FLAGS[1:], stdin="\n".join(answers) + "\n")

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.holiday_subdivision, organisation.deadline_days) == (
        "Formations Rhin",
        "6AE",
        12,
    )
    assert organisation.address == "3 quai des Bateliers\n67000 Strasbourg"
    assert organisation.carry_saturday is True


# --- the installed command on an empty data directory ----------------------------------------


@pytest.mark.own_sqlite_register
def test_the_console_script_initialises_an_empty_data_directory_that_verifies(tmp_path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        },
        "RECLAMATIONS_DATA_DIR": str(tmp_path),
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(CONSOLE_SCRIPT), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=180,
            check=False,
        )

    # No `migrate` first: init creates the new data directory's database, as serve does.
    init = run("init", *FLAGS)
    verify = run("verify")
    again = run("init", *FLAGS)

    assert init.returncode == 0, init.stderr
    assert init.stdout.splitlines()[0] == "Organisme « Formations Rhin » créé."
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.splitlines()[0] == "OK 1 events, 0 complaints, 0 documents"
    assert again.returncode == 1
    assert "L'organisme « Formations Rhin » est déjà enregistré" in again.stderr
