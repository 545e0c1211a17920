"""'Importer un registre existant' (managers only): the file typed by its content, the mapping
with a preview of the first lines, the dry run's report, then the import; choices kept when the
mapping is wrong; referents, auditors and other organisations refused."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.roles import Role
from reclamations.register_import.header import SUB_HEADER
from reclamations.register_import.models import RegisterImport
from tests.accounts import verified_login
from tests.register_import.files import WINDOWS_CSV, messy_workbook

from .helpers import PDF, messages_of, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")

UPLOAD = reverse("register_import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mapping_page(upload_id: int) -> str:
    return reverse("register_import_mapping", args=[upload_id])


def _uploaded(client, content=None, name="registre-ccs.xlsx") -> RegisterImport:
    response = client.post(UPLOAD, {"file": upload(name, content or messy_workbook(), XLSX_TYPE)})
    stored = RegisterImport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == _mapping_page(stored.pk)
    return stored


def _fields(response) -> dict[str, str]:
    """What the mapping form holds now, as the page would post it back."""
    form = response.context["form"]
    values = {}
    for field in form:
        value = field.value()
        values[field.html_name] = "" if value is None else str(value)
    return values


def test_the_register_page_offers_the_import_to_managers_only(manager_client, referent_client):
    assert "Importer un registre existant" in text_of(manager_client.get(reverse("register")))
    assert "Importer un registre existant" not in text_of(referent_client.get(reverse("register")))


def test_the_mapping_step_says_how_the_file_was_read_and_shows_its_first_lines(
    manager_client, manager
):
    stored = _uploaded(manager_client)

    response = manager_client.get(_mapping_page(stored.pk))

    page = text_of(response)
    assert "Classeur Excel (XLSX), feuille « Registre » (le classeur en a 2" in page
    assert "Titres des colonnes : ligne 3 et 4." in page
    assert "5 2023-001 14/03/2023 Amélie Laurent CLI-2023-014 Plateforme" in page
    assert "10 2024-002" not in page  # five lines: 5 to 9
    form = response.context["form"]
    assert form["column_2"].label == f"Client{SUB_HEADER}Nom du client"
    assert form["column_2"].value() == "client_name"
    assert form["column_8"].value() == "replied_on"
    assert form["sheet"].value() == "Registre"
    assert (stored.uploaded_by, stored.imported_at, stored.original_name) == (
        manager,
        None,
        "registre-ccs.xlsx",
    )


def test_the_dry_run_reports_every_line_and_writes_nothing(manager_client):
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))
    before = (Complaint.objects.count(), ComplaintEvent.objects.count())

    response = manager_client.post(_mapping_page(stored.pk), {**_fields(page), "step": "simulate"})

    assert response.status_code == 200
    text = text_of(response)
    assert (
        "Simulation : 9 ligne(s) lue(s), 5 réclamation(s) seront créées, 0 déjà importée(s), "
        "4 ligne(s) en erreur, non importée(s)" in text
    )
    assert "Ligne 10, colonne « Reçue le » : date illisible « 31/02/2024 »" in text
    assert "Ligne 14, colonne « Canal » : canal « Fax » inconnu." in text
    assert "Importer 5 réclamations" in text
    assert (Complaint.objects.count(), ComplaintEvent.objects.count()) == before


def test_importing_after_the_dry_run_creates_the_complaints_and_shows_them(manager_client):
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))
    simulated = manager_client.post(
        _mapping_page(stored.pk),
        {**_fields(page), "default_outcome": "granted", "step": "simulate"},
    )
    assert "Importer 6 réclamations" in text_of(simulated)

    response = manager_client.post(
        _mapping_page(stored.pk), {**_fields(simulated), "step": "import"}, follow=True
    )

    assert messages_of(response) == [
        "Import terminé : 9 ligne(s) lue(s), 6 réclamation(s) créées, 0 déjà importée(s), 3 "
        "ligne(s) en erreur, non importée(s), 1 ligne(s) vide(s) ignorée(s), 1 ligne(s) de titre "
        "ignorée(s)."
    ]
    text = text_of(response)
    assert "Registre importé : « registre-ccs.xlsx »" in text
    assert "REC-2026-0001 5 Amélie Laurent 14/03/2023 Clôturée" in text
    stored.refresh_from_db()
    assert (stored.created_count, stored.imported_at is not None) == (6, True)
    detail = text_of(manager_client.get(reverse("complaint_detail", args=["REC-2026-0001"])))
    assert "Reprise d'un registre existant" in detail
    assert (
        "Réclamation reprise d'un registre existant le 02/11/2026 : fichier "
        "« registre-ccs.xlsx », ligne 5, référence d'origine « 2023-001 »." in detail
    )

    again = manager_client.post(_mapping_page(stored.pk), {**_fields(simulated), "step": "import"})
    assert again.status_code == 302
    assert Complaint.objects.count() == 6


def test_a_mapping_changed_after_the_dry_run_is_simulated_again_not_imported(manager_client):
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))
    simulated = manager_client.post(_mapping_page(stored.pk), {**_fields(page), "step": "simulate"})

    response = manager_client.post(
        _mapping_page(stored.pk),
        {**_fields(simulated), "column_10": "", "step": "import"},
    )

    assert messages_of(response) == [
        "La correspondance a changé depuis la simulation : vérifiez la nouvelle simulation "
        "ci-dessous avant d'importer."
    ]
    assert Complaint.objects.count() == 0


def test_a_wrong_mapping_is_said_and_every_choice_kept(manager_client):
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))
    chosen = {
        **_fields(page),
        "column_1": "",  # no date of reception
        "column_3": "client_name",  # given twice
        "default_channel": "phone",
        "step": "simulate",
    }

    response = manager_client.post(_mapping_page(stored.pk), chosen)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Choisissez la colonne qui donne la date de réception : elle est obligatoire."
    ]
    assert form.errors["column_3"] == [
        f"« Nom du client » est déjà donnée par une autre colonne (« Client{SUB_HEADER}Nom du "
        f"client » et « Client{SUB_HEADER}Compte ») : gardez-en une."
    ]
    assert (form["column_1"].value(), form["column_3"].value()) == ("", "client_name")
    assert form["default_channel"].value() == "phone"
    assert response.context["report"] is None


def test_another_sheet_is_read_again_and_its_columns_proposed(manager_client):
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))

    response = manager_client.post(
        _mapping_page(stored.pk),
        {**_fields(page), "sheet": "Synthèse", "header_line": "", "step": "reread"},
    )

    assert messages_of(response) == [
        "Colonnes relues : vérifiez le champ proposé pour chacune, puis lancez la simulation."
    ]
    assert response.context["header"].names == ("Total", "9")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "registre.xlsx",
            PDF,
            "Ce fichier n'est ni un classeur XLSX ni un CSV (son contenu est de type PDF) : "
            "enregistrez le registre au format .xlsx ou CSV.",
        ),
        (
            "registre.csv",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "C'est un classeur Excel 97-2003 (.xls) : ouvrez-le dans Excel ou LibreOffice et "
            "enregistrez-le au format .xlsx (ou CSV), puis importez ce fichier.",
        ),
        ("vide.csv", b"", "Le fichier est vide."),
    ],
)
def test_a_file_that_is_no_register_is_refused_by_its_content(
    manager_client, name, content, message
):
    response = manager_client.post(UPLOAD, {"file": upload(name, content, "text/csv")})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [message]
    assert RegisterImport.objects.count() == 0


def test_a_file_over_the_upload_limit_is_refused(manager_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024

    response = manager_client.post(UPLOAD, {"file": upload("registre.csv", WINDOWS_CSV * 10)})

    assert response.context["form"].errors["file"] == [
        "Le fichier pèse 4 Ko : la limite est de 1 Ko. Découpez le registre (par année, par "
        "exemple)."
    ]
    assert RegisterImport.objects.count() == 0


@pytest.mark.parametrize("role_client", ["referent_client", "auditor_client"])
def test_referents_and_auditors_are_refused(request, manager_client, role_client):
    stored = _uploaded(manager_client)
    client = request.getfixturevalue(role_client)

    for method, address in (
        ("get", UPLOAD),
        ("post", UPLOAD),
        ("get", _mapping_page(stored.pk)),
        ("post", _mapping_page(stored.pk)),
    ):
        assert getattr(client, method)(address).status_code == 403, (method, address)
    assert RegisterImport.objects.count() == 1
    assert ComplaintEvent.objects.filter(event_type=EventType.REGISTER_IMPORTED).count() == 0


def test_another_organisations_upload_is_not_found(manager_client, outsider):
    stored = _uploaded(manager_client)
    outsider.role = Role.MANAGER
    outsider.save()
    other = verified_login(Client(), outsider)

    assert other.get(_mapping_page(stored.pk)).status_code == 404
    assert other.post(_mapping_page(stored.pk), {"step": "import"}).status_code == 404


def _imported_csv(client, lines: int) -> RegisterImport:
    rows = "".join(
        f"1{index}/03/2024;Client {lines}-{index};CLI-{index};en cours\r\n"
        for index in range(lines)
    )
    content = f"Date de réception;Nom du client;Compte client;Statut\r\n{rows}".encode()
    stored = _uploaded(client, content, name=f"registre-{lines}.csv")
    page = client.get(_mapping_page(stored.pk))
    simulated = client.post(_mapping_page(stored.pk), {**_fields(page), "step": "simulate"})
    client.post(_mapping_page(stored.pk), {**_fields(simulated), "step": "import"})
    stored.refresh_from_db()
    assert stored.created_count == lines
    return stored


def test_the_imported_files_pages_read_the_same_queries_for_one_line_or_three(manager_client):
    one = _imported_csv(manager_client, 1)
    with CaptureQueriesContext(connection) as for_one:
        assert manager_client.get(_mapping_page(one.pk)).status_code == 200
        assert manager_client.get(UPLOAD).status_code == 200
    three = _imported_csv(manager_client, 3)

    with CaptureQueriesContext(connection) as for_three:
        assert manager_client.get(_mapping_page(three.pk)).status_code == 200
        assert manager_client.get(UPLOAD).status_code == 200

    assert len(for_three) == len(for_one)


def test_the_upload_page_says_above_which_size_the_command_is_the_way(manager_client):
    page = text_of(manager_client.get(UPLOAD))

    assert (
        "Un registre de plus de 200 lignes : l'import prend plus de cinq secondes sur cette "
        "page ; au-delà de 1 000 lignes, la page "
        "refuse le fichier. Importez-le plutôt avec la commande, sur le serveur (une personne "
        "qui l'administre) : reclamations import-register registre.xlsx --dry-run affiche la "
        "correspondance proposée et chaque erreur, puis la même commande sans --dry-run importe."
    ) in page


def test_a_register_over_the_web_s_limit_is_refused_with_the_command_to_use(manager_client):
    lines = "".join(f"{1 + n % 28:02d}/03/2024;Client {n};Retard\r\n" for n in range(1_000))
    content = ("Date de réception;Client;Description\r\n" + lines).encode()

    response = manager_client.post(UPLOAD, {"file": upload("registre.csv", content, "text/csv")})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Le registre compte 1\N{NO-BREAK SPACE}001 lignes : la page en importe "
        "1\N{NO-BREAK SPACE}000 au plus, au-delà l'import dépasserait le temps d'attente du "
        "serveur. Importez-le avec la commande, sur le serveur : « reclamations import-register "
        "registre.xlsx --dry-run », puis la même sans --dry-run ; ou découpez-le en fichiers "
        "plus petits (par année)."
    ]
    assert RegisterImport.objects.count() == 0


def test_an_english_manager_reads_the_mapping_s_problems_in_english(manager_client, manager):
    manager.language = "en"
    manager.save(update_fields=["language"])
    stored = _uploaded(manager_client)
    page = manager_client.get(_mapping_page(stored.pk))
    chosen = {**_fields(page), "column_1": "", "column_3": "client_name", "step": "simulate"}

    response = manager_client.post(_mapping_page(stored.pk), chosen)

    form = response.context["form"]
    assert form.non_field_errors() == [
        "Choose the column that gives the date of reception: it is required."
    ]
    assert form.errors["column_3"] == [
        f"“Client's name” is already given by another column (“Client{SUB_HEADER}Nom du "
        f"client” and “Client{SUB_HEADER}Compte”): keep one."
    ]
    assert "Excel workbook (XLSX), sheet “Registre” (the workbook has 2" in text_of(response)


def test_an_english_manager_sees_the_columns_the_import_named_in_english(manager_client, manager):
    manager.language = "en"
    manager.save(update_fields=["language"])
    content = "Date de réception;Client;Client;;Description\r\n01/02/2025;A;B;C;Retard\r\n".encode()
    stored = _uploaded(manager_client, content, name="registre.csv")

    response = manager_client.get(_mapping_page(stored.pk))

    shown = text_of(response)
    assert "Client (column B)" in shown
    assert "Untitled (column D)" in shown
    assert "colonne" not in shown.lower()
    labels = [field.label for field in response.context["form"].column_fields]
    assert labels == [
        "Date de réception",
        "Client (column B)",
        "Client (column C)",
        "Untitled (column D)",
        "Description",
    ]
