"""The procedure pages: every reader reads the versions; a manager publishes the next one."""

from datetime import date

import pytest
from django.urls import reverse

from reclamations.core.models import ProcedureVersion
from reclamations.core.procedures import procedure_publish

from .helpers import field_errors, text_of

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026
PROCEDURE = reverse("procedure")
NEW = reverse("procedure_new")


@pytest.fixture
def published(organisation, manager):
    first = procedure_publish(
        organisation=organisation,
        text="1. Recueil\n2. <script>alert(1)</script>",
        label="v1",
        in_force_from=date(2025, 1, 1),
        actor=manager,
    )
    procedure_publish(
        organisation=organisation,
        text="1. Recueil\n2. Traitement en 8 jours",
        label="v2",
        in_force_from=date(2026, 12, 1),
        actor=None,
    )
    return first


def test_an_auditor_reads_the_version_in_force_and_the_list(auditor_client, published):
    response = auditor_client.get(PROCEDURE)

    page = text_of(response)
    assert (
        "Version « v1 », en vigueur à partir du 01/01/2025 : celle en vigueur aujourd'hui." in page
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert "Publier une nouvelle version" not in page
    assert "2 v2 01/12/2026" in page and "1 v1 en vigueur 01/01/2025" in page


def test_a_version_to_come_says_so(auditor_client, published):
    page = text_of(auditor_client.get(reverse("procedure_version", args=[2])))
    assert "Version « v2 », en vigueur à partir du 01/12/2026 : à venir." in page
    assert auditor_client.get(reverse("procedure_version", args=[9])).status_code == 404


def test_a_manager_publishes_from_the_latest_text(manager_client, published, organisation):
    form = manager_client.get(NEW)
    assert "1. Recueil\n2. Traitement en 8 jours</textarea>" in form.content.decode()

    response = manager_client.post(
        NEW, {"label": "v3", "in_force_from": "2026-12-15", "text": "Texte révisé."}, follow=True
    )

    assert "Version « v3 » publiée." in text_of(response)
    version = ProcedureVersion.objects.get(organisation=organisation, label="v3")
    assert (version.number, version.text, version.published_by.username) == (
        3,
        "Texte révisé.",
        "responsable",
    )


def test_a_refused_version_keeps_what_was_typed(manager_client, published):
    response = manager_client.post(
        NEW, {"label": "v1", "in_force_from": "2026-11-02", "text": "Mon texte en cours"}
    )

    assert response.status_code == 400
    assert field_errors(response, "label") == [
        "La version « v1 » existe déjà : choisissez un autre nom."
    ]
    assert "Mon texte en cours</textarea>" in response.content.decode()


def test_only_managers_publish(referent_client, auditor_client):
    assert referent_client.get(NEW).status_code == 403
    assert auditor_client.post(NEW, {"label": "x"}).status_code == 403


def test_without_a_version_the_page_says_so(manager_client):
    page = text_of(manager_client.get(PROCEDURE))
    assert "Aucune version de la procédure n'est encore publiée dans l'application." in page
