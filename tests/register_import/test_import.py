"""Importing a messy register into the database: the complaints created with their historical
dates and outcomes through the complaints' import door, marked as imported, the file kept with
its SHA-256; nothing sent, nothing reminded; the chain verifies; a dry run writes nothing; and
importing again creates nothing twice."""

import hashlib
from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from reclamations.complaints.enums import Channel, EventType, Kind, Outcome, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintSearch, Document
from reclamations.complaints.search import matching
from reclamations.outbox.models import OutgoingMessage
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.models import ImportedLine, RegisterImport
from reclamations.register_import.reading import read_table
from reclamations.register_import.services import (
    register_import_preview,
    register_import_run,
)
from reclamations.reminders.models import ReminderSent
from reclamations.reminders.services import send_reminders
from reclamations.reporting.integrity import verify_all
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import compute
from tests.clock import at
from tests.register_import.files import WINDOWS_CSV, messy_workbook

pytestmark = pytest.mark.usefixtures("clock")
NOW_DAY = date(2026, 11, 2)


def _proposed(content: bytes, **options) -> ColumnMapping:
    table = read_table(content)
    return ColumnMapping(fields=propose(find_header(table)), **options)


def _import(organisation, actor, content, name="registre-ccs.xlsx", **options):
    return register_import_run(
        organisation=organisation,
        actor=actor,
        content=content,
        file_name=name,
        mapping=_proposed(content, **options),
    )


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        Document.objects.count(),
        RegisterImport.objects.count(),
        OutgoingMessage.objects.count(),
    )


def test_the_messy_workbook_becomes_five_complaints_with_their_history(organisation, manager):
    report = _import(organisation, manager, messy_workbook())

    assert report.created == ["REC-2026-0001", "REC-2026-0002", "REC-2026-0003",
                              "REC-2026-0004", "REC-2026-0005"]  # fmt: skip
    assert [str(error) for error in report.errors] == [
        "Ligne 10, colonne « Reçue le » : date illisible « 31/02/2024 »",
        "Ligne 11, colonne « N° » : référence « 2024-001 » déjà présente ligne 9 : ligne non "
        "importée",
        "Ligne 12, colonne « Statut » : réclamation clôturée sans issue : indiquez-la (fondée, "
        "partiellement, rejetée) ou choisissez une issue par défaut",
        "Ligne 14, colonne « Canal » : canal « Fax » inconnu. Canaux reconnus : courrier, "
        "e-mail, téléphone, formulaire web ; corrigez la cellule, ou videz-la pour le canal par "
        "défaut.",
    ]
    assert report.summary() == (
        "Import terminé : 9 ligne(s) lue(s), 5 réclamation(s) créées, 0 déjà importée(s), "
        "4 ligne(s) en erreur, non importée(s), 1 ligne(s) vide(s) ignorée(s), 1 ligne(s) de "
        "titre ignorée(s)."
    )
    rows = {
        row.reference: row
        for row in Complaint.objects.filter(organisation=organisation).order_by("reference")
    }
    first = rows["REC-2026-0001"]  # line 5, received first
    assert (first.received_on, first.channel, first.client_name, first.client_account) == (
        date(2023, 3, 14),
        Channel.EMAIL,
        "Amélie Laurent",
        "CLI-2023-014",
    )
    assert first.description == "Plateforme\n\nAccès impossible pendant une semaine."
    assert (first.status, first.outcome, first.replied_on, first.closed_on) == (
        Status.CLOSED,
        Outcome.GRANTED,
        date(2023, 3, 23),
        date(2023, 3, 23),
    )
    # 10 jours ouvrables after Tuesday 14 March 2023: Saturday 25 March; replied the 23rd.
    assert (first.due_date, first.replied_on_time) == (date(2023, 3, 25), True)
    assert first.resolution == "Accès rétabli et prolongé d'un mois."
    assert first.registered_by == manager

    replied = rows["REC-2026-0002"]
    assert (replied.status, replied.replied_on, replied.closed_on, replied.channel) == (
        Status.REPLIED,
        date(2023, 5, 12),
        None,
        Channel.LETTER,
    )
    phone = rows["REC-2026-0003"]  # line 9, still open
    assert (phone.status, phone.channel, phone.confirmation_pending) == (
        Status.IN_PROGRESS,
        Channel.PHONE,
        False,
    )
    assert phone.due_date == date(2024, 3, 23)
    refused = rows["REC-2026-0004"]
    assert (refused.status, refused.kind, refused.outcome, refused.closed_on) == (
        Status.CLOSED,
        Kind.NOT_ADMISSIBLE,
        Outcome.NOT_ADMISSIBLE,
        date(2024, 5, 2),
    )
    assert refused.not_admissible_reason == (
        "Non recevable selon le registre importé (statut « Non recevable »)."
    )
    late = rows["REC-2026-0005"]
    assert (late.outcome, late.received_at) == (Outcome.REJECTED, at(2024, 6, 15, 14, 30))


def test_each_complaint_says_where_it_comes_from_in_its_events(organisation, manager):
    content = messy_workbook()
    _import(organisation, manager, content)

    complaint = Complaint.objects.get(reference="REC-2026-0001")
    events = list(complaint.events.order_by("sequence"))
    assert [(e.event_type, str(e.occurred_on), e.status_after) for e in events] == [
        (EventType.REGISTERED, "2023-03-14", Status.IN_PROGRESS),
        (EventType.IMPORTED, "2026-11-02", Status.IN_PROGRESS),
        (EventType.REPLIED, "2023-03-23", Status.REPLIED),
        (EventType.CLOSED, "2023-03-23", Status.CLOSED),
    ]
    assert events[0].data["reception_witness"] == "registre importé « registre-ccs.xlsx », ligne 5"
    assert events[1].data == {
        "source_file": "registre-ccs.xlsx",
        "source_sha256": hashlib.sha256(content).hexdigest(),
        "line": 5,
        "source_reference": "2023-001",
        "status_read": "Clôturée - fondée",
        "received_time": "inconnue : le registre importé ne donne que le jour",
        "note": "Remarques : Relance faite le 20/03",
    }
    assert events[3].data["imported_from"] == "registre importé « registre-ccs.xlsx », ligne 5"
    (imported,) = ComplaintEvent.objects.filter(event_type=EventType.REGISTER_IMPORTED)
    assert imported.complaint is None
    assert imported.data["file"] == "registre-ccs.xlsx"
    assert imported.data["sha256"] == hashlib.sha256(content).hexdigest()
    assert imported.data["references"] == "REC-2026-0001 à REC-2026-0005"
    kept = RegisterImport.objects.get()
    assert kept.file.read() == content
    assert (kept.sha256, kept.imported_by, kept.created_count) == (
        hashlib.sha256(content).hexdigest(),
        manager,
        5,
    )


def test_nothing_goes_to_clients_and_the_chain_verifies(organisation, manager):
    _import(organisation, manager, messy_workbook())

    assert OutgoingMessage.objects.count() == 0
    assert Document.objects.count() == 0
    assert [(result.report.ok, result.findings) for result in verify_all()] == [(True, ())]


def test_an_old_open_complaint_is_not_alerted_as_overdue(organisation, manager):
    _import(organisation, manager, messy_workbook())

    send_reminders()

    assert ReminderSent.objects.count() == 0


def test_the_old_reference_and_the_remarks_are_searchable(organisation, manager):
    _import(organisation, manager, messy_workbook())

    for words in ("2024-006", "médiateur saisi"):
        found = matching(
            Complaint.objects.filter(organisation=organisation),
            words,
            organisation_id=organisation.pk,
        )
        assert [complaint.reference for complaint in found] == ["REC-2026-0005"], words
    assert ComplaintSearch.objects.count() == 5


def test_a_dry_run_writes_nothing(organisation, manager):
    content = messy_workbook()
    before = _counts()

    report = register_import_preview(
        organisation=organisation,
        content=content,
        file_name="registre-ccs.xlsx",
        mapping=_proposed(content),
    )

    assert _counts() == before
    assert [candidate.line for candidate in report.to_create] == [5, 6, 9, 13, 15]
    assert report.summary().startswith(
        "Simulation : 9 ligne(s) lue(s), 5 réclamation(s) seront créées, 0 déjà importée(s), "
        "4 ligne(s) en erreur"
    )


def test_importing_the_same_file_again_creates_nothing_and_says_so(organisation, manager):
    content = messy_workbook()
    _import(organisation, manager, content)
    before = _counts()

    again = _import(organisation, manager, content)

    assert _counts() == before
    assert again.created == []
    assert [(a.line, a.reference, a.source_line) for a in again.already] == [
        (5, "REC-2026-0001", 5),
        (6, "REC-2026-0002", 5 + 1),
        (9, "REC-2026-0003", 9),
        (13, "REC-2026-0004", 13),
        (15, "REC-2026-0005", 15),
    ]
    assert again.same_file == (
        "Ce fichier (même SHA-256) a déjà été importé le 02/11/2026 à 10:00 : ses lignes déjà "
        "importées ne sont pas créées à nouveau."
    )


def test_imported_again_with_a_default_outcome_only_the_line_it_fixes_is_created(
    organisation, manager
):
    _import(organisation, manager, messy_workbook())

    report = _import(organisation, manager, messy_workbook(), default_outcome=Outcome.GRANTED.value)

    # Line 12 (closed without outcome) now takes the default outcome: it alone is new.
    assert [candidate.line for candidate in report.to_create] == [12]
    assert report.created == ["REC-2026-0006"]
    assert len(report.already) == 5
    assert ImportedLine.objects.count() == 6
    assert RegisterImport.objects.filter(imported_at__isnull=False).count() == 2


def test_a_windows_csv_is_read_and_its_lines_without_reference_are_keyed_by_content(
    organisation, manager
):
    report = _import(organisation, manager, WINDOWS_CSV, name="registre.csv")

    assert report.how_read == (
        "Fichier CSV lu en Windows-1252 (Excel français), séparateur point-virgule « ; »."
    )
    assert [str(error) for error in report.errors] == [
        "Ligne 5, colonne « Statut » : statut « traité » sans date de réponse ni de clôture : "
        "indiquez-en une",
        "Ligne 5, colonne « Issue » : réclamation clôturée sans issue : indiquez-la (fondée, "
        "partiellement, rejetée) ou choisissez une issue par défaut",
        "Ligne 6, colonne « Statut » : statut « à voir » inconnu. Statuts reconnus : en cours, "
        "en attente, répondu, clos, clôturée, traité, non recevable (suivis au besoin de "
        "l'issue : « clôturée - fondée »).",
    ]
    cedric = Complaint.objects.get(client_name="Cédric Œuvray")
    assert (cedric.received_on, cedric.description, cedric.status) == (
        date(2024, 3, 15),
        "Retard; facture",
        Status.IN_PROGRESS,
    )
    helene = Complaint.objects.get(client_name="Hélène Lefèvre")
    assert (helene.outcome, helene.closed_on) == (Outcome.PARTLY_GRANTED, date(2024, 3, 21))
    assert sorted(ImportedLine.objects.values_list("key", flat=True))[0].startswith("fingerprint:")

    again = _import(organisation, manager, WINDOWS_CSV, name="registre-copie.csv")
    assert (again.created, len(again.already)) == ([], 2)


def test_a_line_the_registration_refuses_is_an_error_naming_its_column(organisation, manager):
    content = (
        "Date;Client;Courriel;Statut\r\n"
        "14/03/2024;Julie Martin;julie.martin@;en cours\r\n"
        "15/03/2024;" + "X" * 201 + ";;en cours\r\n"
    ).encode()

    report = _import(organisation, manager, content, name="registre.csv")

    assert [str(error) for error in report.errors] == [
        "Ligne 2, colonne « Courriel » : adresse e-mail invalide : vérifiez qu'elle a la forme "
        "nom@domaine.fr",
        "Ligne 3, colonne « Client » : 200 caractères au plus",
    ]
    assert Complaint.objects.count() == 0


def test_imported_complaints_count_in_the_statistics_of_their_own_year(organisation, manager):
    _import(organisation, manager, messy_workbook(), default_outcome=Outcome.GRANTED.value)

    figures = compute(organisation, Period(date(2024, 1, 1), date(2024, 12, 31)), today=NOW_DAY)

    # 2024: lines 9 (open), 12 (replied 25/04, due 30/04), 13 (not admissible), 15 (replied
    # 20/06, due 27/06); 2023, compared: lines 5 and 6, both replied on time.
    assert (figures.received, figures.received_before) == (4, 2)
    assert (figures.replied, figures.replied_on_time) == (2, 2)
    assert (figures.replied_before, figures.replied_on_time_before) == (2, 2)
    assert figures.to_acknowledge.count == 0


def test_a_page_reads_the_report_and_each_line_s_errors_in_its_language(organisation, manager):
    content = messy_workbook()
    report = register_import_preview(
        organisation=organisation,
        content=content,
        file_name="registre-ccs.xlsx",
        mapping=_proposed(content),
    )

    with translation.override("en"):
        errors = [error.text(gettext) for error in report.errors]
        summary = report.summary(gettext)

    assert errors[:2] == [
        "Line 10, column “Reçue le”: unreadable date “31/02/2024”",
        "Line 11, column “N°”: reference “2024-001” already on line 9: line not imported",
    ]
    assert summary == (
        "Simulation: 9 line(s) read, 5 complaint(s) will be created, 0 already imported, "
        "4 line(s) in error, not imported, 1 empty line(s) skipped, 1 title line(s) skipped."
    )
    assert str(report.errors[0]) == (
        "Ligne 10, colonne « Reçue le » : date illisible « 31/02/2024 »"
    )
