"""The audit pack: what a period's ZIP holds, its manifest, and verify-pack finding any file
changed, removed or added, and a chronology altered behind the application's back."""

import io
import json
import re
import zipfile
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from reclamations.complaints.anonymisation import anonymise_complaint
from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.models import ComplaintEvent, ImprovementAction
from reclamations.complaints.services import complaint_apply
from reclamations.core.procedures import procedure_publish
from reclamations.outbox.delivery import deliver_due
from reclamations.reporting.audit_pack import write_audit_pack
from reclamations.reporting.pack_check import MANIFEST, check_pack
from reclamations.reporting.periods import Period
from tests.clock import NOW, at
from tests.factories import REPLY, make_complaint
from tests.tampering import alter_event

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026
TODAY = NOW.date()
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pack(organisation, period=OCTOBER) -> bytes:
    target = io.BytesIO()
    write_audit_pack(target, organisation, period, today=TODAY)
    return target.getvalue()


@pytest.fixture
def october(organisation, referent, manager):
    procedure_publish(
        organisation=organisation,
        text="1. Recueil\n2. Traitement",
        label="v1",
        in_force_from=date(2025, 1, 1),
        actor=manager,
    )
    letter = make_complaint(
        organisation,
        referent,
        received_at=at(2026, 10, 5),
        channel="letter",
        original=SimpleUploadedFile("lettre client.pdf", SCAN, content_type="application/pdf"),
    )
    make_complaint(organisation, referent, received_at=at(2026, 9, 30))  # before the period
    return letter


def test_the_pack_holds_procedure_register_statistics_documents_and_a_manifest(
    organisation, october
):
    archive = zipfile.ZipFile(io.BytesIO(_pack(organisation)))
    names = archive.namelist()

    assert names[:6] == [
        "procedure/01-v1.txt",
        "registre/registre.xlsx",
        "registre/registre.pdf",
        "statistiques.pdf",
        "plan-amelioration.pdf",
        "plan-amelioration.xlsx",
    ]
    (scan,) = [name for name in names if name.startswith(f"reclamations/{october.reference}/")]
    assert re.fullmatch(
        rf"reclamations/{october.reference}/20261102-original-\d+-lettre client\.pdf", scan
    )
    assert archive.read(scan) == SCAN
    assert names[-2:] == ["LISEZMOI.txt", MANIFEST]
    book = load_workbook(io.BytesIO(archive.read("registre/registre.xlsx")))
    assert [row[0].value for row in book["Registre"].iter_rows(min_row=2)] == [october.reference]
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert (
        "Période : réclamations reçues du jeudi 1 octobre 2026 au samedi 31 octobre 2026." in readme
    )
    assert "Réclamations reçues sur la période : 1 ; documents joints : 1." in readme
    manifest = json.loads(archive.read(MANIFEST))
    assert [entry["path"] for entry in manifest["files"]] == names[:-1]
    assert manifest["chronology"]["intact"] is True
    assert manifest["complaints"] == 1


def test_the_pack_holds_the_actions_open_during_the_period(organisation, referent, october):
    decided = _improvement(organisation, referent, october, "Confirmer les salles")
    later = _improvement(organisation, referent, october, "Décidée après la période")
    ImprovementAction.objects.filter(pk=decided.pk).update(created_on=date(2026, 10, 10))
    ImprovementAction.objects.filter(pk=later.pk).update(created_on=date(2026, 11, 2))

    archive = zipfile.ZipFile(io.BytesIO(_pack(organisation)))

    sheet = load_workbook(io.BytesIO(archive.read("plan-amelioration.xlsx"))).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [decided.reference]
    assert json.loads(archive.read(MANIFEST))["improvement_actions"] == 1
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "les actions d'amélioration ouvertes pendant la période (1)" in readme


def _improvement(organisation, actor, complaint, title):
    return improvement_create(
        organisation=organisation,
        actor=actor,
        new=NewImprovement(
            title=title,
            description="Réservation confirmée par écrit.",
            complaints=[complaint.reference],
            due_date=TODAY + timedelta(days=30),
        ),
    )


def test_a_period_without_complaints_gives_a_valid_pack_that_says_so(organisation):
    pack = _pack(organisation, Period(date(2020, 1, 1), date(2020, 1, 31)))

    readme = zipfile.ZipFile(io.BytesIO(pack)).read("LISEZMOI.txt").decode("utf-8")
    assert "Aucune réclamation n'a été reçue sur cette période" in readme
    assert "Aucune version de la procédure n'est publiée" in readme
    assert check_pack(io.BytesIO(pack)).ok


def _rewritten(pack: bytes, change) -> bytes:
    """The pack's files copied into a new ZIP, `change(name, content)` deciding each one."""
    source = zipfile.ZipFile(io.BytesIO(pack))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                copy.writestr(name, content)
        if change("nouveau.txt", None) is not None:
            copy.writestr("nouveau.txt", b"ajout")
    return target.getvalue()


def test_verify_pack_finds_a_file_changed_removed_or_added(organisation, october):
    pack = _pack(organisation)
    assert check_pack(io.BytesIO(pack)).ok

    changed = _rewritten(pack, lambda n, c: c + b"x" if n == "statistiques.pdf" else c)
    removed = _rewritten(pack, lambda n, c: None if n == "registre/registre.xlsx" else c)
    added = _rewritten(pack, lambda n, c: b"ajout" if n == "nouveau.txt" else c)

    assert check_pack(io.BytesIO(changed)).problems == [
        "Fichier modifié depuis la constitution du dossier : statistiques.pdf."
    ]
    assert check_pack(io.BytesIO(removed)).problems == [
        "Fichier absent de l'archive : registre/registre.xlsx."
    ]
    assert check_pack(io.BytesIO(added)).problems == [
        "Fichier ajouté, absent du manifeste : nouveau.txt."
    ]
    assert (
        check_pack(io.BytesIO(b"pas un zip"))
        .problems[0]
        .startswith("Ce fichier n'est pas une archive ZIP lisible")
    )


@pytest.mark.tampered
def test_an_altered_chronology_is_said_by_the_pack_and_verify_pack(organisation, october, tmp_path):
    event = ComplaintEvent.objects.filter(complaint=october).first()
    alter_event(event, actor_name="Quelqu'un d'autre")
    path = tmp_path / "dossier.zip"
    out = StringIO()

    call_command(
        "audit-pack", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(path), stdout=out
    )

    assert out.getvalue().endswith("chronologie ALTÉRÉE).\n")
    with pytest.raises(CommandError, match="La chronologie était altérée"):
        call_command("verify-pack", str(path), stdout=StringIO())
    result = check_pack(str(path))
    assert not result.problems
    assert result.chronology.startswith("ATTENTION : chronologie vérifiée le 02/11/2026")
    assert f"ALTÉRÉE à l'événement n° {event.sequence}" in result.chronology


def test_the_commands_write_and_check_a_pack(organisation, october, tmp_path):
    path = tmp_path / "dossier.zip"
    out = StringIO()

    call_command(
        "audit-pack", "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(path), stdout=out
    )
    call_command("verify-pack", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"Dossier d'audit écrit : {path} (1 réclamation(s), 1 document(s), 8 fichiers ; "
        "chronologie intègre)."
    )
    assert lines[-1] == "OK : 8 fichiers conformes au manifeste."


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2026-10-31", "--to", "2026-10-01"], "la période est à l'envers"),
        (["--from", "demain", "--to", "2026-10-01"], "date invalide « demain »"),
        (["--from", "0001-01-01", "--to", "9999-12-31"], "La période dépasse dix ans"),
        (["--from", "", "--to", "2026-10-01"], "deux dates AAAA-MM-JJ"),
    ],
)
def test_the_command_says_what_is_wrong(organisation, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("audit-pack", *arguments, "-o", str(tmp_path / "x.zip"))


def test_an_anonymised_complaint_s_deleted_files_are_said_not_packed(
    organisation, referent, october
):
    complaint_apply(complaint=october, actor=referent, action="reply", data=REPLY)
    complaint_apply(complaint=october, actor=referent, action="close", data={"outcome": "granted"})
    deliver_due()
    anonymise_complaint(october, actor=None, today=TODAY, reason="durée de conservation échue")

    pack = zipfile.ZipFile(io.BytesIO(_pack(organisation)))

    readme = pack.read("LISEZMOI.txt").decode()
    assert "documents joints : 0 (2 autre(s) supprimé(s) à l'anonymisation" in readme
    assert not [name for name in pack.namelist() if name.startswith("reclamations/")]
    assert check_pack(io.BytesIO(_pack(organisation))).ok
