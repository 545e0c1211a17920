"""'Mon compte': password change, two-factor authentication by choice, API tokens; the
organisation's tokens for a manager."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reclamations.core.models import ApiToken
from reclamations.core.two_factor import (
    enrolment_confirm,
    enrolment_device,
    is_enrolled,
    recovery_codes_left,
)
from reclamations.core.users import token_create, user_for_token
from tests.accounts import code_now, verified_login
from tests.conftest import PASSWORD

from .helpers import messages_of, text_of

ACCOUNT = reverse("account")
CHANGE = reverse("password_change")
TOKENS = reverse("api_token_create")
ORGANISATION_TOKENS = reverse("organisation_tokens")


def test_the_header_links_the_account_name_to_my_account(referent_client):
    page = referent_client.get(reverse("register")).content.decode()

    assert f'<a class="account-name" href="{ACCOUNT}">Referente' in page


def test_my_account_needs_a_login(referent):
    response = Client().get(ACCOUNT)

    assert (response.status_code, response["Location"]) == (302, f"/connexion/?next={ACCOUNT}")


def test_my_account_shows_the_account_its_second_factor_and_tokens(auditor_client, auditor):
    token_create(user=auditor, label="Tableur d'audit")

    text = text_of(auditor_client.get(ACCOUNT))

    assert "Auditeur · identifiant « auditeur » · Auditeur·rice · auditeur@example.org" in text
    assert "Non activée" in text
    assert "Tableur d'audit" in text
    assert "Actif" in text


def test_password_change_with_the_current_password(referent_client, referent):
    response = referent_client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "Une autre phrase longue 7",
            "new_password2": "Une autre phrase longue 7",
        },
        follow=True,
    )

    assert messages_of(response) == ["Mot de passe modifié."]
    referent.refresh_from_db()
    assert referent.check_password("Une autre phrase longue 7")
    # This session stays open.
    assert referent_client.get(ACCOUNT).status_code == 200


def test_password_change_errors_in_french(referent_client, referent):
    response = referent_client.post(
        CHANGE, {"old_password": "faux", "new_password1": "123", "new_password2": "1234"}
    )

    assert response.status_code == 400
    form = response.context["password_form"]
    assert form.errors["old_password"] == [
        "Votre ancien mot de passe est incorrect. Veuillez le rectifier."
    ]
    assert form.errors["new_password2"] == ["Les deux mots de passe ne correspondent pas."]
    assert 'aria-describedby="id_old_password_error"' in response.content.decode()
    referent.refresh_from_db()
    assert referent.check_password(PASSWORD)


def test_password_change_applies_the_password_rules(referent_client):
    response = referent_client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "1234", "new_password2": "1234"}
    )

    assert response.context["password_form"].errors["new_password2"] == [
        "Ce mot de passe est trop court. Il doit contenir au minimum 8 caractères.",
        "Ce mot de passe est trop courant.",
        "Ce mot de passe est entièrement numérique.",
    ]


def test_token_created_is_shown_once_with_its_expiry(referent_client, referent):
    response = referent_client.post(TOKENS, {"label": "Synchronisation CRM", "days": "90"})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    token = ApiToken.objects.get(user=referent)
    page = response.content.decode()
    raw = page.split('<code class="secret token-value">')[1].split("</code>")[0]
    assert user_for_token(raw) == referent
    assert token.label == "Synchronisation CRM"
    assert "Il expire le 31/01/2027." in text_of(response)
    assert raw not in referent_client.get(ACCOUNT).content.decode()


def test_token_form_keeps_what_was_typed_on_error(referent_client):
    response = referent_client.post(TOKENS, {"label": "", "days": "9999"})

    assert response.status_code == 400
    form = response.context["token_form"]
    assert form.errors == {
        "label": ["Donnez un nom au jeton."],
        "days": ["Choisissez une durée de validité dans la liste."],
    }
    response = referent_client.post(TOKENS, {"label": "x" * 101, "days": "30"})
    page = response.content.decode()
    assert 'value="' + "x" * 101 + '"' in page
    assert '<option value="30" selected>30 jours</option>' in page
    assert not ApiToken.objects.exists()


def test_revoking_ones_own_token(referent_client, referent):
    raw = token_create(user=referent, label="CRM")
    token = ApiToken.objects.get()

    response = referent_client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)

    assert messages_of(response) == ["Jeton « CRM » révoqué."]
    assert user_for_token(raw) is None
    assert "Révoqué le 02/11/2026" in text_of(response)


def test_a_referent_cannot_revoke_someone_elses_token(referent_client, manager, outsider):
    token_create(user=manager, label="Manager")
    token_create(user=outsider, label="Ailleurs")

    for token in ApiToken.objects.all():
        response = referent_client.post(reverse("api_token_revoke", args=[token.pk]))
        assert response.status_code == 404
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


def test_a_manager_sees_and_revokes_every_token_of_the_organisation(
    manager_client, referent, outsider
):
    token_create(user=referent, label="CRM de Fanny")
    token_create(user=outsider, label="Ailleurs")
    theirs = ApiToken.objects.get(user=referent)
    elsewhere = ApiToken.objects.get(user=outsider)

    text = text_of(manager_client.get(ORGANISATION_TOKENS))
    assert "Referente CRM de Fanny" in text
    assert "Ailleurs" not in text

    response = manager_client.post(
        reverse("api_token_revoke", args=[theirs.pk]), {"from": "organisation"}
    )
    assert response["Location"] == ORGANISATION_TOKENS
    assert manager_client.post(reverse("api_token_revoke", args=[elsewhere.pk])).status_code == 404
    theirs.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (theirs.revoked_at is not None, elsewhere.revoked_at) == (True, None)


@pytest.mark.parametrize("client_name", ["referent_client", "auditor_client"])
def test_only_managers_see_the_organisations_tokens(request, client_name):
    client = request.getfixturevalue(client_name)

    assert client.get(ORGANISATION_TOKENS).status_code == 403


def test_the_account_lists_expired_tokens_as_expired(referent_client, referent):
    token_create(user=referent, label="Court", days=1)
    ApiToken.objects.update(expires_at=timezone.now())

    text = text_of(referent_client.get(ACCOUNT))

    assert "Court rec_" in text
    assert "02/11/2026 jamais Expiré" in text


def test_a_referent_turns_two_factor_on_then_off(referent_client, referent, clock):
    page = referent_client.get(reverse("two_factor_enrol_optional"))
    assert page.status_code == 200
    device = enrolment_device(referent)

    done = referent_client.post(reverse("two_factor_enrol_optional"), {"code": code_now(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert is_enrolled(referent)
    assert "Activée" in text_of(referent_client.get(ACCOUNT))

    clock.shift(timedelta(seconds=30))
    off = referent_client.post(reverse("two_factor_off"), {"code": code_now(device)}, follow=True)
    assert messages_of(off) == ["Double authentification désactivée."]
    assert not is_enrolled(referent)


def test_a_manager_cannot_turn_two_factor_off(manager_client, manager):
    device = enrolment_device(manager)
    enrolment_confirm(device=device, code=code_now(device))
    verified_login(manager_client, manager)

    response = manager_client.post(reverse("two_factor_off"), {"code": "000000"}, follow=True)

    assert messages_of(response)[0].startswith(
        "La double authentification est obligatoire pour votre compte"
    )
    assert is_enrolled(manager)


def test_new_recovery_codes_are_shown_once(manager_client, manager):
    device = enrolment_device(manager)
    enrolment_confirm(device=device, code=code_now(device))
    verified_login(manager_client, manager)

    response = manager_client.post(reverse("recovery_codes_new"))

    assert response["Cache-Control"].startswith("no-store")
    assert len(response.context["codes"]) == 10
    assert recovery_codes_left(manager) == 10
