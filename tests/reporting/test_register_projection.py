"""`verify` proves the register, not only the chronology: a complaint's stored field changed
without an event, a document's file altered or deleted, a document no event recorded, a
complaint without events are each named, with the complaint's reference. Done as someone with
database or disk access would: raw SQL, the file rewritten in the data directory."""

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from reclamations.complaints.client_requests import client_gives_opinion
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.services import complaint_apply
from reclamations.reporting.integrity import complaint_integrity, register_findings
from tests.clock import at
from tests.factories import REGISTERED_REPLY, STATES, complaint_in_state, make_complaint
from tests.harness.register_check import heads
from tests.tampering import alter_complaint, stored_path

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _apply(complaint, actor, action, **data):
    complaint_apply(complaint=complaint, actor=actor, action=action, data=data)


@pytest.fixture
def lived(clock, organisation, referent) -> Complaint:
    """REC-2026-0001, through every step that sets a stored field: corrected, its cause
    analysed, information asked for and received, replied by registered letter and delivered,
    the client's opinion, mediation and litigation with their outcomes, closed."""
    complaint = make_complaint(organisation, referent, original=ContentFile(PDF, "lettre.pdf"))
    _apply(complaint, referent, "update_details", client_phone="06 12 34 56 78", trainer="Mme Roux")
    _apply(complaint, referent, "analyse_cause", cause=organisation.causes[0], cause_analysis="Vu.")
    _apply(complaint, referent, "request_information", missing="Le contrat.", sent_via="email")
    _apply(complaint, referent, "record_information", summary="Contrat reçu.")
    _apply(complaint, referent, "reply", **REGISTERED_REPLY, outcome="granted")
    _apply(complaint, referent, "record_delivery", delivered_on="2026-11-02")
    client_gives_opinion(complaint=complaint, satisfaction="partly", resolved="no")
    _apply(complaint, referent, "escalate_mediation", mediator="Médiateur de la formation")
    _apply(complaint, referent, "record_mediation_outcome", outcome="Accord.")
    _apply(complaint, referent, "escalate_litigation", court="Tribunal de Nice")
    _apply(complaint, referent, "record_litigation_outcome", outcome="Désistement.")
    _apply(complaint, referent, "close", outcome="granted", client_acceptance="accepted")
    complaint.refresh_from_db()
    return complaint


def _findings(complaint: Complaint) -> list[str]:
    return list(register_findings(complaint.organisation))


def test_a_lived_complaint_verifies(lived):
    assert lived.status == "closed"
    assert _findings(lived) == []
    assert complaint_integrity(lived) == []


def _said(label: str, stored: str, events: str) -> str:
    return (
        f"REC-2026-0001 : {label} au registre (« {stored} ») ne correspond pas à la chronologie "
        f"(« {events} »)"
    )


# Each stored field the chronology determines, changed behind the application's back: the
# value written, then the finding, naming the field, the value stored and the events' value.
TAMPERED = [
    ("status", "in_progress", _said("le statut", "in_progress", "closed")),
    ("channel", "letter", _said("le canal", "letter", "email")),
    (
        "received_at",
        at(2026, 10, 20, 9),
        _said("le moment de réception", "2026-10-20T07:00:00+00:00", "2026-11-02T08:59:00+00:00"),
    ),
    ("received_on", date(2026, 10, 20), _said("la date de réception", "20/10/2026", "02/11/2026")),
    ("backdating_reason", "Oubli.", _said("le motif de l'antidatage", "Oubli.", "vide")),
    ("client_name", "Jean Dupont", _said("le nom du client", "Jean Dupont", "Julie Martin")),
    ("client_account", "CLI-999", _said("le compte client", "CLI-999", "CLI-001")),
    ("client_type", "professional", _said("le type de client", "professional", "vide")),
    ("funding", "cpf", _said("le financement", "cpf", "vide")),
    (
        "client_email",
        "autre@example.org",
        _said("l'e-mail du client", "autre@example.org", "julie.martin@example.org"),
    ),
    ("client_phone", "", _said("le téléphone du client", "vide", "06 12 34 56 78")),
    (
        "client_address",
        "1 rue Neuve",
        _said("l'adresse du client", "1 rue Neuve", "12 rue des Lilas\n06400 Cannes"),
    ),
    ("client_language", "en", _said("la langue du client", "en", "fr")),
    ("training", "Excel", _said("la formation", "Excel", "vide")),
    ("session", "Mars", _said("la session", "Mars", "vide")),
    ("trainer", "M. Blanc", _said("le formateur ou la formatrice", "M. Blanc", "Mme Roux")),
    ("funder", "OPCO EP", _said("le financeur", "OPCO EP", "vide")),
    (
        "description",
        "Rien.",
        _said("la description", "Rien.", "Trois séances annulées sans préavis."),
    ),
    ("remedy_sought", "Tout.", _said("l'attente du client", "Tout.", "vide")),
    ("kind", "incident", _said("la nature", "incident", "complaint")),
    ("not_admissible_reason", "Non.", _said("le motif de non-recevabilité", "Non.", "vide")),
    ("category", "billing", _said("la catégorie", "billing", "vide")),
    ("severity", "high", _said("la gravité", "high", "medium")),
    ("cause", "Autre", None),  # the value analysed, read from the organisation's list
    ("cause_analysis", "", _said("l'analyse de la cause", "vide", "Vu.")),
    (
        "clock_started_on",
        date(2026, 10, 1),
        _said("le point de départ du délai", "01/10/2026", "02/11/2026"),
    ),
    ("due_date", date(2026, 12, 31), None),  # the due date the events computed
    (
        "information_requested_on",
        date(2026, 11, 2),
        _said("la date de la demande d'informations", "02/11/2026", "vide"),
    ),
    ("confirmation_pending", True, _said("l'attente d'une confirmation écrite", "oui", "non")),
    (
        "resolution",
        "Aucune.",
        _said("la résolution", "Aucune.", "Trois séances de rattrapage programmées."),
    ),
    (
        "first_replied_on",
        date(2026, 11, 20),
        _said("la date de la première réponse", "20/11/2026", "02/11/2026"),
    ),
    ("replied_on", None, _said("la date de la réponse", "vide", "02/11/2026")),
    ("reply_channel", "email", _said("le canal de la réponse", "email", "letter")),
    ("replied_on_time", False, _said("la réponse dans le délai", "non", "oui")),
    (
        "reply_registered_number",
        "",
        _said("le n° de recommandé de la réponse", "vide", "1A 234 567 8901 2"),
    ),
    (
        "reply_delivered_on",
        date(2026, 11, 30),
        _said("la date de distribution de la réponse", "30/11/2026", "02/11/2026"),
    ),
    ("outcome", "rejected", _said("l'issue", "rejected", "granted")),
    ("client_acceptance", "disputed", _said("la position du client", "disputed", "accepted")),
    ("client_satisfaction", "satisfied", _said("la satisfaction du client", "satisfied", "partly")),
    ("client_says_unresolved", True, _said("le « non résolue » du client", "oui", "non")),
    ("closed_on", None, _said("la date de clôture", "vide", "02/11/2026")),
    (
        "mediation_seized_on",
        date(2026, 10, 1),
        _said("la date de saisine du médiateur", "01/10/2026", "02/11/2026"),
    ),
    ("mediator", "", _said("le médiateur", "vide", "Médiateur de la formation")),
    ("mediation_outcome", "Échec.", _said("l'issue de la médiation", "Échec.", "Accord.")),
    (
        "litigation_started_on",
        None,
        _said("la date du contentieux", "vide", "02/11/2026"),
    ),
    ("litigation_court", "Cour", _said("la juridiction", "Cour", "Tribunal de Nice")),
    ("litigation_outcome", "", _said("l'issue du contentieux", "vide", "Désistement.")),
    # Retention (decision 0024): a complaint marked archived or anonymised without its event.
    ("archived_on", date(2031, 1, 1), _said("la date d'archivage", "01/01/2031", "vide")),
    ("anonymised_on", date(2031, 1, 1), _said("la date d'anonymisation", "01/01/2031", "vide")),
]


@pytest.mark.tampered
@pytest.mark.parametrize(("column", "value", "finding"), TAMPERED, ids=[t[0] for t in TAMPERED])
def test_a_stored_field_changed_without_an_event_is_named(lived, column, value, finding):
    if column == "cause":
        finding = _said("la cause", "Autre", lived.cause)
    if column == "due_date":
        finding = _said("l'échéance", "31/12/2026", f"{lived.due_date:%d/%m/%Y}")
    alter_complaint(lived, **{column: value})

    assert _findings(lived) == [finding]
    assert complaint_integrity(lived) == [finding]


def test_every_compared_field_has_its_tamper_test():
    from reclamations.complaints.projection import FIELDS

    assert [column for column, _value, _finding in TAMPERED] == list(FIELDS)


def _original(complaint: Complaint) -> Document:
    return complaint.documents.get(original_name="lettre.pdf")


@pytest.mark.tampered
def test_a_document_file_altered_on_disk_is_named(lived):
    original = _original(lived)
    altered = PDF + b"% ajout\n"
    stored_path(original).write_bytes(altered)

    assert _findings(lived) == [
        f"REC-2026-0001 : le fichier du document « lettre.pdf » (n° {original.pk}) a été modifié "
        f"(SHA-256 {hashlib.sha256(altered).hexdigest()[:12]}… au lieu de "
        f"{original.sha256[:12]}…)"
    ]


@pytest.mark.tampered
def test_a_document_file_deleted_from_disk_is_named(lived):
    original = _original(lived)
    stored_path(original).unlink()

    assert _findings(lived) == [
        f"REC-2026-0001 : le fichier du document « lettre.pdf » (n° {original.pk}) est introuvable"
    ]


@pytest.mark.tampered
def test_a_document_no_event_recorded_is_named(lived):
    # A file slipped in beside the evidence, its row and hash consistent with each other.
    slipped = Document(
        organisation=lived.organisation,
        complaint=lived,
        role="attachment",
        original_name="ajout.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=_original(lived).sha256,
        created_at=at(2026, 11, 2, 11),
    )
    slipped.sha256 = "ab" * 32
    slipped.file.save("ajout.pdf", ContentFile(PDF), save=False)
    slipped.save()

    assert _findings(lived) == [
        f"REC-2026-0001 : le document « ajout.pdf » (n° {slipped.pk}) n'est enregistré par "
        "aucun événement de la chronologie",
        f"REC-2026-0001 : le fichier du document « ajout.pdf » (n° {slipped.pk}) a été modifié "
        f"(SHA-256 {_original(lived).sha256[:12]}… au lieu de abababababab…)",
    ]


@pytest.mark.tampered
def test_a_complaint_without_any_event_is_named(lived):
    Complaint.objects.create(
        organisation=lived.organisation,
        reference="REC-2026-0099",
        status="in_progress",
        channel="email",
        received_at=at(2026, 11, 1, 9),
        received_on=date(2026, 11, 1),
    )

    assert _findings(lived) == [
        "REC-2026-0099 : aucun événement de la chronologie pour cette réclamation"
    ]


@pytest.mark.tampered
def test_verify_names_each_finding_and_exits_1(lived):
    alter_complaint(lived, client_name="Jean Dupont", due_date=date(2026, 12, 31))
    out = StringIO()

    with pytest.raises(SystemExit) as exited:
        call_command("verify", stdout=out)

    assert exited.value.code == 1
    assert out.getvalue() == (
        "ERREUR CCS : "
        + _said("le nom du client", "Jean Dupont", "Julie Martin")
        + "\nERREUR CCS : "
        + _said("l'échéance", "31/12/2026", f"{lived.due_date:%d/%m/%Y}")
        + "\n"
    )


def test_a_register_with_every_state_and_kind_of_registration_verifies(
    clock, organisation, other_organisation, referent, outsider
):
    for state in STATES:
        complaint_in_state(organisation, referent, state)
    for channel in ("phone", "letter", "web", "api"):
        make_complaint(organisation, referent, channel=channel)
    make_complaint(organisation, None, kind="not_admissible", not_admissible_reason="Hors sujet.")
    make_complaint(organisation, referent, client_account="", description="")
    make_complaint(organisation, referent, received_at=at(2026, 10, 20, 9))
    complaint_in_state(other_organisation, outsider, "awaiting_information")
    out = StringIO()

    call_command("verify", stdout=out)

    documents = Document.objects.count()
    assert out.getvalue() == (
        f"OK {_events()} events, 18 complaints, {documents} documents\n" + heads()
    )


def _events() -> int:
    from reclamations.complaints.models import ComplaintEvent

    return ComplaintEvent.objects.count()
