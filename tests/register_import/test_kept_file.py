"""The kept file of an imported register: downloaded as it was imported by managers and the
auditor (never a referent, never another organisation), from the import's page and from each
complaint it created; deleted by the retention run once every complaint it created is
anonymised, with the organisation's event that lets `verify` accept its absence."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.privacy.retention import run_retention
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.models import RegisterImport
from reclamations.register_import.reading import read_table
from reclamations.register_import.services import register_import_run, register_upload_store
from reclamations.reporting.integrity import verify_all
from tests.register_import.files import messy_workbook
from tests.web.helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Three complaints closed in 2024 (the last on 20 June), one closed in 2025 (4 April).
REGISTER = (
    "Réf.;Date de réception;Client;Description;Statut;Date de réponse;Issue\r\n"
    "A1;14/03/2024;Inès Garnier;Salle froide;clos;20/03/2024;fondée\r\n"
    "A2;02/05/2024;Hugo Perrin;Facture en double;clos;10/05/2024;fondée\r\n"
    "A3;12/06/2024;Léa Marchand;Formatrice absente;clos;20/06/2024;rejetée\r\n"
).encode()
LATER = (
    "Réf.;Date de réception;Client;Description;Statut;Date de réponse;Issue\r\n"
    "B1;01/04/2025;Yann Colin;Support manquant;clos;04/04/2025;fondée\r\n"
).encode()
# Five years (the default anonymisation duration) after the last closure of REGISTER.
ALL_ANONYMISED = date(2029, 6, 20)


def _import(organisation, manager, content, name):
    table = read_table(content)
    return register_import_run(
        organisation=organisation,
        actor=manager,
        content=content,
        file_name=name,
        mapping=ColumnMapping(fields=propose(find_header(table))),
    )


def _kept(name: str) -> RegisterImport:
    return RegisterImport.objects.get(original_name=name, imported_at__isnull=False)


def _file_url(upload: RegisterImport) -> str:
    return reverse("register_import_file", args=[upload.pk])


def test_a_manager_downloads_the_file_as_imported_never_kept_by_the_browser(
    organisation, manager, manager_client
):
    content = messy_workbook()
    _import(organisation, manager, content, "registre-ccs.xlsx")
    upload = _kept("registre-ccs.xlsx")

    page = manager_client.get(reverse("register_import_mapping", args=[upload.pk]))
    response = manager_client.get(_file_url(upload))

    assert f'href="{_file_url(upload)}"' in page.content.decode()
    assert "télécharger « registre-ccs.xlsx »" in text_of(page)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="registre-ccs.xlsx"'
    assert "no-store" in response["Cache-Control"]


def test_a_csv_is_served_as_csv(organisation, manager, manager_client):
    _import(organisation, manager, REGISTER, "registre-2024.csv")

    response = manager_client.get(_file_url(_kept("registre-2024.csv")))

    assert (response.status_code, response["Content-Type"]) == (200, "text/csv")
    assert b"".join(response.streaming_content) == REGISTER


def test_the_auditor_downloads_it_from_an_imported_complaint_a_referent_cannot(
    organisation, manager, auditor_client, referent_client
):
    _import(organisation, manager, REGISTER, "registre-2024.csv")
    upload = _kept("registre-2024.csv")
    complaint = Complaint.objects.order_by("reference").first()
    detail = reverse("complaint_detail", args=[complaint.reference])

    assert f'href="{_file_url(upload)}"' in auditor_client.get(detail).content.decode()
    assert auditor_client.get(_file_url(upload)).status_code == 200
    assert _file_url(upload) not in referent_client.get(detail).content.decode()
    assert referent_client.get(_file_url(upload)).status_code == 403


def test_another_organisation_s_file_and_an_upload_not_imported_are_not_found(
    organisation, manager, manager_client, outsider
):
    _import(organisation, manager, REGISTER, "registre-2024.csv")
    pending = register_upload_store(
        organisation=organisation, actor=manager, content=LATER, file_name="en-attente.csv"
    )
    theirs = register_import_run(
        organisation=outsider.organisation,
        actor=outsider,
        content=LATER,
        file_name="le-leur.csv",
        mapping=ColumnMapping(fields=propose(find_header(read_table(LATER)))),
    )

    assert theirs.created
    assert manager_client.get(_file_url(_kept("le-leur.csv"))).status_code == 404
    assert manager_client.get(_file_url(pending)).status_code == 404


def test_the_file_goes_once_every_complaint_it_created_is_anonymised(
    organisation, manager, manager_client, django_capture_on_commit_callbacks
):
    _import(organisation, manager, REGISTER, "registre-2024.csv")
    _import(organisation, manager, LATER, "registre-2025.csv")
    first, later = _kept("registre-2024.csv"), _kept("registre-2025.csv")
    stored = Path(first.file.path)

    # The day before, the last complaint of the file still names its client: the file stays.
    assert run_retention(today=date(2029, 6, 19)).register_files == []
    assert stored.exists()
    dry = run_retention(today=ALL_ANONYMISED, dry_run=True)
    assert dry.register_files == []  # its last complaint is not anonymised yet
    with django_capture_on_commit_callbacks(execute=True):
        report = run_retention(today=ALL_ANONYMISED)

    assert report.register_files == [f"registre-2024.csv (n° {first.pk})"]
    assert report.lines()[-2:] == [
        "1 fichier(s) de registre importé supprimé(s), leurs réclamations toutes anonymisées :",
        f"  registre-2024.csv (n° {first.pk})",
    ]
    assert not stored.exists()
    first.refresh_from_db()
    assert (first.file.name, first.purged_on) == ("", ALL_ANONYMISED)
    (event,) = ComplaintEvent.objects.filter(event_type=EventType.REGISTER_FILE_PURGED)
    assert (event.complaint_id, event.occurred_on, event.data) == (
        None,
        ALL_ANONYMISED,
        {
            "file": "registre-2024.csv",
            "sha256": first.sha256,
            "complaints": 3,
            "reason": "toutes les réclamations créées par ce fichier sont anonymisées",
        },
    )
    later.refresh_from_db()
    assert (later.purged_on, Path(later.file.path).exists()) == (None, True)
    assert all(result.ok for result in verify_all())
    response = manager_client.get(_file_url(first))
    assert response.status_code == 404
    assert (
        "Le fichier de ce registre a été supprimé le 20/06/2029 : toutes les réclamations qu'il "
        "a créées sont anonymisées. Son empreinte SHA-256 reste au registre."
    ) in text_of(response)
    assert run_retention(today=date(2029, 6, 21)).register_files == []  # not twice


@pytest.mark.tampered
def test_verify_names_a_file_gone_without_the_event_that_records_its_deletion(
    organisation, manager
):
    _import(organisation, manager, REGISTER, "registre-2024.csv")
    upload = _kept("registre-2024.csv")
    upload.file.delete(save=False)
    RegisterImport.objects.filter(pk=upload.pk).update(file="", purged_on=date(2026, 11, 2))

    (result,) = verify_all()

    assert result.findings == (
        f"registre importé « registre-2024.csv » (n° {upload.pk}) : fichier supprimé sans "
        "qu'aucun événement de la chronologie le rapporte",
        f"registre importé « registre-2024.csv » (n° {upload.pk}) : fichier supprimé alors que "
        "des réclamations qu'il a créées ne sont pas anonymisées (REC-2026-0001, "
        "REC-2026-0002, REC-2026-0003)",
    )
