"""The command line for accounts: API tokens (create, list, revoke), a provisional password,
removing a lost phone's second factor."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from reclamations.core.models import ApiToken, User
from reclamations.core.two_factor import enrolment_confirm, enrolment_device, is_enrolled
from reclamations.core.users import token_create, user_for_token
from tests.accounts import code_now

pytestmark = pytest.mark.usefixtures("clock")


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_token_create_with_a_label_and_days(referent):
    output = _run("token", "create", "--user", "referente", "--label", "CRM", "--days", "90")

    lines = output.splitlines()
    token = ApiToken.objects.get()
    assert lines[0] == "Jeton d'API (à conserver : il ne sera plus affiché) :"
    assert lines[1] == "« CRM », compte referente, valable jusqu'au 31/01/2027"
    assert token.expires_at == timezone.now() + timedelta(days=90)
    assert user_for_token(lines[-1]) == referent


def test_token_create_needs_a_label(referent):
    with pytest.raises(CommandError) as raised:
        _run("token", "create", "--user", "referente")

    assert str(raised.value) == "Donnez un nom au jeton (--label) : ce qui l'utilise."
    assert not ApiToken.objects.exists()


def test_token_create_refuses_more_than_two_years(referent):
    with pytest.raises(CommandError) as raised:
        _run("token", "create", "--user", "referente", "--label", "CRM", "--days", "731")

    assert "entre 1 et 730 jours, pas 731" in str(raised.value)


def test_token_list_shows_state_and_use_never_the_token(referent, manager, clock):
    active = token_create(user=referent, label="CRM")
    token_create(user=manager, label="Tableau de bord", days=1)
    revoked = token_create(user=referent, label="Ancien")
    _run("token", "revoke", revoked[:12])
    user_for_token(active)
    clock.shift(timedelta(days=2))

    everyone = _run("token", "list").splitlines()
    mine = _run("token", "list", "--user", "referente").splitlines()

    assert len(everyone) == 3
    assert len(mine) == 2
    assert all(active not in line and revoked not in line for line in everyone)
    [crm] = [line for line in everyone if "CRM" in line]
    assert crm.startswith(active[:12] + "  referente ")
    assert crm.endswith("expire 02/11/2027  utilisé 02/11/2026 10:00  actif")
    [dashboard] = [line for line in everyone if "Tableau de bord" in line]
    assert dashboard.endswith("utilisé jamais  expiré")
    [old] = [line for line in everyone if "Ancien" in line]
    assert old.endswith("révoqué le 02/11/2026")


def test_token_list_without_tokens(db):
    assert _run("token", "list") == "Aucun jeton.\n"


def test_token_revoke_by_prefix_refuses_the_token_at_once(referent):
    raw = token_create(user=referent, label="CRM")

    assert _run("token", "revoke", raw[:12]) == f"Jeton {raw[:12]} de referente révoqué.\n"
    assert user_for_token(raw) is None
    assert _run("token", "revoke", raw[:12]) == f"Le jeton {raw[:12]} était déjà révoqué.\n"


def test_token_revoke_unknown_prefix_is_an_error(db):
    with pytest.raises(CommandError) as raised:
        _run("token", "revoke", "rec_nothing")

    assert str(raised.value) == "Aucun jeton ne commence par « rec_nothing » (voir « token list »)."


def test_user_add_gives_a_provisional_password(organisation):
    output = _run("user", "add", "claire", "--role", "referent")

    assert "Mot de passe provisoire : à changer à la première connexion." in output
    assert User.objects.get(username="claire").password_provisional is True


def test_user_reset_password_prints_a_provisional_password_once(referent):
    output = _run("user", "reset-password", "referente")

    password = output.splitlines()[-1].removeprefix("Mot de passe (affiché une seule fois) : ")
    referent.refresh_from_db()
    assert referent.password_provisional is True
    assert Client().login(username="referente", password=password) is True


def test_user_reset_2fa_removes_a_lost_phones_key(manager, caplog):
    device = enrolment_device(manager)
    enrolment_confirm(device=device, code=code_now(device))

    with caplog.at_level("INFO", logger="reclamations.security"):
        output = _run("user", "reset-2fa", "responsable")

    assert output == (
        "Compte « responsable » : double authentification retirée (clé et codes de secours). "
        "Elle sera de nouveau demandée à sa prochaine connexion si son rôle l'exige.\n"
    )
    assert is_enrolled(manager) is False
    assert not manager.recovery_codes.exists()
    assert [record.getMessage() for record in caplog.records] == [
        "two_factor_reset user=responsable actor= address= path= cli"
    ]


def test_user_reset_2fa_of_an_account_without_one(referent):
    assert _run("user", "reset-2fa", "referente") == (
        "Compte « referente » : la double authentification n'était pas activée ; rien à retirer.\n"
    )


def test_user_reset_of_an_unknown_account_is_an_error(db):
    with pytest.raises(CommandError) as raised:
        _run("user", "reset-2fa", "personne")

    assert str(raised.value) == "Aucun compte « personne »."
