"""Choices of the complaint domain. The labels are French, translated lazily (gettext_lazy):
each is read in the language of the page, of the API (French) or of the file being written."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Channel(models.TextChoices):
    LETTER = "letter", _("Courrier")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Téléphone")
    WEB = "web", _("Formulaire web")
    API = "api", _("API")


class ClientType(models.TextChoices):
    CONSUMER = "consumer", _("Particulier (consommateur)")
    PROFESSIONAL = "professional", _("Professionnel")


class ClientLanguage(models.TextChoices):
    """The language the client is written to in (issue 12): French unless recorded otherwise."""

    FRENCH = "fr", _("français")
    ENGLISH = "en", _("anglais")


class Funding(models.TextChoices):
    SELF_FUNDED = "self_funded", _("Autofinancement")
    CPF = "cpf", _("CPF")
    COMPANY = "company", _("Entreprise")
    OPCO = "opco", _("OPCO")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    OTHER = "other", _("Autre")


# A funding that tells who the client is; "other" tells nothing.
CLIENT_TYPE_BY_FUNDING: dict[str, str] = {
    Funding.SELF_FUNDED: ClientType.CONSUMER,
    Funding.CPF: ClientType.CONSUMER,
    Funding.FRANCE_TRAVAIL: ClientType.CONSUMER,
    Funding.COMPANY: ClientType.PROFESSIONAL,
    Funding.OPCO: ClientType.PROFESSIONAL,
}


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Réclamation")
    DIFFICULTY = "difficulty", _("Difficulté")
    INCIDENT = "incident", _("Aléa")
    NOT_ADMISSIBLE = "not_admissible", _("Non recevable")


class Category(models.TextChoices):
    PEDAGOGY = "pedagogy", _("Contenu pédagogique")
    TRAINER = "trainer", _("Formateur·rice")
    ORGANISATION = "organisation", _("Organisation, logistique")
    ADMINISTRATIVE = "administrative", _("Administratif, facturation")
    ACCESSIBILITY = "accessibility", _("Accessibilité, handicap")
    CERTIFICATION = "certification", _("Évaluation, certification")
    DIGITAL = "digital", _("Plateforme, outils numériques")
    OTHER = "other", _("Autre")


class Severity(models.TextChoices):
    LOW = "low", _("Faible")
    MEDIUM = "medium", _("Moyenne")
    HIGH = "high", _("Élevée")
    CRITICAL = "critical", _("Critique")


class Status(models.TextChoices):
    INCOMPLETE = "incomplete", _("Incomplète")
    AWAITING_INFORMATION = "awaiting_information", _("En attente d'informations")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("En attente de confirmation écrite")
    IN_PROGRESS = "in_progress", _("En cours de traitement")
    REPLIED = "replied", _("Répondue")
    CLOSED = "closed", _("Clôturée")


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


# Each known label, translated once a language: a register page asks for a hundred of them,
# and a translation is looked up in every catalogue of the language each time.
_TRANSLATED: dict[tuple[int, str | None, str], str] = {}


def _label(labels: Mapping[str, StrOrPromise], value: str) -> str:
    """labels[value] in the active language; `value` itself when it is not a known one."""
    if value not in labels:
        return str(value)
    key = (id(labels), translation.get_language(), value)
    found = _TRANSLATED.get(key)
    if found is None:
        found = _TRANSLATED[key] = str(labels[value])
    return found


def status_label(value: str) -> str:
    """The label of a status in the active language; the stored value itself for one this
    version ignores (a chronology outlives the code that wrote it)."""
    return _label(_STATUS_LABELS, value)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Fondée, satisfaite")
    PARTLY_GRANTED = "partly_granted", _("Partiellement satisfaite")
    REJECTED = "rejected", _("Rejetée")
    NOT_ADMISSIBLE = "not_admissible", _("Non recevable")


# The outcomes a person decides and announces; "not admissible" is a qualification instead.
DECIDED_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED)
DECIDED_OUTCOME_CHOICES = [
    (value, label) for value, label in Outcome.choices if value in DECIDED_OUTCOMES
]


class ReplyChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Courrier")
    EMAIL_AND_LETTER = "email_letter", _("E-mail et courrier")
    PHONE_CONFIRMED = "phone_confirmed", _("Téléphone, confirmé par écrit")
    HAND = "hand", _("Remise en main propre")


class MessageChannel(models.TextChoices):
    """How a message the application writes reaches the client."""

    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Courrier (lettre imprimée, à poster)")


class RequestChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Courrier")
    PHONE = "phone", _("Téléphone")


# How a written confirmation may reach us: as a request may go, or left by the client on
# their page (the portal).
PORTAL = "portal"
RECEPTION_CHANNELS = [*RequestChannel.choices, (PORTAL, _("Espace réclamations en ligne"))]


class ClientAcceptance(models.TextChoices):
    UNKNOWN = "unknown", _("Non exprimée")
    ACCEPTED = "accepted", _("Acceptée par le client")
    DISPUTED = "disputed", _("Contestée par le client")


class Satisfaction(models.TextChoices):
    """What the client answered to the survey after the reply."""

    SATISFIED = "satisfied", _("Satisfait")
    PARTLY = "partly", _("Partiellement satisfait")
    NOT_SATISFIED = "not_satisfied", _("Pas satisfait")


class DocumentRole(models.TextChoices):
    ORIGINAL = "original", _("Réclamation écrite (original)")
    CONFIRMATION = "confirmation", _("Confirmation écrite")
    INFORMATION = "information", _("Informations complémentaires")
    REPLY_COPY = "reply_copy", _("Copie de la réponse")
    ATTACHMENT = "attachment", _("Pièce jointe")
    RECEIVED_MESSAGE = "received_message", _("Message reçu (.eml)")
    SENT_MESSAGE = "sent_message", _("Message envoyé (.eml)")
    SENT_LETTER = "sent_letter", _("Courrier envoyé (PDF)")
    ENCLOSURE = "enclosure", _("Pièce jointe envoyée au client")


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
    REGISTERED = "registered", _("Réclamation enregistrée")
    CONFIRMATION_REQUESTED = "confirmation_requested", _("Confirmation écrite demandée")
    CONFIRMATION_RECEIVED = "confirmation_received", _("Confirmation écrite reçue")
    INFORMATION_REQUESTED = "information_requested", _("Informations complémentaires demandées")
    INFORMATION_RECEIVED = "information_received", _("Informations complémentaires reçues")
    DETAILS_UPDATED = "details_updated", _("Fiche modifiée")
    ACTION_ADDED = "action_added", _("Action menée")
    CAUSE_ANALYSED = "cause_analysed", _("Cause analysée")
    NOTE_ADDED = "note_added", _("Note")
    DOCUMENT_ADDED = "document_added", _("Document ajouté")
    REPLIED = "replied", _("Réponse envoyée au client")
    DELIVERY_RECORDED = "delivery_recorded", _("Avis de réception de la réponse")
    LETTER_POSTED = "letter_posted", _("Courrier posté")
    CLOSED = "closed", _("Réclamation clôturée")
    DECLARED_NOT_ADMISSIBLE = "declared_not_admissible", _("Déclarée non recevable")
    REOPENED = "reopened", _("Réclamation rouverte")
    MEDIATION_SEIZED = "mediation_seized", _("Médiateur saisi")
    MEDIATION_OUTCOME = "mediation_outcome", _("Issue de la médiation")
    LITIGATION_STARTED = "litigation_started", _("Contentieux engagé")
    LITIGATION_OUTCOME = "litigation_outcome", _("Issue du contentieux")
    # Retention (decision 0024): "anonymised" is complaints.chain.ANONYMISED, which attests the
    # events it redacted.
    ARCHIVED = "archived", _("Réclamation archivée")
    ANONYMISED = "anonymised", _("Réclamation anonymisée")
    # A complaint of a register kept before the application, entered with its history
    # (complaints.importing); the organisation's event says which file was imported.
    IMPORTED = "imported", _("Réclamation reprise d'un registre existant")
    MESSAGE_RECEIVED = "message_received", _("Message reçu du client")
    MESSAGE_SENT = "message_sent", _("Message envoyé")
    MESSAGE_FAILED = "message_failed", _("Échec de l'envoi d'un message")
    ACKNOWLEDGEMENT_QUEUED = "acknowledgement_queued", _("Accusé de réception mis en envoi")
    PROGRESS_QUEUED = "progress_queued", _("Point d'avancement mis en envoi")
    PROGRESS_REQUESTED = "progress_requested", _("Point d'avancement demandé par le client")
    OPINION_GIVEN = "opinion_given", _("Avis du client sur le traitement")
    CLOSURE_CERTIFICATE = "closure_certificate", _("Attestation de clôture")
    IMPROVEMENT_CREATED = "improvement_created", _("Action d'amélioration décidée")
    IMPROVEMENT_UPDATED = "improvement_updated", _("Action d'amélioration modifiée")
    IMPROVEMENT_STARTED = "improvement_started", _("Action d'amélioration en cours")
    IMPROVEMENT_DONE = "improvement_done", _("Action d'amélioration réalisée")
    IMPROVEMENT_CHECKED = "improvement_checked", _("Efficacité vérifiée")
    IMPROVEMENT_CLOSED = "improvement_closed", _("Action d'amélioration clôturée")
    IMPROVEMENT_ABANDONED = "improvement_abandoned", _("Action d'amélioration abandonnée")
    IMPROVEMENT_NOTE = "improvement_note", _("Note sur l'action d'amélioration")
    # The organisation's own events: of no complaint and no action (decision 0021).
    # The first event of a real organisation's chain: every setting it started with
    # (complaints.installation).
    ORGANISATION_CREATED = "organisation_created", _("Organisme créé")
    SETTINGS_CHANGED = "settings_changed", _("Réglages de l'organisme modifiés")
    TRIAGE_DECIDED = "triage_decided", _("Message du tri traité")
    REGISTER_IMPORTED = "register_imported", _("Registre existant importé")
    REGISTER_FILE_PURGED = "register_file_purged", _("Fichier d'un registre importé supprimé")
    # A data subject's request (GDPR), of the organisation: privacy.requests.
    DATA_REQUEST_RECEIVED = "data_request_received", _("Demande sur des données personnelles reçue")
    DATA_REQUEST_EXTENDED = "data_request_extended", _("Délai de réponse à une demande prolongé")
    DATA_REQUEST_DECIDED = "data_request_decided", _("Demande sur des données personnelles décidée")


class ImprovementStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée, efficacité à vérifier")
    CLOSED = "closed", _("Clôturée")
    ABANDONED = "abandoned", _("Abandonnée")


OPEN_IMPROVEMENT_STATUSES = frozenset(
    {ImprovementStatus.PLANNED, ImprovementStatus.IN_PROGRESS, ImprovementStatus.DONE}
)


class ImprovementSource(models.TextChoices):
    COMPLAINTS = "complaints", _("Réclamations")
    SURVEY = "survey", _("Enquête de satisfaction")
    TRAINER = "trainer", _("Retour des formateurs")
    AUDIT = "audit", _("Constat d'audit")
    OTHER = "other", _("Autre")


class CheckResult(models.TextChoices):
    EFFECTIVE = "effective", _("Efficace")
    PARTLY = "partly", _("Partiellement efficace")
    NOT_EFFECTIVE = "not_effective", _("Non efficace")


def improvement_status_label(value: str) -> str:
    """The label of an improvement action's status (the stored value if unknown)."""
    return _label(_IMPROVEMENT_STATUS_LABELS, value)


def french_choices(choices: type[models.TextChoices]) -> list[tuple[str, str]]:
    """`choices` with their French labels, whatever the active language: what a French file
    is read against (an imported register) or written with."""
    with translation.override("fr"):
        return [(value, str(label)) for value, label in choices.choices]


def channel_label(value: str) -> str:
    """The label of a channel in the active language; the stored value itself if unknown."""
    return _label(_CHANNEL_LABELS, value)


def event_label(value: str) -> str:
    """The label of an event type in the active language; the stored value itself for one
    this version ignores."""
    return _label(_EVENT_LABELS, value)


# Read once: an enum's `choices` is built anew at every access, and a journal reads millions.
# The labels stay lazy: each reading gives the active language's (French outside a request).
# An improvement action's statuses are read in the same chronology; a complaint's label wins
# where both use one name ("in_progress", "closed": the same meaning).
_STATUS_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(
    {**dict(ImprovementStatus.choices), **dict(Status.choices)}
)
_EVENT_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(dict(EventType.choices))
# The model's get_channel_display() translated every channel's label to give one (each
# acknowledgement's wording reads it).
_CHANNEL_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(dict(Channel.choices))
_IMPROVEMENT_STATUS_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(
    dict(ImprovementStatus.choices)
)
_KIND_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(dict(Kind.choices))
_CATEGORY_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(dict(Category.choices))
_REPLY_CHANNEL_LABELS: Mapping[str, StrOrPromise] = MappingProxyType(dict(ReplyChannel.choices))


def kind_label(value: str) -> str:
    """The label of a complaint's kind in the active language (the stored value if unknown)."""
    return _label(_KIND_LABELS, value)


def category_label(value: str) -> str:
    """The label of a category in the active language ("" for none, the value if unknown)."""
    return _label(_CATEGORY_LABELS, value)


def reply_channel_label(value: str) -> str:
    """The label of the reply's channel in the active language (the value if unknown)."""
    return _label(_REPLY_CHANNEL_LABELS, value)
