"""Choices of the complaint domain. French labels are what users see."""

from collections.abc import Mapping
from types import MappingProxyType

from django.db import models


class Channel(models.TextChoices):
    LETTER = "letter", "Courrier"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Téléphone"
    WEB = "web", "Formulaire web"
    API = "api", "API"


class ClientType(models.TextChoices):
    CONSUMER = "consumer", "Particulier (consommateur)"
    PROFESSIONAL = "professional", "Professionnel"


class Funding(models.TextChoices):
    SELF_FUNDED = "self_funded", "Autofinancement"
    CPF = "cpf", "CPF"
    COMPANY = "company", "Entreprise"
    OPCO = "opco", "OPCO"
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    OTHER = "other", "Autre"


# A funding that tells who the client is; "other" tells nothing.
CLIENT_TYPE_BY_FUNDING: dict[str, str] = {
    Funding.SELF_FUNDED: ClientType.CONSUMER,
    Funding.CPF: ClientType.CONSUMER,
    Funding.FRANCE_TRAVAIL: ClientType.CONSUMER,
    Funding.COMPANY: ClientType.PROFESSIONAL,
    Funding.OPCO: ClientType.PROFESSIONAL,
}


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Réclamation"
    DIFFICULTY = "difficulty", "Difficulté"
    INCIDENT = "incident", "Aléa"
    NOT_ADMISSIBLE = "not_admissible", "Non recevable"


class Category(models.TextChoices):
    PEDAGOGY = "pedagogy", "Contenu pédagogique"
    TRAINER = "trainer", "Formateur·rice"
    ORGANISATION = "organisation", "Organisation, logistique"
    ADMINISTRATIVE = "administrative", "Administratif, facturation"
    ACCESSIBILITY = "accessibility", "Accessibilité, handicap"
    CERTIFICATION = "certification", "Évaluation, certification"
    DIGITAL = "digital", "Plateforme, outils numériques"
    OTHER = "other", "Autre"


class Severity(models.TextChoices):
    LOW = "low", "Faible"
    MEDIUM = "medium", "Moyenne"
    HIGH = "high", "Élevée"
    CRITICAL = "critical", "Critique"


class Status(models.TextChoices):
    INCOMPLETE = "incomplete", "Incomplète"
    AWAITING_INFORMATION = "awaiting_information", "En attente d'informations"
    AWAITING_CONFIRMATION = "awaiting_confirmation", "En attente de confirmation écrite"
    IN_PROGRESS = "in_progress", "En cours de traitement"
    REPLIED = "replied", "Répondue"
    CLOSED = "closed", "Clôturée"


OPEN_STATUSES = frozenset(
    {
        Status.INCOMPLETE,
        Status.AWAITING_INFORMATION,
        Status.AWAITING_CONFIRMATION,
        Status.IN_PROGRESS,
    }
)
# Statuses in which a message from the client is what the complaint is waiting for.
AWAITING_CLIENT = frozenset({Status.AWAITING_INFORMATION, Status.AWAITING_CONFIRMATION})


def status_label(value: str) -> str:
    """The French label of a status; the stored value itself for one this version ignores (a
    chronology outlives the code that wrote it)."""
    return _STATUS_LABELS.get(value, value)


class Outcome(models.TextChoices):
    GRANTED = "granted", "Fondée, satisfaite"
    PARTLY_GRANTED = "partly_granted", "Partiellement satisfaite"
    REJECTED = "rejected", "Rejetée"
    NOT_ADMISSIBLE = "not_admissible", "Non recevable"


# The outcomes a person decides and announces; "not admissible" is a qualification instead.
DECIDED_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED)
DECIDED_OUTCOME_CHOICES = [
    (value, label) for value, label in Outcome.choices if value in DECIDED_OUTCOMES
]


class ReplyChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Courrier"
    EMAIL_AND_LETTER = "email_letter", "E-mail et courrier"
    PHONE_CONFIRMED = "phone_confirmed", "Téléphone, confirmé par écrit"
    HAND = "hand", "Remise en main propre"


class MessageChannel(models.TextChoices):
    """How a message the application writes reaches the client."""

    EMAIL = "email", "E-mail"
    LETTER = "letter", "Courrier (lettre imprimée, à poster)"


class RequestChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Courrier"
    PHONE = "phone", "Téléphone"


# How a written confirmation may reach us: as a request may go, or left by the client on
# their page (the portal).
PORTAL = "portal"
RECEPTION_CHANNELS = [*RequestChannel.choices, (PORTAL, "Espace réclamations en ligne")]


class ClientAcceptance(models.TextChoices):
    UNKNOWN = "unknown", "Non exprimée"
    ACCEPTED = "accepted", "Acceptée par le client"
    DISPUTED = "disputed", "Contestée par le client"


class Satisfaction(models.TextChoices):
    """What the client answered to the survey after the reply."""

    SATISFIED = "satisfied", "Satisfait"
    PARTLY = "partly", "Partiellement satisfait"
    NOT_SATISFIED = "not_satisfied", "Pas satisfait"


class DocumentRole(models.TextChoices):
    ORIGINAL = "original", "Réclamation écrite (original)"
    CONFIRMATION = "confirmation", "Confirmation écrite"
    INFORMATION = "information", "Informations complémentaires"
    REPLY_COPY = "reply_copy", "Copie de la réponse"
    ATTACHMENT = "attachment", "Pièce jointe"
    RECEIVED_MESSAGE = "received_message", "Message reçu (.eml)"
    SENT_MESSAGE = "sent_message", "Message envoyé (.eml)"
    SENT_LETTER = "sent_letter", "Courrier envoyé (PDF)"
    ENCLOSURE = "enclosure", "Pièce jointe envoyée au client"


# Staff attach these by hand; the received and sent messages are stored by the mail channel
# only, the letters sent by the application when it prints them.
STAFF_DOCUMENT_ROLES = [
    (value, label)
    for value, label in DocumentRole.choices
    if value
    not in (
        DocumentRole.RECEIVED_MESSAGE,
        DocumentRole.SENT_MESSAGE,
        DocumentRole.SENT_LETTER,
        DocumentRole.ENCLOSURE,
    )
]


class EventType(models.TextChoices):
    REGISTERED = "registered", "Réclamation enregistrée"
    CONFIRMATION_REQUESTED = "confirmation_requested", "Confirmation écrite demandée"
    CONFIRMATION_RECEIVED = "confirmation_received", "Confirmation écrite reçue"
    INFORMATION_REQUESTED = "information_requested", "Informations complémentaires demandées"
    INFORMATION_RECEIVED = "information_received", "Informations complémentaires reçues"
    DETAILS_UPDATED = "details_updated", "Fiche modifiée"
    ACTION_ADDED = "action_added", "Action menée"
    CAUSE_ANALYSED = "cause_analysed", "Cause analysée"
    NOTE_ADDED = "note_added", "Note"
    DOCUMENT_ADDED = "document_added", "Document ajouté"
    REPLIED = "replied", "Réponse envoyée au client"
    DELIVERY_RECORDED = "delivery_recorded", "Avis de réception de la réponse"
    LETTER_POSTED = "letter_posted", "Courrier posté"
    CLOSED = "closed", "Réclamation clôturée"
    DECLARED_NOT_ADMISSIBLE = "declared_not_admissible", "Déclarée non recevable"
    REOPENED = "reopened", "Réclamation rouverte"
    MEDIATION_SEIZED = "mediation_seized", "Médiateur saisi"
    MEDIATION_OUTCOME = "mediation_outcome", "Issue de la médiation"
    LITIGATION_STARTED = "litigation_started", "Contentieux engagé"
    LITIGATION_OUTCOME = "litigation_outcome", "Issue du contentieux"
    # Retention (decision 0024): "anonymised" is complaints.chain.ANONYMISED, which attests the
    # events it redacted.
    ARCHIVED = "archived", "Réclamation archivée"
    ANONYMISED = "anonymised", "Réclamation anonymisée"
    # A complaint of a register kept before the application, entered with its history
    # (complaints.importing); the organisation's event says which file was imported.
    IMPORTED = "imported", "Réclamation reprise d'un registre existant"
    MESSAGE_RECEIVED = "message_received", "Message reçu du client"
    MESSAGE_SENT = "message_sent", "Message envoyé"
    MESSAGE_FAILED = "message_failed", "Échec de l'envoi d'un message"
    ACKNOWLEDGEMENT_QUEUED = "acknowledgement_queued", "Accusé de réception mis en envoi"
    PROGRESS_QUEUED = "progress_queued", "Point d'avancement mis en envoi"
    PROGRESS_REQUESTED = "progress_requested", "Point d'avancement demandé par le client"
    OPINION_GIVEN = "opinion_given", "Avis du client sur le traitement"
    CLOSURE_CERTIFICATE = "closure_certificate", "Attestation de clôture"
    IMPROVEMENT_CREATED = "improvement_created", "Action d'amélioration décidée"
    IMPROVEMENT_UPDATED = "improvement_updated", "Action d'amélioration modifiée"
    IMPROVEMENT_STARTED = "improvement_started", "Action d'amélioration en cours"
    IMPROVEMENT_DONE = "improvement_done", "Action d'amélioration réalisée"
    IMPROVEMENT_CHECKED = "improvement_checked", "Efficacité vérifiée"
    IMPROVEMENT_CLOSED = "improvement_closed", "Action d'amélioration clôturée"
    IMPROVEMENT_ABANDONED = "improvement_abandoned", "Action d'amélioration abandonnée"
    IMPROVEMENT_NOTE = "improvement_note", "Note sur l'action d'amélioration"
    # The organisation's own events: of no complaint and no action (decision 0021).
    SETTINGS_CHANGED = "settings_changed", "Réglages de l'organisme modifiés"
    TRIAGE_DECIDED = "triage_decided", "Message du tri traité"
    REGISTER_IMPORTED = "register_imported", "Registre existant importé"
    REGISTER_FILE_PURGED = "register_file_purged", "Fichier d'un registre importé supprimé"
    # A data subject's request (GDPR), of the organisation: privacy.requests.
    DATA_REQUEST_RECEIVED = "data_request_received", "Demande sur des données personnelles reçue"
    DATA_REQUEST_EXTENDED = "data_request_extended", "Délai de réponse à une demande prolongé"
    DATA_REQUEST_DECIDED = "data_request_decided", "Demande sur des données personnelles décidée"


class ImprovementStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée, efficacité à vérifier"
    CLOSED = "closed", "Clôturée"
    ABANDONED = "abandoned", "Abandonnée"


OPEN_IMPROVEMENT_STATUSES = frozenset(
    {ImprovementStatus.PLANNED, ImprovementStatus.IN_PROGRESS, ImprovementStatus.DONE}
)


class ImprovementSource(models.TextChoices):
    COMPLAINTS = "complaints", "Réclamations"
    SURVEY = "survey", "Enquête de satisfaction"
    TRAINER = "trainer", "Retour des formateurs"
    AUDIT = "audit", "Constat d'audit"
    OTHER = "other", "Autre"


class CheckResult(models.TextChoices):
    EFFECTIVE = "effective", "Efficace"
    PARTLY = "partly", "Partiellement efficace"
    NOT_EFFECTIVE = "not_effective", "Non efficace"


def improvement_status_label(value: str) -> str:
    """The French label of an improvement action's status (the stored value if unknown)."""
    return _IMPROVEMENT_STATUS_LABELS.get(value, value)


def event_label(value: str) -> str:
    """The French label of an event type; the stored value itself for one this version
    ignores."""
    return _EVENT_LABELS.get(value, value)


# Read once: an enum's `choices` is built anew at every access, and a journal reads millions.
# An improvement action's statuses are read in the same chronology; a complaint's label wins
# where both use one name ("in_progress", "closed": the same meaning).
_STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {**dict(ImprovementStatus.choices), **dict(Status.choices)}
)
_EVENT_LABELS: Mapping[str, str] = MappingProxyType(dict(EventType.choices))
_IMPROVEMENT_STATUS_LABELS: Mapping[str, str] = MappingProxyType(dict(ImprovementStatus.choices))
