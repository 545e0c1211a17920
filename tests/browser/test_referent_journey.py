"""A referent handles a phone complaint from reception to closure, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.reporting.integrity import verify_organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _do(page, action: str, fields: dict[str, str], *, reference: str) -> None:
    """Open an action from the complaint page (under "Autres actions" when it is not the step
    suggested now), fill its form by label, submit it."""
    link = page.get_by_role("link", name=action, exact=True)
    if not link.is_visible():
        page.locator("summary", has_text="Autres actions").click()
    link.click()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=action).click()
    page.wait_for_url(re.compile(rf"/reclamations/{reference}/$"))


def test_referent_registers_treats_answers_and_closes_a_phone_complaint(page, referent):
    page.goto("/connexion/")
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # A referent lands on the work lists (issue 13), the register one click away.
    page.wait_for_url(re.compile(r"/mon-travail/$"))
    expect(page.get_by_role("heading", name="Mon travail")).to_be_visible()
    page.get_by_role("link", name="Registre", exact=True).click()
    expect(page.get_by_role("heading", name="Registre des réclamations")).to_be_visible()

    page.get_by_role("link", name="Nouvelle réclamation").first.click()
    page.get_by_label("Téléphone", exact=True).check()
    page.get_by_label("Nom du client", exact=True).fill("Karim Benali")
    page.get_by_label("Description de la réclamation", exact=True).fill(
        "Le support de cours ne correspond pas au programme annoncé."
    )
    page.get_by_label("Formation concernée", exact=True).fill("Excel avancé")
    page.get_by_role("button", name="Enregistrer la réclamation").click()

    page.wait_for_url(re.compile(r"/reclamations/REC-\d{4}-0001/$"))
    complaint = Complaint.objects.get()
    reference = complaint.reference
    expect(page.get_by_text(f"Réclamation {reference} enregistrée.")).to_be_visible()
    assert complaint.status == "awaiting_confirmation"
    expect(
        page.locator("main").get_by_text("En attente de confirmation écrite").first
    ).to_be_visible()

    _do(
        page,
        "Demander des informations complémentaires",
        {"Informations manquantes": "Votre numéro de compte client."},
        reference=reference,
    )
    expect(page.locator("main").get_by_text("En attente d'informations").first).to_be_visible()

    _do(
        page,
        "Enregistrer les informations reçues",
        {
            "Résumé des informations reçues": "Le client a donné son compte par e-mail.",
            "Compte client concerné": "CLI-2026-131",
        },
        reference=reference,
    )
    _do(
        page,
        "Enregistrer la confirmation écrite",
        {"Résumé de la confirmation": "Confirmation écrite reçue par e-mail."},
        reference=reference,
    )
    expect(page.locator("main").get_by_text("En cours de traitement").first).to_be_visible()

    _do(
        page,
        "Ajouter une action",
        {"Action menée": "Programme et support comparés avec le formateur."},
        reference=reference,
    )
    page.get_by_role("link", name="Répondre au client", exact=True).click()
    page.get_by_label("Canal de la réponse", exact=True).select_option("email")
    page.get_by_label("Résolution retenue", exact=True).fill("Nouveau support remis au client.")
    page.get_by_label("Texte de la réponse", exact=True).fill(
        "Bonjour, vous trouverez ci-joint le support conforme au programme."
    )
    page.get_by_role("button", name="Répondre au client").click()
    page.wait_for_url(re.compile(rf"/reclamations/{reference}/$"))
    expect(page.locator("main").get_by_text("Répondue").first).to_be_visible()

    page.get_by_role("link", name="Clôturer", exact=True).click()
    page.get_by_label("Fondée, satisfaite", exact=True).check()
    page.get_by_role("button", name="Clôturer").click()
    page.wait_for_url(re.compile(rf"/reclamations/{reference}/$"))

    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.outcome == "granted"
    assert complaint.client_account == "CLI-2026-131"
    assert complaint.replied_on_time is True
    assert list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .order_by("sequence")
        .values_list("event_type", flat=True)
    ) == [
        "registered",
        "confirmation_requested",
        "information_requested",
        "information_received",
        "confirmation_received",
        "action_added",
        "replied",
        "closed",
    ]
    assert verify_organisation(complaint.organisation).ok

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Registre"
    ).click()
    row = page.locator("tr", has=page.get_by_role("link", name=reference))
    expect(row.get_by_text("Clôturée")).to_be_visible()
    expect(row.get_by_text("dans le délai")).to_be_visible()
    assert page.console_errors == []
