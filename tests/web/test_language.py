"""Each staff user picks the language of their pages (French by default, or English); the login
follows the language cookie their pages leave; the API and the organisation's files stay in
French."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reclamations.core.models import SecurityRecord, User
from reclamations.core.users import token_create
from tests.factories import make_complaint
from tests.web.helpers import messages_of, text_of

pytestmark = [
    pytest.mark.usefixtures("clock"),
    pytest.mark.skipif(
        not Path("reclamations/locale/en/LC_MESSAGES/django.mo").exists(),
        reason="traductions non compilées (msgfmt : apt-get install gettext)",
    ),
]


def test_a_new_account_reads_french(referent):
    assert referent.language == "fr"


def test_choosing_english_on_the_account_page_turns_the_pages_to_english(referent_client, referent):
    response = referent_client.post(reverse("account_language"), {"language": "en"}, follow=True)

    referent.refresh_from_db()
    assert referent.language == "en"
    assert messages_of(response) == ["Language of the pages saved."]
    assert "<h1>My account</h1>" in response.content.decode()
    assert referent_client.cookies["django_language"].value == "en"
    register = referent_client.get(reverse("register"))
    assert '<html lang="en">' in register.content.decode()
    assert "Complaints register" in text_of(register)


def test_back_to_french(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    response = referent_client.post(reverse("account_language"), {"language": "fr"}, follow=True)

    assert messages_of(response) == ["Langue des pages enregistrée."]
    assert "<h1>Mon compte</h1>" in response.content.decode()


def test_an_unknown_language_is_refused_on_its_field(referent_client, referent):
    response = referent_client.post(reverse("account_language"), {"language": "de"})

    referent.refresh_from_db()
    assert response.status_code == 400
    assert response.context["language_form"].errors["language"] == [
        "Choisissez une langue dans la liste."
    ]
    assert referent.language == "fr"


def test_django_s_own_password_messages_come_in_english(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    response = referent_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )

    text = text_of(response)
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in text
    assert "The two password fields didn’t match." in text  # noqa: RUF001 - Django's wording


def test_the_login_is_in_french_for_an_english_browser_without_the_cookie(client, organisation):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="fr">' in page.content.decode()
    assert "<h1>Connexion</h1>" in page.content.decode()


def test_an_english_user_s_pages_leave_the_cookie_the_login_reads_after_logout(
    referent_client, referent
):
    referent.language = "en"
    referent.save(update_fields=["language"])

    referent_client.get(reverse("register"))
    referent_client.post(reverse("logout"))
    login = referent_client.get(reverse("login"))

    assert referent_client.cookies["django_language"].value == "en"
    assert "<h1>Log in</h1>" in login.content.decode()
    assert "Forgotten password?" in text_of(login)


def test_the_api_stays_in_french_for_an_english_user(organisation, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])
    complaint = make_complaint(organisation, referent)
    token = token_create(user=referent, label="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    body = api.get(f"/api/v1/complaints/{complaint.reference}").json()

    assert body["status_label"] == "En cours de traitement"


def test_the_register_exported_by_an_english_user_is_in_french(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])
    make_complaint(referent.organisation, referent)

    response = referent_client.get(reverse("register_export", args=["csv"]))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "En cours de traitement" in content
    assert "Being handled" not in content


def test_the_chronology_stores_french_whoever_acts(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    referent_client.post(
        reverse("complaint_new"),
        {
            "channel": "email",
            "received_date": "2026-11-02",
            "received_time": "09:00",
            "client_name": "Jane Smith",
            "client_email": "jane@example.org",
            "description": "Cancelled sessions.",
            "kind": "complaint",
            "severity": "medium",
            "confirmation_requested_via": "email",
        },
    )

    event = referent.organisation.complaints.get().events.get(event_type="registered")
    assert event.data["missing"] == ["compte client"]
    assert event.data["email"].startswith("accusé de réception en file d'envoi pour ")


def test_the_command_sets_an_account_s_language(referent):
    out = StringIO()

    call_command("user", "language", "referente", "en", stdout=out)

    referent.refresh_from_db()
    assert referent.language == "en"
    assert out.getvalue() == "Compte « referente » : pages en English.\n"


def test_the_command_creates_an_account_in_english(organisation):
    call_command("user", "add", "alex", "--role", "referent", "--language", "en", stdout=StringIO())

    assert User.objects.get(username="alex").language == "en"


def test_a_refusal_reads_in_english_and_is_recorded_in_french(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    response = referent_client.get(reverse("organisation_settings"))

    assert response.status_code == 403
    assert "<h1>Access refused</h1>" in response.content.decode()
    assert "Only managers manage the organisation's settings and accounts." in text_of(response)
    record = SecurityRecord.objects.latest("pk")
    assert record.detail == (
        "Seuls les responsables gèrent les réglages et les comptes de l'organisme."
    )


def test_a_page_not_found_reads_in_english(referent_client, referent):
    referent.language = "en"
    referent.save(update_fields=["language"])

    response = referent_client.get(reverse("complaint_detail", args=["REC-1999-0001"]))

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert (
        "No complaint “REC-1999-0001” in your register. Check the address or start again from "
        "the register."
    ) in text_of(response)
