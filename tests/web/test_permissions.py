"""Who may see and do what; pages of another organisation; error pages; login; CSP."""

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

import reclamations.web
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.services import complaint_apply
from reclamations.web.middleware import CONTENT_SECURITY_POLICY
from tests.factories import make_complaint

from .helpers import PDF, text_of, upload


@pytest.fixture
def complaint(organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=upload("courrier.pdf", PDF),
    )
    return complaint


def _pages(complaint):
    reference = complaint.reference
    document = complaint.documents.get()
    return {
        "register": reverse("register"),
        "journal": reverse("journal"),
        "journal_export": reverse("journal_export", args=["csv"]),
        "complaint_new": reverse("complaint_new"),
        "complaint_detail": reverse("complaint_detail", args=[reference]),
        "complaint_action": reverse("complaint_action", args=[reference, "add_note"]),
        "document_download": reverse("document_download", args=[reference, document.pk]),
        "organisation_settings": reverse("organisation_settings"),
        "users": reverse("users"),
    }


def test_anonymous_is_sent_to_login_from_every_page(client, complaint):
    for url in _pages(complaint).values():
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, f"/connexion/?next={url}")


def test_auditor_reads_but_cannot_open_handler_or_manager_pages(auditor_client, complaint):
    statuses = {
        name: auditor_client.get(url).status_code for name, url in _pages(complaint).items()
    }

    assert statuses == {
        "register": 200,
        "journal": 200,
        "journal_export": 200,
        "complaint_new": 403,
        "complaint_detail": 200,
        "complaint_action": 403,
        "document_download": 200,
        "organisation_settings": 403,
        "users": 403,
    }


def test_auditor_cannot_register_a_complaint(auditor_client, complaint):
    response = auditor_client.post(
        reverse("complaint_new"),
        {"channel": "letter", "client_name": "Intrus", "received_date": "2026-11-02"},
    )

    assert response.status_code == 403
    assert "Votre rôle permet de consulter le registre, pas de le modifier." in text_of(response)
    assert Complaint.objects.count() == 1


def test_auditor_cannot_apply_an_action(auditor_client, complaint):
    events_before = ComplaintEvent.objects.count()

    response = auditor_client.post(
        reverse("complaint_action", args=[complaint.reference, "add_note"]), {"text": "Intrus"}
    )

    assert response.status_code == 403
    assert ComplaintEvent.objects.count() == events_before


def test_auditor_cannot_change_settings(auditor_client, organisation):
    response = auditor_client.post(reverse("organisation_settings"), {"name": "Intrus"})

    organisation.refresh_from_db()
    assert (response.status_code, organisation.name) == (403, "CCS")


def test_auditor_cannot_add_users(auditor_client):
    response = auditor_client.post(reverse("users"), {"username": "intrus", "role": "admin"})

    assert response.status_code == 403


def test_other_organisation_complaint_is_404(outsider_client, complaint):
    pages = _pages(complaint)
    for name in ("complaint_detail", "complaint_action", "document_download"):
        assert outsider_client.get(pages[name]).status_code == 404
    response = outsider_client.post(pages["complaint_action"], {"text": "Intrus"})
    assert response.status_code == 404
    assert ComplaintEvent.objects.filter(data__text="Intrus").count() == 0


def test_404_page_in_french(referent_client):
    response = referent_client.get(reverse("complaint_detail", args=["REC-2026-9999"]))

    assert response.status_code == 404
    assert (
        "Page introuvable Aucune réclamation « REC-2026-9999 » dans votre registre. Vérifiez "
        "l'adresse ou repartez du registre."
    ) in text_of(response)


def test_unknown_address_404_in_french(referent_client):
    response = referent_client.get("/nulle-part/")

    assert "Cette adresse ne correspond à aucune page du registre." in text_of(response)


def test_500_page_renders_without_request_context():
    page = render_to_string("500.html")

    assert "<h1>Erreur du serveur</h1>" in page
    assert 'href="#contenu">Aller au contenu</a>' in page


def test_top_bar_for_referent(referent_client):
    text = text_of(referent_client.get(reverse("register")))

    assert (
        "CCS Mon travail Registre Journal Statistiques Amélioration Procédure Aide Nouvelle "
        "réclamation Tri des e-mails Referente : mon compte (Référent·e) Déconnexion"
    ) in text
    assert "Réglages" not in text
    assert "Données personnelles" not in text


def test_top_bar_for_manager_and_auditor(manager_client, auditor_client):
    manager_text = text_of(manager_client.get(reverse("register")))
    auditor_text = text_of(auditor_client.get(reverse("register")))

    assert (
        "CCS Mon travail Registre Journal Statistiques Amélioration Procédure Aide Nouvelle "
        "réclamation Tri des e-mails Réglages Utilisateurs Données personnelles Modèles de "
        "messages Responsable : mon compte "
        "(Responsable) "
        "Déconnexion"
    ) in manager_text
    assert (
        "CCS Registre Journal Statistiques Amélioration Procédure Aide Auditeur : mon compte "
        "(Auditeur·rice) "
        "Déconnexion" in auditor_text
    )


def test_login_then_logout(referent):
    client = Client()

    login_page = client.get(reverse("login"))
    logged_in = client.post(
        reverse("login"), {"username": "referente", "password": "correct horse battery staple"}
    )
    logged_out = client.post(reverse("logout"))

    assert '<label for="id_username" class="required"' in login_page.content.decode()
    # A referent lands on the work lists.
    assert (logged_in.status_code, logged_in["Location"]) == (302, "/mon-travail/")
    assert (logged_out.status_code, logged_out["Location"]) == (302, "/connexion/")
    assert client.get(reverse("register")).status_code == 302


def test_login_with_wrong_password_says_so_in_french(referent):
    response = Client().post(reverse("login"), {"username": "referente", "password": "non"})

    assert response.status_code == 200
    assert (
        "Nom d\u2019utilisateur ou mot de passe incorrect. Vérifiez-les (les majuscules comptent) "
        "puis réessayez."
    ) in text_of(response)


def test_login_page_stays_french_for_an_english_browser(referent):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("login"))

    page = response.content.decode()
    required = 'class="required" data-required="(obligatoire)"'
    assert f'<label for="id_username" {required}>Nom d\u2019utilisateur</label>' in page
    assert f'<label for="id_password" {required}>Mot de passe</label>' in page


def test_pages_have_no_inline_style_or_script(
    referent_client, manager_client, complaint, organisation, referent
):
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="update_details",
        data={"client_account": "CLI-002", "reason": "Correction."},
    )
    reference = complaint.reference
    responses = [
        Client().get(reverse("login")),
        referent_client.get(reverse("register")),
        referent_client.get(reverse("register"), {"received_from": "bad"}),
        referent_client.get(reverse("journal")),
        referent_client.get(reverse("journal"), {"recorded_from": "bad", "actor": "x"}),
        referent_client.get(reverse("complaint_new")),
        referent_client.post(reverse("complaint_new"), {"channel": ""}),
        referent_client.get(reverse("complaint_detail", args=[reference])),
        referent_client.get(reverse("complaint_action", args=[reference, "update_details"])),
        referent_client.get(reverse("complaint_action", args=[reference, "close"])),
        referent_client.get(reverse("complaint_detail", args=["REC-1999-0001"])),
        referent_client.get(reverse("organisation_settings")),
        manager_client.get(reverse("organisation_settings")),
        manager_client.get(reverse("users")),
    ]

    for response in responses:
        page = response.content.decode()
        assert 'style="' not in page
        assert re.findall(r"<style|<script(?![^>]*\bsrc=)|\son[a-z]+=", page) == []
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "<script" not in render_to_string("500.html")


def test_templates_on_disk_have_no_inline_style_or_script():
    root = Path(reclamations.web.__file__).parent / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r'style="|<style|<script(?![^>]*\bsrc=)|\son[a-z]+=', path.read_text())
    ]

    assert offenders == []
