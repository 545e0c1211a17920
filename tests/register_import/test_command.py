"""`reclamations import-register FILE [--mapping M.json] [--dry-run] [--organisation NAME]`."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from reclamations.complaints.models import Complaint
from reclamations.register_import.header import SUB_HEADER as SUB
from reclamations.register_import.models import RegisterImport
from tests.register_import.files import WINDOWS_CSV, messy_workbook

pytestmark = pytest.mark.usefixtures("clock")


def _run(*args: str) -> tuple[str, str]:
    """The command's output, and the error it ended with ("" when it succeeded)."""
    out = io.StringIO()
    try:
        call_command("import-register", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


def test_a_dry_run_prints_the_proposed_mapping_and_the_errors_and_writes_nothing(
    tmp_path, organisation
):
    register = tmp_path / "registre-ccs.xlsx"
    register.write_bytes(messy_workbook())

    out, error = _run(str(register), "--dry-run")

    lines = out.splitlines()
    assert lines[0].startswith("Fichier : registre-ccs.xlsx (SHA-256 ")
    assert lines[1] == (
        "Lu comme : Classeur Excel (XLSX), feuille « Registre » (le classeur en a 2 : "
        "choisissez celle du registre)."
    )
    assert lines[2] == "En-têtes : ligne 3 et 4"
    assert (
        lines[3] == "Correspondance proposée (à enregistrer, corriger et passer avec --mapping) :"
    )
    end = lines.index("}")
    proposed = json.loads("\n".join(lines[4 : end + 1]))
    assert proposed["sheet"] == "Registre"
    assert proposed["header_line"] == 3
    assert proposed["columns"][f"Réponse{SUB}Date"] == "replied_on"
    assert proposed["default_channel"] == "letter"
    assert lines[end + 1 :] == [
        "Ligne 10, colonne « Reçue le » : date illisible « 31/02/2024 »",
        "Ligne 11, colonne « N° » : référence « 2024-001 » déjà présente ligne 9 : ligne non "
        "importée",
        "Ligne 12, colonne « Statut » : réclamation clôturée sans issue : indiquez-la (fondée, "
        "partiellement, rejetée) ou choisissez une issue par défaut",
        "Ligne 14, colonne « Canal » : canal « Fax » inconnu. Canaux reconnus : courrier, "
        "e-mail, téléphone, formulaire web ; corrigez la cellule, ou videz-la pour le canal par "
        "défaut.",
        "Simulation : 9 ligne(s) lue(s), 5 réclamation(s) seront créées, 0 déjà importée(s), "
        "4 ligne(s) en erreur, non importée(s), 1 ligne(s) vide(s) ignorée(s), 1 ligne(s) de "
        "titre ignorée(s).",
    ]
    assert error == (
        "4 ligne(s) en erreur, non importée(s) : corrigez-les dans le fichier et relancez (ce "
        "qui est déjà importé ne le sera pas deux fois)."
    )
    assert (Complaint.objects.count(), RegisterImport.objects.count()) == (0, 0)


def test_the_mapping_printed_saved_and_corrected_imports_and_a_second_run_creates_nothing(
    tmp_path, organisation
):
    register = tmp_path / "registre.csv"
    register.write_bytes(WINDOWS_CSV)
    out, _error = _run(str(register), "--dry-run")
    mapping = json.loads(out[out.index("{\n") : out.index("\n}\n") + 2])
    mapping["columns"]["Statut"] = ""  # the dates say how far each complaint went
    mapping["default_outcome"] = "granted"
    mapping_file = tmp_path / "correspondance.json"
    mapping_file.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")

    out, error = _run(str(register), "--mapping", str(mapping_file))

    assert error == ""
    assert out.splitlines()[-2:] == [
        "Créées : REC-2026-0001, REC-2026-0002, REC-2026-0003, REC-2026-0004",
        "Import terminé : 4 ligne(s) lue(s), 4 réclamation(s) créées, 0 déjà importée(s), 0 "
        "ligne(s) en erreur, non importée(s), 1 ligne(s) vide(s) ignorée(s).",
    ]
    assert Complaint.objects.count() == 4

    out, error = _run(str(register), "--mapping", str(mapping_file))

    assert error == ""
    assert out.splitlines()[3:] == [
        # Created in the order they were received: lines 2, 4, then 5 and 6 (the 20th).
        "Ligne 2 : déjà importée (REC-2026-0001, « registre.csv » ligne 2)",
        "Ligne 4 : déjà importée (REC-2026-0002, « registre.csv » ligne 4)",
        "Ligne 5 : déjà importée (REC-2026-0003, « registre.csv » ligne 5)",
        "Ligne 6 : déjà importée (REC-2026-0004, « registre.csv » ligne 6)",
        "Import terminé : 4 ligne(s) lue(s), 0 réclamation(s) créées, 4 déjà importée(s), 0 "
        "ligne(s) en erreur, non importée(s), 1 ligne(s) vide(s) ignorée(s). Ce fichier (même "
        "SHA-256) a déjà été importé le 02/11/2026 à 10:00 : ses lignes déjà importées ne sont "
        "pas créées à nouveau.",
    ]
    assert Complaint.objects.count() == 4


def test_a_mapping_naming_a_column_the_file_lacks_is_refused(tmp_path, organisation):
    register = tmp_path / "registre.csv"
    register.write_bytes(WINDOWS_CSV)
    mapping_file = tmp_path / "correspondance.json"
    mapping_file.write_text(json.dumps({"columns": {"Reçue le": "received_on"}}), "utf-8")

    _out, error = _run(str(register), "--mapping", str(mapping_file))

    assert error.splitlines() == [
        f"{mapping_file} : correspondance inutilisable.",
        "Colonne « Reçue le » absente du fichier. Colonnes lues : « Date de réception », « Nom "
        "du client », « Compte client », « Description », « Statut », « Date de réponse », "
        "« Réponse apportée », « Issue ».",
        "Choisissez la colonne qui donne la date de réception : elle est obligatoire.",
    ]


def test_a_file_that_is_no_register_is_refused(tmp_path, organisation):
    register = tmp_path / "registre.xls"
    register.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    _out, error = _run(str(register))

    assert error == (
        "registre.xls : C'est un classeur Excel 97-2003 (.xls) : ouvrez-le dans Excel ou "
        "LibreOffice et enregistrez-le au format .xlsx (ou CSV), puis importez ce fichier."
    )


def test_an_unknown_organisation_is_refused(tmp_path, organisation):
    register = tmp_path / "registre.csv"
    register.write_bytes(WINDOWS_CSV)

    _out, error = _run(str(register), "--organisation", "Inconnue")

    assert error == "Organisation « Inconnue » introuvable. Organisations : CCS."
