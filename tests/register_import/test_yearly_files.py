"""Registers numbered anew each year: a line is keyed by its old reference and its year of
reception, so that 2024's "1" is not 2023's "1", while the same line imported again is still
"already imported"; a reference of a year taken with another day of reception is an error that
says what to do. Lines imported before the year was in the key take it (migration 0002)."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from reclamations.complaints.models import Complaint
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.models import ImportedLine
from reclamations.register_import.reading import read_table
from reclamations.register_import.services import register_import_run

pytestmark = pytest.mark.usefixtures("clock")

HEADERS = "N°;Date de réception;Client;Description;Statut;Date de réponse;Issue\r\n"
REGISTER_2023 = (
    HEADERS + "1;09/01/2023;Alice Morel;Salle froide;clos;16/01/2023;fondée\r\n"
    "2;14/02/2023;Bruno Vidal;Facture en double;clos;20/02/2023;fondée\r\n"
).encode()
REGISTER_2024 = (
    HEADERS + "1;08/01/2024;Chloé Roux;Convocation tardive;clos;12/01/2024;rejetée\r\n"
    "2;05/03/2024;David Leroy;Support manquant;en cours;;\r\n"
    "3;11/03/2024;Emma Faure;Formatrice absente;en cours;;\r\n"
).encode()


def _import(organisation, manager, content, name):
    table = read_table(content)
    mapping = ColumnMapping(fields=propose(find_header(table)))
    return register_import_run(
        organisation=organisation, actor=manager, content=content, file_name=name, mapping=mapping
    )


def test_a_yearly_file_restarting_at_one_creates_its_own_complaints(organisation, manager):
    first = _import(organisation, manager, REGISTER_2023, "registre-2023.csv")

    second = _import(organisation, manager, REGISTER_2024, "registre-2024.csv")

    assert first.created == ["REC-2026-0001", "REC-2026-0002"]
    assert (second.created, second.already, second.errors) == (
        ["REC-2026-0003", "REC-2026-0004", "REC-2026-0005"],
        [],
        [],
    )
    assert sorted(ImportedLine.objects.values_list("key", flat=True)) == [
        "reference:2023:1",
        "reference:2023:2",
        "reference:2024:1",
        "reference:2024:2",
        "reference:2024:3",
    ]
    assert Complaint.objects.get(reference="REC-2026-0003").client_name == "Chloé Roux"


def test_each_yearly_file_imported_again_finds_its_own_lines_already_imported(
    organisation, manager
):
    _import(organisation, manager, REGISTER_2023, "registre-2023.csv")
    _import(organisation, manager, REGISTER_2024, "registre-2024.csv")

    again_2023 = _import(organisation, manager, REGISTER_2023, "registre-2023-copie.csv")
    again_2024 = _import(organisation, manager, REGISTER_2024, "registre-2024-copie.csv")

    assert [(a.line, a.reference, a.source_name) for a in again_2023.already] == [
        (2, "REC-2026-0001", "registre-2023.csv"),
        (3, "REC-2026-0002", "registre-2023.csv"),
    ]
    assert [(a.line, a.reference) for a in again_2024.already] == [
        (2, "REC-2026-0003"),
        (3, "REC-2026-0004"),
        (4, "REC-2026-0005"),
    ]
    assert (again_2023.created, again_2024.created) == ([], [])
    assert Complaint.objects.count() == 5


def test_a_reference_of_the_year_taken_with_another_day_is_an_error_saying_what_to_do(
    organisation, manager
):
    _import(organisation, manager, REGISTER_2024, "registre-2024.csv")
    # The same numbers in a school year's file (September 2024 to June 2025): "2" is another
    # complaint of 2024; "3" was received in 2025, another year, and is new.
    school_year = (
        HEADERS + "2;23/09/2024;Farid Naceri;Planning modifié;en cours;;\r\n"
        "3;13/01/2025;Gaëlle Blanc;Attestation absente;en cours;;\r\n"
    ).encode()

    report = _import(organisation, manager, school_year, "registre-2024-2025.csv")

    assert [str(error) for error in report.errors] == [
        "Ligne 2, colonne « N° » : référence « 2 » de 2024 déjà importée (ligne 3 de "
        "« registre-2024.csv », devenue REC-2026-0002, reçue le 05/03/2024) alors que cette "
        "ligne est reçue le 23/09/2024 : si c'est une autre réclamation, distinguez sa "
        "référence (préfixe) ; si c'est la même, corrigez REC-2026-0002 dans l'application"
    ]
    assert report.already == []
    assert report.created == ["REC-2026-0004"]
    assert Complaint.objects.get(reference="REC-2026-0004").received_on == date(2025, 1, 13)


def test_lines_keyed_before_the_year_was_in_the_key_take_their_complaint_s_year(
    organisation, manager
):
    _import(organisation, manager, REGISTER_2023, "registre-2023.csv")
    for line in ImportedLine.objects.all():  # as the first version of the import keyed them
        line.key = "reference:" + line.key.rsplit(":", 1)[1]
        line.save()
    migration = importlib.import_module(
        "reclamations.register_import.migrations.0002_reference_keys_by_year"
    )

    migration.forwards(apps, None)

    assert sorted(ImportedLine.objects.values_list("key", flat=True)) == [
        "reference:2023:1",
        "reference:2023:2",
    ]
    again = _import(organisation, manager, REGISTER_2023, "registre-2023.csv")
    assert (again.created, len(again.already)) == ([], 2)
