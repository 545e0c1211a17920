"""How each event of the chronology reads: the label of each key of its data.

An action's event reads as its declaration says (ActionSpec.shows); the events no action
writes (registration, messages received and sent) are declared here.
"""

from collections.abc import Mapping
from types import MappingProxyType

from reclamations.complaints.actions import event_shows
from reclamations.complaints.actions.spec import Shown
from reclamations.complaints.enums import (
    RECEPTION_CHANNELS,
    Channel,
    CheckResult,
    EventType,
    ImprovementSource,
    Satisfaction,
)
from reclamations.complaints.notifications.kinds import ClientMessage

# Keys any event may carry: what it stored, changed or sent.
COMMON: Mapping[str, Shown] = MappingProxyType(
    {
        "document": Shown("Document"),
        "changes": Shown("Modifications"),
        "email": Shown("E-mail au client"),
        "email_message_id": Shown("Message-ID de l'e-mail"),
        "imported_from": Shown("Repris du"),
    }
)

_EMAIL_RECEIVED = {
    "subject": Shown("Objet"),
    "sender": Shown("Expéditeur"),
    "excerpt": Shown("Extrait"),
    "attachments": Shown("Pièces jointes"),
    "message_id": Shown("Message-ID"),
}
_EMAIL_SENT = {
    "message_kind": Shown("Message", dict(ClientMessage.choices)),
    "to": Shown("Destinataire"),
    "subject": Shown("Objet"),
    "message_id": Shown("Message-ID"),
    "attempts": Shown("Tentatives"),
    "accepted_by": Shown("Accepté par"),
}

_IMPROVEMENT_FIELDS = {
    "title": Shown("Intitulé"),
    "description": Shown("Description"),
    "source": Shown("Origine", dict(ImprovementSource.choices)),
    "source_detail": Shown("Précision sur l'origine"),
    "complaints": Shown("Réclamations"),
    "cause": Shown("Cause traitée"),
    "owner": Shown("Responsable"),
    "due_date": Shown("Échéance"),
}

# The choices of privacy.models (an app above this one), repeated: a test compares them.
_DATA_REQUEST = {
    "request": Shown("Demande n°"),
    "kind": Shown(
        "Droit exercé",
        {
            "access": "Accès (article 15)",
            "rectification": "Rectification (article 16)",
            "erasure": "Effacement (article 17)",
            "objection": "Opposition (article 21)",
        },
    ),
}

_OTHER_EVENTS: Mapping[str, Mapping[str, Shown]] = {
    EventType.REGISTERED: {
        "channel": Shown("Canal", dict(Channel.choices)),
        "received_at": Shown("Reçue le"),
        "due_date": Shown("Échéance"),
        "backdating_reason": Shown("Motif de la saisie a posteriori"),
        "reception_witness": Shown("Date de réception attestée par"),
        "missing": Shown("Informations manquantes"),
        "closed_on": Shown("Clôturée le"),
        "fields": Shown("Fiche à l'enregistrement"),
        **_EMAIL_RECEIVED,
        "triage": Shown("Tri des e-mails"),
    },
    EventType.IMPORTED: {
        "source_file": Shown("Fichier importé"),
        "source_sha256": Shown("SHA-256 du fichier"),
        "line": Shown("Ligne du fichier"),
        "source_reference": Shown("Référence d'origine"),
        "status_read": Shown("Statut au registre d'origine"),
        "received_time": Shown("Heure de réception"),
        "actions": Shown("Actions menées"),
        "note": Shown("Notes reprises"),
    },
    EventType.REGISTER_IMPORTED: {
        "file": Shown("Fichier"),
        "sha256": Shown("SHA-256 du fichier"),
        "size": Shown("Taille (octets)"),
        "read_as": Shown("Lu comme"),
        "created": Shown("Réclamations créées"),
        "already_imported": Shown("Lignes déjà importées"),
        "errors": Shown("Lignes en erreur, non importées"),
        "references": Shown("Références créées"),
    },
    EventType.REGISTER_FILE_PURGED: {
        "file": Shown("Fichier"),
        "sha256": Shown("SHA-256 du fichier"),
        "complaints": Shown("Réclamations créées, toutes anonymisées"),
        "reason": Shown("Motif"),
    },
    EventType.MESSAGE_RECEIVED: {
        "via": Shown("Par", dict(RECEPTION_CHANNELS)),
        "text": Shown("Message"),
        "files": Shown("Fichiers joints"),
        "received_at": Shown("Reçue le"),
        **_EMAIL_RECEIVED,
        "awaited": Shown("Réponse attendue du client"),
    },
    EventType.OPINION_GIVEN: {
        "via": Shown("Par", dict(RECEPTION_CHANNELS)),
        "satisfaction": Shown("Satisfaction", dict(Satisfaction.choices)),
        "resolved": Shown("Résolue selon le client"),
        "comment": Shown("Commentaire"),
    },
    EventType.PROGRESS_REQUESTED: {
        "via": Shown("Par", dict(RECEPTION_CHANNELS)),
        "question": Shown("Question"),
    },
    EventType.ANONYMISED: {
        "message": Shown("E-mail reçu n°"),  # an e-mail that became no complaint
        "reason": Shown("Motif"),
        "redacted_events": Shown("Événements anonymisés"),
        "purged_documents": Shown("Fichiers supprimés"),
    },
    EventType.MESSAGE_SENT: _EMAIL_SENT,
    EventType.MESSAGE_FAILED: {**_EMAIL_SENT, "error": Shown("Erreur")},
    EventType.IMPROVEMENT_CREATED: _IMPROVEMENT_FIELDS,
    EventType.IMPROVEMENT_UPDATED: _IMPROVEMENT_FIELDS,
    EventType.IMPROVEMENT_STARTED: {"comment": Shown("Commentaire")},
    EventType.IMPROVEMENT_DONE: {"done_summary": Shown("Ce qui a été fait")},
    EventType.IMPROVEMENT_CHECKED: {
        "check_result": Shown("Résultat", dict(CheckResult.choices)),
        "check_evidence": Shown("Preuves"),
    },
    EventType.IMPROVEMENT_CLOSED: {"comment": Shown("Commentaire")},
    EventType.IMPROVEMENT_ABANDONED: {"reason": Shown("Motif")},
    EventType.IMPROVEMENT_NOTE: {"text": Shown("Note")},
    EventType.DATA_REQUEST_RECEIVED: {
        **_DATA_REQUEST,
        "received_on": Shown("Reçue le"),
        "due_on": Shown("Échéance"),
    },
    EventType.DATA_REQUEST_EXTENDED: {
        **_DATA_REQUEST,
        "due_on": Shown("Échéance initiale"),
        "months": Shown("Prolongation (mois)"),
        "extended_to": Shown("Nouvelle échéance"),
        "told_on": Shown("Annoncée à la personne le"),
        "reason": Shown("Motif"),
    },
    EventType.DATA_REQUEST_DECIDED: {
        **_DATA_REQUEST,
        "decision": Shown(
            "Décision",
            {"granted": "Accordée", "partly": "Accordée en partie", "refused": "Refusée"},
        ),
        "reason": Shown("Motif"),
        "decided_on": Shown("Décidée le"),
        "anonymised": Shown("Réclamations anonymisées"),
        "kept": Shown("Réclamations conservées"),
    },
}


def shown_keys(event_type: str) -> Mapping[str, Shown]:
    """The keys of the event's data with their label, in the order they read."""
    own = _OTHER_EVENTS.get(event_type) or event_shows(event_type)
    return {**own, **COMMON}
