"""The steps before the register: the second factor at login, a provisional password replaced,
two-factor authentication set up where the role or the organisation requires it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclamations.core.models import User
from reclamations.core.two_factor import enrolment_confirm, enrolment_device, is_enrolled
from reclamations.core.users import password_provisional_set
from tests.accounts import code_now
from tests.conftest import PASSWORD

from .helpers import messages_of, text_of

REGISTER = reverse("register")
LOGIN = reverse("login")
CODE = reverse("login_code")
PROVISIONAL = reverse("password_provisional")
ENROL = reverse("two_factor_enrol")


def _logged_in(username: str, password: str = PASSWORD, next_page: str = REGISTER) -> Client:
    client = Client()
    response = client.post(
        f"{LOGIN}?next={next_page}", {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def _enrolled(user) -> TOTPDevice:
    device = enrolment_device(user)
    enrolment_confirm(device=device, code=code_now(device))
    return device


def test_a_manager_without_second_factor_is_sent_to_set_it_up(manager):
    client = _logged_in("responsable")

    for page in (REGISTER, reverse("users"), reverse("account"), "/reclamations/nouvelle/"):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (
            302,
            f"{ENROL}?next={page.replace('/', '%2F')}",
        )
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Votre rôle demande la double authentification" in text_of(page)
    assert 'class="main-nav"' not in page.content.decode()  # nothing else to go to


def test_a_manager_enrols_then_reaches_the_register(manager, clock):
    client = _logged_in("responsable")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=manager)

    wrong = client.post(ENROL, {"code": "12345", "next": REGISTER})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["code"][0].startswith("Code incorrect.")
    assert 'value="12345"' in wrong.content.decode()

    clock.shift(timedelta(seconds=2))
    done = client.post(ENROL, {"code": code_now(device), "next": REGISTER})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert f'href="{REGISTER}"' in done.content.decode()
    assert client.get(REGISTER).status_code == 200


def test_an_enrolled_account_gives_its_code_at_login(manager, clock):
    device = _enrolled(manager)
    client = _logged_in("responsable", next_page="/statistiques/")

    response = client.get("/statistiques/")
    assert response["Location"] == f"{CODE}?next=%2Fstatistiques%2F"
    assert client.get(reverse("account"))["Location"].startswith(CODE)

    clock.shift(timedelta(seconds=30))
    verified = client.post(CODE, {"code": code_now(device), "next": "/statistiques/"})
    assert verified["Location"] == "/statistiques/"
    assert client.get("/statistiques/").status_code == 200


def test_a_wrong_code_at_login_is_refused_in_french(manager):
    _enrolled(manager)
    client = _logged_in("responsable")

    response = client.post(CODE, {"code": "000000"})

    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "Code incorrect. Saisissez les 6 chiffres affichés maintenant par votre application "
        "(ils changent toutes les 30 secondes), ou un code de secours."
    ]
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.content.decode()
    assert client.get(REGISTER)["Location"].startswith(CODE)


def test_a_recovery_code_replaces_the_phone_once(manager):
    device = enrolment_device(manager)
    codes = enrolment_confirm(device=device, code=code_now(device))
    client = _logged_in("responsable")

    response = client.post(CODE, {"code": codes[0]}, follow=True)

    assert messages_of(response)[0].startswith(
        "Code de secours utilisé : il ne servira plus. Il vous en reste 9."
    )
    assert response.status_code == 200
    again = _logged_in("responsable")
    assert again.post(CODE, {"code": codes[0]}).status_code == 400


def test_an_open_redirect_after_the_code_goes_to_the_register(manager, clock):
    device = _enrolled(manager)
    client = _logged_in("responsable")
    clock.shift(timedelta(seconds=30))

    response = client.post(CODE, {"code": code_now(device), "next": "https://ailleurs.example"})

    assert response["Location"] == REGISTER


def test_a_provisional_password_is_replaced_first(referent):
    password = password_provisional_set(user=referent)
    client = _logged_in("referente", password)

    assert client.get(REGISTER)["Location"] == f"{PROVISIONAL}?next=%2F"
    same = client.post(
        PROVISIONAL, {"new_password1": password, "new_password2": password, "next": REGISTER}
    )
    assert same.context["form"].errors["new_password2"] == [
        "Choisissez un mot de passe différent du mot de passe provisoire."
    ]
    chosen = client.post(
        PROVISIONAL,
        {"new_password1": "Ma phrase à moi 42", "new_password2": "Ma phrase à moi 42"},
    )
    assert chosen["Location"] == reverse("my_work")  # no next given: a referent's home
    referent.refresh_from_db()
    assert referent.password_provisional is False
    assert referent.check_password("Ma phrase à moi 42")
    assert client.get(REGISTER).status_code == 200


def test_a_new_manager_changes_the_password_then_enrols(manager):
    password = password_provisional_set(user=manager)
    client = _logged_in("responsable", password)

    assert client.get(REGISTER)["Location"].startswith(PROVISIONAL)
    client.post(
        PROVISIONAL, {"new_password1": "Ma phrase à moi 42", "new_password2": "Ma phrase à moi 42"}
    )
    assert client.get(REGISTER)["Location"].startswith(ENROL)


def test_the_steps_pages_send_an_account_with_nothing_to_do_on(referent_client):
    for page in (CODE, PROVISIONAL, ENROL):
        response = referent_client.get(f"{page}?next=/journal/")
        assert response["Location"] == "/journal/"


def test_the_steps_pages_need_a_login(db):
    for page in (CODE, PROVISIONAL, ENROL):
        assert Client().get(page)["Location"] == f"{LOGIN}?next={page}"


def test_the_steps_pages_check_csrf(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)

    assert client.post(ENROL, {"code": "123456"}).status_code == 403
    assert client.post(PROVISIONAL, {}).status_code == 403


def test_referents_enrol_when_the_organisation_requires_it(
    manager_client, organisation, referent_client
):
    assert referent_client.get(REGISTER).status_code == 200
    form = manager_client.get(reverse("organisation_settings")).context["form"]
    values = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, False) and name not in ("extra_closures", "worked_holidays")
    }
    values["two_factor_for_referents"] = "on"
    response = manager_client.post(reverse("organisation_settings"), values)
    assert response.status_code == 302, response.context["form"].errors

    organisation.refresh_from_db()
    assert organisation.two_factor_for_referents is True
    assert referent_client.get(REGISTER)["Location"] == f"{ENROL}?next=%2F"


def test_an_auditor_is_never_required_to_enrol(organisation, auditor_client):
    organisation.two_factor_for_referents = True
    organisation.save()

    assert auditor_client.get(REGISTER).status_code == 200


@pytest.mark.parametrize("flag", [False, True])
def test_demo_accounts_skip_the_steps_only_while_the_demo_is_served(manager, settings, flag):
    manager.demo = True
    manager.save()
    settings.RECLAMATIONS_DEMO = flag
    client = _logged_in("responsable")

    response = client.get(REGISTER)

    assert response.status_code == (200 if flag else 302)
    assert is_enrolled(manager) is False


def test_an_account_shown_its_password_on_the_users_page_must_replace_it(manager_client):
    manager_client.post(
        reverse("users"),
        {"username": "claire", "first_name": "Claire", "role": "referent", "email": ""},
    )
    invited = manager_client.post(
        reverse("users"),
        {"username": "paul", "role": "referent", "email": "paul@example.org", "invite": "on"},
    )

    assert invited.status_code == 200
    accounts = User.objects.filter(username__in=["claire", "paul"]).order_by("username")
    assert [(a.username, a.password_provisional) for a in accounts] == [
        ("claire", True),
        ("paul", False),
    ]
