"""A referent, in a real browser, decides an improvement action from a complaint's page, carries
it out, checks its effectiveness and closes it; at a phone's width the plan stays readable."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from reclamations.complaints.enums import ImprovementStatus
from reclamations.complaints.models import ImprovementAction
from reclamations.core.localtime import local_today
from tests.conftest import PASSWORD
from tests.factories import make_complaint

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_action_from_a_complaint_to_its_closure(page, organisation, referent):
    complaint = make_complaint(organisation, referent)
    due = local_today(organisation) + timedelta(days=30)

    page.goto("/connexion/")
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/reclamations/{complaint.reference}/")
    page.get_by_role("link", name="Décider une action d'amélioration").click()
    assert page.get_by_label("Réclamations à l'origine").input_value() == complaint.reference
    page.get_by_label("Intitulé").fill("Confirmer les salles par écrit")
    page.get_by_label("Description").fill("La réservation est confirmée la veille.")
    page.get_by_label("Échéance").fill(due.isoformat())
    page.get_by_role("button", name="Décider l'action").click()
    page.wait_for_url(re.compile(r"/ameliorations/AM-\d{4}-001/$"))

    page.locator("summary", has_text="Déclarer réalisée").click()
    page.get_by_label("Ce qui a été fait").fill("Procédure de réservation revue.")
    page.get_by_role("button", name="Déclarer réalisée").click()
    page.locator("summary", has_text="Vérifier l'efficacité").click()
    page.get_by_label("Efficace", exact=True).check()
    page.get_by_label("Preuves").fill("Aucune réclamation sur les salles depuis.")
    page.get_by_role("button", name="Vérifier l'efficacité").click()
    page.locator("summary", has_text="Clore").click()
    page.get_by_role("button", name="Clore").click()

    action = ImprovementAction.objects.get()
    assert action.status == ImprovementStatus.CLOSED
    expect(page.locator(".badge", has_text="Clôturée").first).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/ameliorations/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert page.console_errors == []
