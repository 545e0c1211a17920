"""'Données personnelles' (managers and administrators): the subject-access export downloaded
from the page, streamed and never kept by a browser; an address nobody has said on the page,
with no file; referents and auditors refused; another organisation's manager finds nothing of
ours."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from reclamations.core.models import SecurityRecord, User
from reclamations.core.roles import Role
from reclamations.core.security_events import SecurityEvent
from tests.accounts import verified_login
from tests.factories import make_complaint

from .helpers import PDF, field_errors, text_of, upload

PAGE = reverse("personal_data")
JULIE = "julie.martin@example.org"


@pytest.fixture
def julie(organisation, referent):
    """Julie Martin's complaint, her letter kept with it."""
    return make_complaint(organisation, referent, original=upload("lettre.pdf", PDF))


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _no_store(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"no-store", "private"} <= directives


def test_the_page_is_in_the_managers_menu_and_says_what_the_export_holds(manager_client):
    response = manager_client.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<a href="{PAGE}" aria-current="page">Données personnelles</a>' in page
    text = text_of(response)
    assert "Droit d'accès : exporter les données d'une personne" in text
    assert "article 15 du RGPD" in text
    assert 'method="post"' in page  # the address never goes into a URL, a history or a log
    assert set(response.context["form"].fields) == {"email", "name"}


def test_an_address_downloads_the_persons_zip_streamed_and_never_stored(
    manager_client, manager, julie
):
    response = manager_client.post(PAGE, {"email": "Julie.Martin@Example.ORG", "name": ""})

    assert response.status_code == 200
    assert response.streaming  # a temporary file sent in chunks, not the ZIP in memory
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="donnees-personnelles-julie-martin-example-org-2026-11-02.zip"'
    )
    assert _no_store(response)
    archive = _zip(response)
    folder = f"reclamations/{julie.reference}"
    assert f"{folder}/reclamation.json" in archive.namelist()
    assert archive.read(f"{folder}/documents/lettre.pdf") == PDF
    person = json.loads(archive.read("personne.json"))
    assert person["personne"]["adresses_e_mail"] == [JULIE]
    assert person["constitue_par"] == manager.display_name
    assert f"par {manager.display_name}." in archive.read("LISEZMOI.txt").decode("utf-8")


def test_each_export_leaves_a_line_in_the_security_journal_saying_who_and_which_files(
    manager_client, manager, julie
):
    manager_client.post(PAGE, {"email": JULIE}, REMOTE_ADDR="192.0.2.7")

    record = SecurityRecord.objects.get(kind=SecurityEvent.SUBJECT_EXPORTED)
    assert (record.user, record.organisation, record.address) == (
        manager,
        manager.organisation,
        "192.0.2.7",
    )
    assert record.detail == f"{julie.reference} : 1 réclamation, 1 document, 0 e-mail reçu, " + (
        "1 message envoyé"
    )
    assert JULIE not in record.detail  # the journal says which files, not whose address


def test_an_address_nobody_has_exports_nothing_and_journals_nothing(manager_client, julie):
    manager_client.post(PAGE, {"email": "inconnue@example.org"})

    assert not SecurityRecord.objects.filter(kind=SecurityEvent.SUBJECT_EXPORTED).exists()


def test_a_name_widens_the_export_from_the_page(manager_client, organisation, referent, julie):
    letter = make_complaint(
        organisation, referent, channel="letter", client_name="MARTIN Julie", client_email=""
    )

    response = manager_client.post(PAGE, {"email": JULIE, "name": "Julie Martin"})

    person = json.loads(_zip(response).read("personne.json"))
    assert [c["reference"] for c in person["reclamations"]] == [julie.reference, letter.reference]
    assert person["a_verifier"]["trouvees_par_le_nom_seul"] == [letter.reference]


def test_an_address_nobody_has_is_said_on_the_page_and_gives_no_file(manager_client, julie):
    response = manager_client.post(PAGE, {"email": "inconnue@example.org"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert (
        "Aucune donnée sur inconnue@example.org dans le registre de CCS : aucune réclamation à "
        "cette adresse"
    ) in text_of(response)
    assert response.context["form"]["email"].value() == "inconnue@example.org"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("julie.martin", "Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."),
        ("", "Indiquez l'adresse e-mail de la personne."),
    ],
)
def test_a_wrong_address_is_refused_next_to_its_field(manager_client, email, message):
    response = manager_client.post(PAGE, {"email": email})

    assert response.status_code == 400
    assert field_errors(response, "email") == [message]
    assert "Content-Disposition" not in response


def test_an_administrator_exports_too(admin_user, julie):
    client = verified_login(Client(), admin_user)

    response = client.post(PAGE, {"email": JULIE})

    assert response["Content-Type"] == "application/zip"


def test_referents_and_auditors_are_refused_and_not_shown_the_page(
    referent_client, auditor_client, julie
):
    for client in (referent_client, auditor_client):
        assert client.get(PAGE).status_code == 403
        refused = client.post(PAGE, {"email": JULIE})
        assert refused.status_code == 403
        assert "Content-Disposition" not in refused
        assert f'href="{PAGE}"' not in client.get(reverse("register")).content.decode()


def test_another_organisations_manager_finds_nothing_of_ours(other_organisation, julie):
    their_manager = User.objects.create_user(
        username="responsable-b", role=Role.MANAGER, organisation=other_organisation
    )
    theirs = verified_login(Client(), their_manager)

    response = theirs.post(PAGE, {"email": JULIE})

    assert "Content-Disposition" not in response
    assert "Aucune donnée sur julie.martin@example.org dans le registre de Autre organisme" in (
        text_of(response)
    )
