"""The provider's commands (issue 12): `reclamations superadmin create|list|deactivate` and
`reclamations organisation create`, which adds an organisation beside others with init's
flags and checks."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reclamations.complaints.models import ComplaintEvent
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.reporting.integrity import verify_all
from tests.web.test_init_command import FLAGS, PASSWORD_LINE


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_superadmin_is_made_of_no_organisation_with_a_password_printed_once(db):
    output = _run("superadmin", "create", "plateforme", "--email", "plateforme@example.fr")

    account = User.objects.get(username="plateforme")
    [line] = [line for line in output.splitlines() if line.startswith(PASSWORD_LINE)]
    assert (account.role, account.organisation, account.password_provisional) == (
        Role.SUPERADMIN,
        None,
        True,
    )
    assert (account.is_superuser, account.is_staff) == (False, False)
    assert account.check_password(line.removeprefix(PASSWORD_LINE))


def test_superadmins_are_listed_and_deactivated(db):
    _run("superadmin", "create", "plateforme", "--email", "plateforme@example.fr")

    ended = _run("superadmin", "deactivate", "plateforme")
    again = _run("superadmin", "deactivate", "plateforme")
    listed = _run("superadmin", "list")

    assert ended.startswith("Super-administrateur « plateforme » désactivé")
    assert again == "Super-administrateur « plateforme » : déjà désactivé.\n"
    assert listed == "plateforme\tplateforme@example.fr\tdésactivé\tjamais connecté\n"
    assert User.objects.get(username="plateforme").is_active is False
    with pytest.raises(CommandError, match="Aucun super-administrateur « personne »"):
        _run("superadmin", "deactivate", "personne")


def test_a_superadmin_needs_an_email_and_a_free_name(db):
    _run("superadmin", "create", "plateforme", "--email", "plateforme@example.fr")

    with pytest.raises(CommandError, match="existe déjà"):
        _run("superadmin", "create", "plateforme", "--email", "autre@example.fr")
    with pytest.raises(CommandError, match="Indiquez l'e-mail"):
        _run("superadmin", "create", "autre", "--email", "pas-une-adresse")


def test_user_add_never_makes_a_superadmin(organisation):
    with pytest.raises(CommandError):
        _run("user", "add", "x", "--role", "superadmin")
    assert not User.objects.filter(role=Role.SUPERADMIN).exists()


def test_organisation_create_adds_one_beside_the_first_run_s(db):
    _run("init", *FLAGS)

    output = _run(
        "organisation",
        "create",
        *[
            {"Formations Rhin": "Formations Loire", "anne": "paul"}.get(flag, flag)
            for flag in FLAGS
        ],
    )

    loire = Organisation.objects.get(name="Formations Loire")
    assert output.splitlines()[:2] == [
        "Organisme « Formations Loire » créé.",
        "Compte responsable « paul » créé.",
    ]
    assert User.objects.get(username="paul").organisation == loire
    event = ComplaintEvent.objects.get(organisation=loire)
    assert (event.actor, event.data["via"]) == (None, "platform_command")
    assert [result.ok for result in verify_all()] == [True, True]


def test_organisation_create_names_every_wrong_flag_and_creates_nothing(db):
    _run("init", *FLAGS)

    with pytest.raises(CommandError) as refused:
        _run("organisation", "create", *FLAGS)

    assert (
        "--manager-username (Nom d'utilisateur (obligatoire)) : Le compte « anne » existe"
        in str(refused.value)
    )
    assert Organisation.objects.count() == 1
