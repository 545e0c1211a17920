"""The register's kind, category, funding, client type and cause columns: each value matched to
the product's choices by its French label or a usual synonym (accents, case and punctuation
aside), never guessed from a word in a sentence; an unknown value is an error of its line naming
the column and the accepted values. Mediation and litigation columns are kept as notes."""

from datetime import date

import pytest
from django.utils import translation

from reclamations.complaints.enums import (
    Category,
    ClientType,
    EventType,
    Funding,
    Kind,
    Outcome,
    Status,
    french_choices,
)
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.register_import.choices import (
    CATEGORIES,
    CLIENT_TYPES,
    KINDS,
    causes_choices,
    read_funding,
)
from reclamations.register_import.header import find_header
from reclamations.register_import.mapping import ColumnMapping, propose
from reclamations.register_import.reading import read_table
from reclamations.register_import.services import register_import_run

pytestmark = pytest.mark.usefixtures("clock")

HEADERS = (
    "Réf.;Date de réception;Nature;Type de client;Financement;Catégorie;Cause;Formation;"
    "Session;Formateur;Financeur;Description;Statut;Date de réponse;Issue;"
    "Date de saisine du médiateur;Contentieux\r\n"
)
REGISTER = (
    HEADERS + "R1;14/03/2024;Aléa;;CPF;Logistique;Planning, convocation ou changement de dernière "
    "minute;Excel avancé;Session 12;Marc Petit;Caisse des dépôts;Salle fermée sans prévenir;"
    "clos;20/03/2024;fondée;;\r\n"
    "R2;15/03/2024;Simple demande;Professionnel;OPCO Atlas;;;;;;;Dates de la session ?;;;;;\r\n"
    "R3;16/03/2024;RÉCLAMATION;b2b;entreprise;pédagogie;autre;Word;;;;Support périmé;répondu;"
    "25/03/2024;rejetée;12/04/2024;Tribunal de Grasse, 03/05/2024\r\n"
    "R4;17/03/2024;Suggestion;Association;Bons d'achat;Météo;Mauvaise humeur;;;;;Pluie;"
    "en cours;;;;\r\n"
    "R5;18/03/2024;Réclamation;;;;;;;;;Publicité reçue;non recevable;;;;\r\n"
).encode()


def _import(organisation, manager, content, name="registre.csv"):
    table = read_table(content)
    mapping = ColumnMapping(fields=propose(find_header(table)))
    return register_import_run(
        organisation=organisation, actor=manager, content=content, file_name=name, mapping=mapping
    )


def test_each_choice_is_read_by_its_label_or_a_usual_synonym_whatever_its_accents_and_case():
    assert [
        KINDS.read(text) for text in ("ALEA", "réclamation", "Difficulté", "simple demande")
    ] == [
        Kind.INCIDENT,
        Kind.COMPLAINT,
        Kind.DIFFICULTY,
        Kind.NOT_ADMISSIBLE,
    ]
    assert [CATEGORIES.read(text) for text in ("Formateur·rice", "logistique", "Facturation")] == [
        Category.TRAINER,
        Category.ORGANISATION,
        Category.ADMINISTRATIVE,
    ]
    assert [
        read_funding(text) for text in ("Pôle-Emploi", "OPCO Mobilités", "Mon Compte Formation")
    ] == [
        Funding.FRANCE_TRAVAIL,
        Funding.OPCO,
        Funding.CPF,
    ]
    assert [CLIENT_TYPES.read(text) for text in ("B2B", "particulier")] == [
        ClientType.PROFESSIONAL,
        ClientType.CONSUMER,
    ]
    causes = causes_choices(["Locaux, matériel ou équipement", "Autre"])
    assert causes.read("locaux, materiel ou equipement") == "Locaux, matériel ou équipement"


def test_a_word_inside_a_sentence_is_never_taken_for_a_choice():
    assert CATEGORIES.read("problème avec le formateur") is None
    assert KINDS.read("réclamation urgente") is None
    # A cause is the organisation's whole label: its first words are not enough.
    assert causes_choices(["Locaux, matériel ou équipement"]).read("Locaux") is None


def test_the_headers_propose_the_kind_the_client_type_the_funding_the_category_and_the_cause():
    header = find_header(read_table(REGISTER))

    assert propose(header) == (
        "reference",
        "received_on",
        "kind",
        "client_type",
        "funding",
        "category",
        "cause",
        "training",
        "session",
        "trainer",
        "funder",
        "description",
        "status",
        "replied_on",
        "outcome",
        "note",
        "note",
    )


def test_the_register_s_choices_are_the_imported_complaints_own(organisation, manager):
    report = _import(organisation, manager, REGISTER)

    assert report.created == ["REC-2026-0001", "REC-2026-0002", "REC-2026-0003"]
    by_old = {
        event.data["source_reference"]: event.complaint
        for event in ComplaintEvent.objects.filter(event_type=EventType.IMPORTED)
    }
    incident = by_old["R1"]
    assert (incident.kind, incident.funding, incident.client_type, incident.category) == (
        Kind.INCIDENT,
        Funding.CPF,
        ClientType.CONSUMER,  # derived from the CPF, as the registration does
        Category.ORGANISATION,
    )
    assert incident.cause == "Planning, convocation ou changement de dernière minute"
    assert (incident.training, incident.session, incident.trainer, incident.funder) == (
        "Excel avancé",
        "Session 12",
        "Marc Petit",
        "Caisse des dépôts",
    )
    assert (incident.status, incident.outcome) == (Status.CLOSED, Outcome.GRANTED)
    request = by_old["R2"]
    assert (request.kind, request.status, request.closed_on) == (
        Kind.NOT_ADMISSIBLE,
        Status.CLOSED,
        date(2024, 3, 15),
    )
    assert request.not_admissible_reason == (
        "Non recevable selon le registre importé (nature « Simple demande »)."
    )
    assert (request.client_type, request.funding) == (ClientType.PROFESSIONAL, Funding.OPCO)
    replied = by_old["R3"]
    assert (replied.kind, replied.client_type, replied.funding, replied.category) == (
        Kind.COMPLAINT,
        ClientType.PROFESSIONAL,
        Funding.COMPANY,
        Category.PEDAGOGY,
    )
    assert (replied.cause, replied.status, replied.mediation_seized_on) == (
        "Autre",
        Status.REPLIED,
        None,
    )
    mark = ComplaintEvent.objects.get(complaint=replied, event_type=EventType.IMPORTED)
    assert mark.data["note"] == (
        "Date de saisine du médiateur : 12/04/2024\nContentieux : Tribunal de Grasse, 03/05/2024"
    )
    assert mark.data["changes"] == {"cause": "Autre"}
    assert Complaint.objects.count() == 3


def test_an_unknown_value_is_an_error_naming_its_line_its_column_and_the_accepted_values(
    organisation, manager
):
    report = _import(organisation, manager, REGISTER)

    assert [str(error) for error in report.errors] == [
        "Ligne 5, colonne « Nature » : nature « Suggestion » inconnue. Valeurs acceptées : "
        "« Réclamation », « Difficulté », « Aléa », « Non recevable » (simple demande).",
        "Ligne 5, colonne « Catégorie » : catégorie « Météo » inconnue. Valeurs acceptées : "
        "« Contenu pédagogique », « Formateur·rice », « Organisation, logistique », "
        "« Administratif, facturation », « Accessibilité, handicap », « Évaluation, "
        "certification », « Plateforme, outils numériques », « Autre ».",
        "Ligne 5, colonne « Financement » : financement « Bons d'achat » inconnu. Valeurs "
        "acceptées : « Autofinancement », « CPF », « Entreprise », « OPCO », « France Travail », "
        "« Autre ».",
        "Ligne 5, colonne « Type de client » : type de client « Association » inconnu. Valeurs "
        "acceptées : « Particulier (consommateur) », « Professionnel ».",
        "Ligne 5, colonne « Cause » : cause « Mauvaise humeur » inconnue. Causes de "
        "l'organisme : « Information avant l'entrée en formation insuffisante ou erronée », "
        "« Planning, convocation ou changement de dernière minute », « Compétence ou posture "
        "du formateur », « Contenu ou supports pédagogiques inadaptés », « Locaux, matériel ou "
        "équipement », « Plateforme ou outils numériques », « Erreur administrative ou de "
        "facturation », « Communication ou suivi insuffisants », « Adaptation au handicap "
        "insuffisante », « Prestataire ou sous-traitant », « Attente hors du champ de la "
        "prestation », « Autre » ; choisissez-en une, ajoutez-la dans les réglages (Causes) ou "
        "videz la cellule.",
        "Ligne 6, colonne « Nature » : nature « Réclamation » alors que le statut « non "
        "recevable » dit la demande non recevable : corrigez l'une des deux cellules",
    ]


def test_the_cause_is_read_among_the_organisation_s_own_list(organisation, manager):
    organisation.cause_list = ["Salle inadaptée", "Autre"]
    organisation.save()
    content = (
        "Date de réception;Description;Cause\r\n"
        "14/03/2024;Salle trop petite;salle inadaptee\r\n"
        "15/03/2024;Retard;Planning, convocation ou changement de dernière minute\r\n"
    ).encode()

    report = _import(organisation, manager, content)

    assert Complaint.objects.get().cause == "Salle inadaptée"
    assert [str(error) for error in report.errors] == [
        "Ligne 3, colonne « Cause » : cause « Planning, convocation ou changement de dernière "
        "minute » inconnue. Causes de l'organisme : « Salle inadaptée », « Autre » ; choisissez-en "
        "une, "
        "ajoutez-la dans les réglages (Causes) ou videz la cellule."
    ]


def test_a_french_register_is_read_against_the_french_labels_whatever_the_page_s_language():
    with translation.override("en"):
        assert french_choices(Kind)[0] == (Kind.COMPLAINT, "Réclamation")
        assert KINDS.read("réclamation") == Kind.COMPLAINT
    assert "« Réclamation »" in KINDS.recognised
