"""What the organisation publishes (Qualiopi indicator 31): every way to complain, how to
follow a complaint, the procedure in force and the consumer mediator, without an account."""

import pytest
from django.urls import reverse

from reclamations.complaints.demo import ensure_demo_procedure
from tests.web.helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")


def test_the_public_page_says_how_to_complain_and_to_whom_to_turn(client, organisation):
    ensure_demo_procedure(organisation)

    response = client.get(reverse("portal_home"))

    page = text_of(response)
    assert response.status_code == 200
    assert "En ligne, avec le formulaire" in page
    assert "Par e-mail : f.maltese@ccs-legal.fr" in page
    assert "Par courrier : " in page and "351 chemin des Gourettes" in page
    assert "Par téléphone : 07 70 16 23 81" in page
    assert "Délai de réponse : 10 jours ouvrables." in page
    assert "Médiateur de la consommation" in page
    assert "Alpes-Maritimes Médiation" in page and "dans un délai d'un an" in page
    assert "Notre procédure de traitement des réclamations" in page
    assert "Procédure de traitement des réclamations — version de démonstration" in page
    assert f'href="{reverse("portal_file")}"' in response.content.decode()
    assert f'href="{reverse("portal_lookup")}"' in response.content.decode()


def test_the_settings_give_the_public_address_and_a_snippet(manager_client, settings):
    settings.RECLAMATIONS_BASE_URL = "https://reclamations.ccs-legal.fr"

    page = text_of(manager_client.get(reverse("organisation_settings")))

    assert "Son adresse : https://reclamations.ccs-legal.fr/suivi/ ." in page
    assert '<a href="https://reclamations.ccs-legal.fr/suivi/">Réclamations' in page
