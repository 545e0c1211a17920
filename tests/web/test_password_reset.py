"""A forgotten password: the link goes out through the outbox, and the page never says whether
an address has an account."""

import re

from django.test import Client
from django.urls import reverse

from reclamations.core.users import password_provisional_set
from reclamations.outbox.models import OutgoingMessage

from .helpers import text_of

RESET = reverse("password_reset")
SENT = reverse("password_reset_done")


def _link(message: OutgoingMessage) -> str:
    return re.search(r"http://127\.0\.0\.1:8000(/mot-de-passe-oublie/\S+/)", message.body_text)[1]


def test_the_login_page_links_to_the_reset(referent):
    assert f'href="{RESET}"' in Client().get(reverse("login")).content.decode()


def test_a_known_address_gets_a_link_in_the_outbox(referent, organisation):
    response = Client().post(RESET, {"email": "REFERENTE@example.org"})

    assert response["Location"] == SENT
    message = OutgoingMessage.objects.get()
    assert (message.organisation, message.to, message.kind) == (
        organisation,
        "referente@example.org",
        "staff_password_reset",
    )
    assert message.subject == "Nouveau mot de passe pour le registre des réclamations de CCS"
    assert "compte « referente »" in message.body_text
    assert "lien valable 3 jours, une seule fois" in message.body_text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(referent):
    known = Client().post(RESET, {"email": "referente@example.org"}, follow=True)
    unknown = Client().post(RESET, {"email": "personne@example.org"}, follow=True)

    assert text_of(known) == text_of(unknown)
    assert OutgoingMessage.objects.count() == 1


def test_an_inactive_account_gets_no_mail(referent):
    referent.is_active = False
    referent.save()

    Client().post(RESET, {"email": "referente@example.org"})

    assert not OutgoingMessage.objects.exists()


def test_an_invalid_address_is_said_in_french_and_kept(db):
    response = Client().post(RESET, {"email": "pas-une-adresse"})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."
    ]
    assert 'value="pas-une-adresse"' in response.content.decode()


def test_the_link_sets_a_new_password_once_and_ends_a_provisional_one(referent):
    password_provisional_set(user=referent)
    Client().post(RESET, {"email": "referente@example.org"})
    link = _link(OutgoingMessage.objects.get())
    visitor = Client()

    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Nouveau mot de passe" in text_of(form_page)
    assert form_page["Referrer-Policy"] == "no-referrer"
    set_url = form_page.redirect_chain[-1][0]
    done = visitor.post(
        set_url,
        {"new_password1": "Une phrase neuve 31", "new_password2": "Une phrase neuve 31"},
    )

    assert done["Location"] == reverse("password_reset_complete")
    referent.refresh_from_db()
    assert referent.check_password("Une phrase neuve 31")
    assert referent.password_provisional is False
    again = Client().get(link, follow=True)
    assert "Lien invalide ou expiré" in text_of(again)


def test_the_link_uses_the_sites_address_not_the_requests_host(referent, settings):
    settings.ALLOWED_HOSTS = ["*"]

    Client().post(RESET, {"email": "referente@example.org"}, HTTP_HOST="attaquant.example")

    body = OutgoingMessage.objects.get().body_text
    assert "attaquant" not in body
    assert "http://127.0.0.1:8000/mot-de-passe-oublie/" in body
