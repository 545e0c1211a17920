"""Staff accounts: list, add with a password shown once, deactivate and reactivate."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.core.models import SecurityRecord, User
from reclamations.core.security import SecurityEvent
from reclamations.core.two_factor import is_enrolled
from reclamations.outbox.models import OutgoingMessage
from tests.accounts import totp_device, verified_login

from .helpers import field_errors, messages_of, text_of

USERS = reverse("users")


def _new_account(**changes):
    return {
        "username": "claire",
        "first_name": "Claire",
        "last_name": "Roux",
        "email": "claire@example.org",
        "role": "auditor",
        "access_until": "2099-12-31",
        **changes,
    }


def test_users_lists_only_own_organisation(manager_client, referent, outsider):
    response = manager_client.get(USERS)

    usernames = [account.username for account in response.context["accounts"]]
    assert usernames == ["referente", "responsable"]
    assert "Referente referente referente@example.org Référent·e — Actif Non jamais" in text_of(
        response
    )


def test_users_add_shows_password_once_and_account_can_log_in(manager_client, organisation):
    response = manager_client.post(USERS, _new_account())

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, max-age=0, no-cache, must-revalidate, private"
    password = re.search(r'<code class="secret">([^<]+)</code>', response.content.decode())[1]
    account = User.objects.get(username="claire")
    assert (account.organisation, account.role, account.get_full_name(), account.email) == (
        organisation,
        "auditor",
        "Claire Roux",
        "claire@example.org",
    )
    assert account.access_until == date(2099, 12, 31)
    assert Client().login(username="claire", password=password) is True
    assert password not in manager_client.get(USERS).content.decode()


def test_users_duplicate_username_refused(manager_client, referent):
    response = manager_client.post(USERS, _new_account(username="referente"))

    assert response.status_code == 400
    assert field_errors(response, "username") == ["Le compte « referente » existe déjà."]
    assert 'value="Claire"' in response.content.decode()


def test_users_invalid_username_refused(manager_client):
    response = manager_client.post(USERS, _new_account(username="claire roux"))

    assert field_errors(response, "username") == [
        "Nom d'utilisateur invalide : lettres, chiffres et . @ + - _ seulement ; il sert à se "
        "connecter."
    ]


def test_users_manager_cannot_create_admin(manager_client):
    page = manager_client.get(USERS).content.decode()
    response = manager_client.post(USERS, _new_account(role="admin"))

    assert '<option value="admin"' not in page
    assert field_errors(response, "role") == ["Ce rôle n'est pas disponible pour votre compte."]
    assert not User.objects.filter(username="claire").exists()


def test_users_admin_can_create_admin(admin_user):
    client = verified_login(Client(), admin_user)

    client.post(USERS, _new_account(role="admin"))

    account = User.objects.get(username="claire")
    assert (account.role, account.is_superuser) == ("admin", True)


def test_users_deactivate_then_reactivate(manager_client, referent):
    url = reverse("user_active", args=[referent.pk])

    off = manager_client.post(url, {"active": "0"}, follow=True)
    referent.refresh_from_db()
    was_active = referent.is_active
    on = manager_client.post(url, {"active": "1"}, follow=True)
    referent.refresh_from_db()

    assert (was_active, referent.is_active) == (False, True)
    assert messages_of(off) == ["Compte « referente » désactivé."]
    assert messages_of(on) == ["Compte « referente » réactivé."]


def test_users_cannot_deactivate_own_account(manager_client, manager):
    response = manager_client.post(
        reverse("user_active", args=[manager.pk]), {"active": "0"}, follow=True
    )

    manager.refresh_from_db()
    assert manager.is_active is True
    assert messages_of(response) == [
        "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre responsable."
    ]


def test_users_manager_cannot_deactivate_admin(manager_client, admin_user):
    response = manager_client.post(
        reverse("user_active", args=[admin_user.pk]), {"active": "0"}, follow=True
    )

    admin_user.refresh_from_db()
    assert admin_user.is_active is True
    assert messages_of(response) == [
        "Seul un administrateur peut modifier le compte d'un administrateur."
    ]


def test_users_of_another_organisation_are_404(manager_client, outsider):
    response = manager_client.post(reverse("user_active", args=[outsider.pk]), {"active": "0"})

    outsider.refresh_from_db()
    assert (response.status_code, outsider.is_active) == (404, True)


def test_users_page_forbidden_to_referent(referent_client):
    assert referent_client.get(USERS).status_code == 403


def test_users_list_runs_the_same_queries_for_one_or_many_accounts(manager_client, organisation):
    with CaptureQueriesContext(connection) as few:
        manager_client.get(USERS)
    for number in range(5):
        User.objects.create_user(
            username=f"compte{number}", organisation=organisation, role="referent"
        )
    with CaptureQueriesContext(connection) as many:
        response = manager_client.get(USERS)

    assert len(response.context["accounts"]) == 6
    assert len(many) == len(few)


def _invitation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", message.body_text)[1]


def test_an_auditor_invited_by_email_chooses_a_password_once(manager_client, organisation):
    response = manager_client.post(USERS, _new_account(invite="on"))

    assert response.status_code == 200
    assert '<code class="secret">' not in response.content.decode()
    assert "Invitation envoyée à claire@example.org" in text_of(response)
    message = OutgoingMessage.objects.get(kind="staff_invitation")
    assert message.to == "claire@example.org"
    assert message.subject == "Invitation au registre des réclamations de CCS"
    assert "Votre nom d'utilisateur : claire" in message.body_text
    assert "vous ne pourrez rien modifier" in message.body_text
    assert "Votre accès prend fin le jeudi 31 décembre 2099 au soir" in message.body_text
    link = _invitation_link(message)
    visitor = Client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store, max-age=0, no-cache, must-revalidate, private"
    mismatch = visitor.post(link, {"new_password1": "Une phrase longue 42", "new_password2": "x"})
    assert mismatch.status_code == 400
    chosen = visitor.post(
        link,
        {"new_password1": "Une phrase longue 42", "new_password2": "Une phrase longue 42"},
        follow=True,
    )
    assert messages_of(chosen) == [
        "Mot de passe enregistré : connectez-vous avec votre nom d'utilisateur."
    ]
    assert Client().login(username="claire", password="Une phrase longue 42") is True
    again = Client().get(link)
    assert again.status_code == 400
    assert "Lien d'invitation invalide ou expiré" in text_of(again)


def test_an_invitation_needs_an_address(manager_client):
    response = manager_client.post(USERS, _new_account(invite="on", email=""))

    assert response.status_code == 400
    assert field_errors(response, "email") == ["Indiquez l'adresse e-mail où envoyer l'invitation."]
    assert not User.objects.filter(username="claire").exists()


def test_a_forged_invitation_link_is_refused(client, referent):
    assert client.get("/invitation/Mg/abc-123/").status_code == 400
    assert client.get("/invitation/%F0%9F%98%80/x/").status_code == 400


def test_a_manager_sends_an_account_a_new_invitation(manager_client, referent):
    referent.email = "referente@example.org"
    referent.save()

    response = manager_client.post(reverse("user_invite", args=[referent.pk]), follow=True)

    assert messages_of(response) == [
        "Invitation envoyée à referente@example.org (lien valable 3 jours)."
    ]
    message = OutgoingMessage.objects.get(kind="staff_invitation")
    assert message.to == "referente@example.org"
    assert Client().get(_invitation_link(message)).status_code == 200


def test_no_invitation_without_an_address_nor_for_an_admin_from_a_manager(
    manager_client, referent, admin_user
):
    referent.email = ""
    referent.save()

    no_address = manager_client.post(reverse("user_invite", args=[referent.pk]), follow=True)
    admin = manager_client.post(reverse("user_invite", args=[admin_user.pk]), follow=True)

    assert messages_of(no_address) == [
        "Compte « referente » : une invitation va à un compte actif qui a une adresse e-mail."
    ]
    assert messages_of(admin) == ["Seul un administrateur invite un compte administrateur."]
    assert not OutgoingMessage.objects.filter(kind="staff_invitation").exists()


def test_an_auditor_or_a_referent_cannot_invite(referent_client, auditor):
    assert referent_client.post(reverse("user_invite", args=[auditor.pk])).status_code == 403


def test_the_command_invites_an_account_made_on_the_command_line(organisation, auditor):
    auditor.email = "audit@example.org"
    auditor.save()
    out = StringIO()

    call_command("invite", auditor.username, stdout=out)
    with pytest.raises(CommandError) as unknown:
        call_command("invite", "personne")

    message = OutgoingMessage.objects.get(kind="staff_invitation")
    assert message.to == "audit@example.org"
    assert message.body_text.startswith(
        "Bonjour,\n\nVous êtes invité·e à utiliser le registre des réclamations de CCS"
    )
    assert out.getvalue() == (
        "Invitation mise en envoi pour audit@example.org (lien valable 3 jours) ; le worker "
        "l'envoie.\n"
    )
    assert str(unknown.value) == "Aucun compte « personne »."


# --- resetting an account's password or second factor -----------------------------------------


def _password_reset(account: User) -> str:
    return reverse("user_password_reset", args=[account.pk])


def _two_factor_reset(account: User) -> str:
    return reverse("user_two_factor_reset", args=[account.pk])


def test_the_list_shows_each_accounts_second_factor(manager_client, referent, manager):
    text = text_of(manager_client.get(USERS))

    assert "Referente referente referente@example.org Référent·e — Actif Non" in text
    assert "Responsable responsable responsable@example.org Responsable — Actif Activée" in text


def test_a_manager_gives_a_provisional_password_shown_once(manager_client, manager, referent):
    old_session = verified_login(Client(), referent)

    response = manager_client.post(_password_reset(referent))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, max-age=0, no-cache, must-revalidate, private"
    password = re.search(r'<code class="secret">([^<]+)</code>', response.content.decode())[1]
    referent.refresh_from_db()
    assert referent.password_provisional is True
    assert referent.check_password(password) is True
    assert old_session.get(reverse("register")).status_code == 302  # its sessions are closed
    record = SecurityRecord.objects.get(kind=SecurityEvent.PASSWORD_PROVISIONAL)
    assert (record.user, record.actor, record.address) == (referent, manager, "127.0.0.1")


def test_a_manager_resets_a_lost_second_factor(manager_client, manager, referent):
    verified_login(Client(), referent)
    totp_device(referent)
    assert "Réinitialiser la double authentification" in text_of(manager_client.get(USERS))

    response = manager_client.post(_two_factor_reset(referent))

    assert response.status_code == 302
    assert messages_of(manager_client.get(USERS)) == [
        "Compte « referente » : double authentification retirée (clé et codes de secours). Elle "
        "sera de nouveau demandée à sa prochaine connexion si son rôle l'exige."
    ]
    assert is_enrolled(referent) is False
    record = SecurityRecord.objects.get(kind=SecurityEvent.TWO_FACTOR_RESET)
    assert (record.user, record.actor) == (referent, manager)


def test_a_manager_cannot_reset_an_admin_nor_themselves(manager_client, manager, admin_user):
    page = manager_client.get(USERS)
    assert page.context["resettable"] == set()

    for url in (
        _password_reset(admin_user),
        _two_factor_reset(admin_user),
        _password_reset(manager),
        _two_factor_reset(manager),
    ):
        assert manager_client.post(url).status_code == 403

    admin_user.refresh_from_db()
    assert admin_user.password_provisional is False
    assert SecurityRecord.objects.filter(kind=SecurityEvent.PERMISSION_REFUSED).count() == 4
    assert not SecurityRecord.objects.filter(kind=SecurityEvent.PASSWORD_PROVISIONAL).exists()


def test_an_admin_resets_an_admin(admin_user, organisation):
    other = User.objects.create_user(username="admin2", organisation=organisation, role="admin")
    client = verified_login(Client(), admin_user)

    assert client.post(_password_reset(other)).status_code == 200


def test_resets_need_a_post_a_manager_and_the_organisation(
    manager_client, referent_client, auditor_client, referent, outsider
):
    assert manager_client.get(_password_reset(referent)).status_code == 405
    assert referent_client.post(_password_reset(referent)).status_code == 403
    assert auditor_client.post(_two_factor_reset(referent)).status_code == 403
    assert manager_client.post(_password_reset(outsider)).status_code == 404
    assert manager_client.post(_two_factor_reset(outsider)).status_code == 404


def test_resets_are_refused_without_the_csrf_token(manager, referent):
    client = verified_login(Client(enforce_csrf_checks=True), manager)

    assert client.post(_password_reset(referent)).status_code == 403

    referent.refresh_from_db()
    assert referent.password_provisional is False


# -- Editing an account (issue 13) ---------------------------------------------------------------


def _edit_url(account: User) -> str:
    return reverse("user_edit", args=[account.pk])


def _edited(account: User, **changes):
    return {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "role": account.role,
        "language": account.language,
        "access_until": "",
        **changes,
    }


def test_the_users_list_links_to_each_editable_account(manager_client, referent, admin_user):
    page = manager_client.get(USERS).content.decode()

    assert f'href="{_edit_url(referent)}"' in page
    # A manager does not edit an administrator's account (its e-mail leads to its password).
    assert f'href="{_edit_url(admin_user)}"' not in page


def test_the_edit_page_shows_the_account_with_the_roles_a_manager_may_give(
    manager_client, referent
):
    response = manager_client.get(_edit_url(referent))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="referente@example.org"' in page
    assert [value for value, _label in response.context["form"].fields["role"].choices] == [
        "referent",
        "manager",
        "auditor",
    ]
    assert "superadmin" not in page
    assert 'data-required="(obligatoire)"' in page  # field_html.py: the role is required


def test_a_manager_changes_an_account_and_the_security_journal_records_it(
    manager_client, manager, referent
):
    response = manager_client.post(
        _edit_url(referent),
        _edited(referent, first_name="Claire", email="claire@example.org", role="manager"),
        follow=True,
    )

    assert messages_of(response) == ["Compte « referente » modifié."]
    referent.refresh_from_db()
    assert (referent.first_name, referent.email, referent.role) == (
        "Claire",
        "claire@example.org",
        "manager",
    )
    record = SecurityRecord.objects.get(kind=SecurityEvent.ACCOUNT_CHANGED)
    assert (record.user, record.actor, record.path) == (referent, manager, _edit_url(referent))
    assert record.detail == "prénom ; e-mail ; rôle : referent → manager"


def test_an_unchanged_account_says_so(manager_client, referent):
    response = manager_client.post(_edit_url(referent), _edited(referent), follow=True)

    assert messages_of(response) == ["Aucune modification : le compte « referente » est inchangé."]
    assert not SecurityRecord.objects.filter(kind=SecurityEvent.ACCOUNT_CHANGED).exists()


def test_a_manager_cannot_give_the_admin_role_and_the_form_keeps_what_was_typed(
    manager_client, referent
):
    response = manager_client.post(
        _edit_url(referent), _edited(referent, role="admin", first_name="Claire")
    )

    assert response.status_code == 400
    assert field_errors(response, "role") == ["Ce rôle n'est pas disponible pour votre compte."]
    page = response.content.decode()
    assert 'value="Claire"' in page
    assert "error-summary" in page  # form_errors.html
    referent.refresh_from_db()
    assert (referent.role, referent.first_name) == ("referent", "Referente")


def test_a_manager_cannot_open_an_administrators_account(manager_client, admin_user):
    response = manager_client.get(_edit_url(admin_user), follow=True)

    assert messages_of(response) == [
        "Seul un administrateur peut modifier le compte d'un administrateur."
    ]
    response = manager_client.post(_edit_url(admin_user), _edited(admin_user, role="referent"))
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


def test_an_administrator_gives_the_admin_role(admin_user, referent):
    client = verified_login(Client(), admin_user)

    client.post(_edit_url(referent), _edited(referent, role="admin"))

    referent.refresh_from_db()
    assert (referent.role, referent.is_superuser) == ("admin", True)


def test_nobody_changes_their_own_role(manager_client, manager):
    response = manager_client.get(_edit_url(manager))
    assert [value for value, _label in response.context["form"].fields["role"].choices] == [
        "manager"
    ]

    response = manager_client.post(_edit_url(manager), _edited(manager, role="referent"))

    assert response.status_code == 400
    manager.refresh_from_db()
    assert manager.role == "manager"


def test_an_auditor_needs_an_end_of_access(manager_client, referent):
    response = manager_client.post(_edit_url(referent), _edited(referent, role="auditor"))

    assert field_errors(response, "access_until") == [
        "Indiquez jusqu'à quel jour l'auditeur aura accès."
    ]


def test_another_organisations_account_is_not_found(manager_client, outsider):
    assert manager_client.get(_edit_url(outsider)).status_code == 404
    assert manager_client.post(_edit_url(outsider), _edited(outsider)).status_code == 404
    outsider.refresh_from_db()
    assert outsider.role == "referent"


def test_a_referent_cannot_edit_accounts(referent_client, manager):
    assert referent_client.get(_edit_url(manager)).status_code == 403
