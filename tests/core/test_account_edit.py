"""Changing a staff account (core/account_edit.py, issue 13): who may give which role, the
organisation's last manager, the values' checks and the security journal's line."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reclamations.core.account_edit import roles_offered, user_update
from reclamations.core.models import SecurityRecord, User
from reclamations.core.roles import Role
from reclamations.core.security import SecurityEvent
from reclamations.core.services import user_set_active


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_manager_changes_names_email_role_and_language_and_the_journal_says_so(manager, referent):
    changed = user_update(
        user=referent,
        actor=manager,
        values={
            "first_name": " Claire ",
            "last_name": "Roux",
            "email": "claire.roux@example.org",
            "role": Role.MANAGER,
            "language": "en",
        },
    )

    referent.refresh_from_db()
    assert changed == ["first_name", "last_name", "email", "role", "language"]
    assert (referent.get_full_name(), referent.email, referent.role, referent.language) == (
        "Claire Roux",
        "claire.roux@example.org",
        Role.MANAGER,
        "en",
    )
    record = SecurityRecord.objects.get(kind=SecurityEvent.ACCOUNT_CHANGED)
    assert (record.user, record.actor, record.organisation_id) == (
        referent,
        manager,
        referent.organisation_id,
    )
    assert record.detail == "prénom ; nom ; e-mail ; rôle : referent → manager ; langue"


def test_nothing_changed_writes_nothing(manager, referent):
    assert user_update(user=referent, actor=manager, values={"role": Role.REFERENT}) == []
    assert not SecurityRecord.objects.filter(kind=SecurityEvent.ACCOUNT_CHANGED).exists()


def test_a_manager_neither_gives_the_admin_role(manager, referent):
    with pytest.raises(ValidationError) as excinfo:
        user_update(user=referent, actor=manager, values={"role": Role.ADMIN})

    assert _errors(excinfo) == {
        "role": ["Seul un administrateur donne ou retire le rôle d'administrateur."]
    }
    referent.refresh_from_db()
    assert referent.role == Role.REFERENT
    assert not SecurityRecord.objects.exists()


def test_a_manager_does_not_touch_an_administrators_account(manager, admin_user):
    with pytest.raises(PermissionDenied):
        user_update(user=admin_user, actor=manager, values={"role": Role.REFERENT})
    with pytest.raises(PermissionDenied):
        user_update(user=admin_user, actor=manager, values={"email": "moi@example.org"})

    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.email) == (Role.ADMIN, "admin@example.org")


def test_an_administrator_gives_and_takes_the_admin_role(admin_user, referent):
    user_update(user=referent, actor=admin_user, values={"role": Role.ADMIN})
    referent.refresh_from_db()
    assert (referent.role, referent.is_superuser, referent.is_staff) == (Role.ADMIN, True, True)

    user_update(user=referent, actor=admin_user, values={"role": Role.REFERENT})
    referent.refresh_from_db()
    assert (referent.role, referent.is_superuser, referent.is_staff) == (
        Role.REFERENT,
        False,
        False,
    )


def test_nobody_changes_their_own_role_but_may_change_their_name(manager, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        user_update(user=manager, actor=manager, values={"role": Role.REFERENT})
    assert _errors(excinfo) == {
        "role": [
            "Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre responsable."
        ]
    }
    with pytest.raises(ValidationError):
        user_update(user=admin_user, actor=admin_user, values={"role": Role.MANAGER})

    assert user_update(user=manager, actor=manager, values={"last_name": "Martin"}) == ["last_name"]


def test_the_superadmin_role_is_never_given_nor_offered(admin_user, referent):
    with pytest.raises(ValidationError) as excinfo:
        user_update(user=referent, actor=admin_user, values={"role": Role.SUPERADMIN})

    assert _errors(excinfo) == {"role": ["Ce rôle n'est pas disponible pour votre compte."]}
    assert Role.SUPERADMIN not in roles_offered(actor=admin_user, user=referent)


def test_the_roles_offered(manager, admin_user, referent):
    assert roles_offered(actor=manager, user=referent) == [
        Role.REFERENT,
        Role.MANAGER,
        Role.AUDITOR,
    ]
    assert Role.ADMIN in roles_offered(actor=admin_user, user=referent)
    assert roles_offered(actor=manager, user=manager) == [Role.MANAGER]


def test_the_last_active_manager_keeps_a_role_that_manages(manager, referent):
    """Reached when two managers demote each other at once: the second, its own row already
    changed by the first, finds nobody else to manage the organisation."""
    other = User.objects.create(
        username="second", role=Role.MANAGER, organisation=manager.organisation
    )
    User.objects.filter(pk=manager.pk).update(role=Role.REFERENT)  # the first one's change

    with pytest.raises(ValidationError) as excinfo:
        user_update(user=other, actor=manager, values={"role": Role.REFERENT})

    assert _errors(excinfo) == {
        "role": [
            "C'est le dernier compte actif qui gère l'organisme : donnez d'abord le rôle de "
            "responsable à un autre compte."
        ]
    }
    other.refresh_from_db()
    assert other.role == Role.MANAGER


def test_a_manager_demotes_another_when_one_is_left(manager):
    other = User.objects.create(
        username="second", role=Role.MANAGER, organisation=manager.organisation
    )

    assert user_update(user=other, actor=manager, values={"role": Role.REFERENT}) == ["role"]


def test_the_last_active_manager_is_not_deactivated(manager):
    other = User.objects.create(
        username="second", role=Role.MANAGER, organisation=manager.organisation
    )
    User.objects.filter(pk=manager.pk).update(is_active=False)  # deactivated meanwhile

    with pytest.raises(ValidationError, match="dernier compte actif"):
        user_set_active(user=other, actor=manager, active=False)

    other.refresh_from_db()
    assert other.is_active is True


def test_wrong_values_are_refused_with_french_messages(manager, referent):
    with pytest.raises(ValidationError) as excinfo:
        user_update(
            user=referent,
            actor=manager,
            values={
                "email": "pas une adresse",
                "language": "de",
                "first_name": "x" * 151,
                "role": Role.AUDITOR,
            },
        )

    assert _errors(excinfo) == {
        "first_name": ["150 caractères au plus (il y en a 151)."],
        "email": ["Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."],
        "language": ["Choisissez une langue dans la liste."],
        "access_until": ["Indiquez jusqu'à quel jour l'auditeur aura accès."],
    }


def test_an_auditor_with_an_end_of_access(manager, referent):
    user_update(
        user=referent,
        actor=manager,
        values={"role": Role.AUDITOR, "access_until": date(2099, 12, 31)},
    )
    referent.refresh_from_db()
    assert (referent.role, referent.access_until) == (Role.AUDITOR, date(2099, 12, 31))

    with pytest.raises(ValidationError, match="Ce jour est passé"):
        user_update(user=referent, actor=manager, values={"access_until": date(2000, 1, 1)})


def test_another_organisations_account_is_refused(manager, outsider):
    with pytest.raises(PermissionDenied):
        user_update(user=outsider, actor=manager, values={"first_name": "X"})


def test_a_referent_edits_no_account(referent, manager):
    with pytest.raises(PermissionDenied):
        user_update(user=manager, actor=referent, values={"first_name": "X"})
