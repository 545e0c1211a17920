"""How each event of the chronology reads: the label of each key of its data.

An action's event reads as its declaration says (ActionSpec.shows); the events no action
writes (registration, messages received and sent) are declared here.
"""

from collections.abc import Mapping
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

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
        "document": Shown(_("Document")),
        "changes": Shown(_("Modifications")),
        "email": Shown(_("E-mail au client")),
        "email_message_id": Shown(_("Message-ID de l'e-mail")),
        "imported_from": Shown(_("Repris du")),
    }
)

_EMAIL_RECEIVED = {
    "subject": Shown(_("Objet")),
    "sender": Shown(_("Expéditeur")),
    "excerpt": Shown(_("Extrait")),
    "attachments": Shown(_("Pièces jointes")),
    "message_id": Shown(_("Message-ID")),
}
_EMAIL_SENT = {
    "message_kind": Shown(_("Message"), dict(ClientMessage.choices)),
    "to": Shown(_("Destinataire")),
    "subject": Shown(_("Objet")),
    "message_id": Shown(_("Message-ID")),
    "attempts": Shown(_("Tentatives")),
    "accepted_by": Shown(_("Accepté par")),
}

_IMPROVEMENT_FIELDS = {
    "title": Shown(_("Intitulé")),
    "description": Shown(_("Description")),
    "source": Shown(_("Origine"), dict(ImprovementSource.choices)),
    "source_detail": Shown(_("Précision sur l'origine")),
    "complaints": Shown(_("Réclamations")),
    "cause": Shown(_("Cause traitée")),
    "owner": Shown(_("Responsable")),
    "due_date": Shown(_("Échéance")),
}

# The choices of privacy.models (an app above this one), repeated: a test compares them.
_DATA_REQUEST = {
    "request": Shown(_("Demande n°")),
    "kind": Shown(
        _("Droit exercé"),
        {
            "access": _("Accès (article 15)"),
            "rectification": _("Rectification (article 16)"),
            "erasure": _("Effacement (article 17)"),
            "objection": _("Opposition (article 21)"),
        },
    ),
}

_OTHER_EVENTS: Mapping[str, Mapping[str, Shown]] = {
    EventType.REGISTERED: {
        "channel": Shown(_("Canal"), dict(Channel.choices)),
        "received_at": Shown(_("Reçue le")),
        "due_date": Shown(_("Échéance")),
        "backdating_reason": Shown(_("Motif de la saisie a posteriori")),
        "reception_witness": Shown(_("Date de réception attestée par")),
        "missing": Shown(_("Informations manquantes")),
        "closed_on": Shown(_("Clôturée le")),
        "fields": Shown(_("Fiche à l'enregistrement")),
        **_EMAIL_RECEIVED,
        "triage": Shown(_("Tri des e-mails")),
    },
    EventType.IMPORTED: {
        "source_file": Shown(_("Fichier importé")),
        "source_sha256": Shown(_("SHA-256 du fichier")),
        "line": Shown(_("Ligne du fichier")),
        "source_reference": Shown(_("Référence d'origine")),
        "status_read": Shown(_("Statut au registre d'origine")),
        "received_time": Shown(_("Heure de réception")),
        "actions": Shown(_("Actions menées")),
        "note": Shown(_("Notes reprises")),
    },
    EventType.REGISTER_IMPORTED: {
        "file": Shown(_("Fichier")),
        "sha256": Shown(_("SHA-256 du fichier")),
        "size": Shown(_("Taille (octets)")),
        "read_as": Shown(_("Lu comme")),
        "created": Shown(_("Réclamations créées")),
        "already_imported": Shown(_("Lignes déjà importées")),
        "errors": Shown(_("Lignes en erreur, non importées")),
        "references": Shown(_("Références créées")),
    },
    EventType.REGISTER_FILE_PURGED: {
        "file": Shown("Fichier"),
        "sha256": Shown("SHA-256 du fichier"),
        "complaints": Shown("Réclamations créées, toutes anonymisées"),
        "reason": Shown("Motif"),
    },
    EventType.MESSAGE_RECEIVED: {
        "via": Shown(_("Par"), dict(RECEPTION_CHANNELS)),
        "text": Shown(_("Message")),
        "files": Shown(_("Fichiers joints")),
        "received_at": Shown(_("Reçue le")),
        **_EMAIL_RECEIVED,
        "awaited": Shown(_("Réponse attendue du client")),
    },
    EventType.OPINION_GIVEN: {
        "via": Shown(_("Par"), dict(RECEPTION_CHANNELS)),
        "satisfaction": Shown(_("Satisfaction"), dict(Satisfaction.choices)),
        "resolved": Shown(_("Résolue selon le client")),
        "comment": Shown(_("Commentaire")),
    },
    EventType.PROGRESS_REQUESTED: {
        "via": Shown(_("Par"), dict(RECEPTION_CHANNELS)),
        "question": Shown(_("Question")),
    },
    EventType.ANONYMISED: {
        "message": Shown(_("E-mail reçu n°")),  # an e-mail that became no complaint
        "reason": Shown(_("Motif")),
        "redacted_events": Shown(_("Événements anonymisés")),
        "purged_documents": Shown(_("Fichiers supprimés")),
    },
    EventType.ORGANISATION_CREATED: {
        "settings": Shown(_("Réglages initiaux")),
        "manager": Shown(_("Premier compte responsable")),
        "via": Shown(
            _("Créé par"),
            {
                "command": _("la commande reclamations init"),
                "page": _("la page de première installation"),
                "platform": _("la page Nouvel organisme du super-administrateur"),
                "platform_command": _("la commande reclamations organisation create"),
            },
        ),
    },
    EventType.MESSAGE_SENT: _EMAIL_SENT,
    EventType.MESSAGE_FAILED: {**_EMAIL_SENT, "error": Shown(_("Erreur"))},
    EventType.IMPROVEMENT_CREATED: _IMPROVEMENT_FIELDS,
    EventType.IMPROVEMENT_UPDATED: _IMPROVEMENT_FIELDS,
    EventType.IMPROVEMENT_STARTED: {"comment": Shown(_("Commentaire"))},
    EventType.IMPROVEMENT_DONE: {"done_summary": Shown(_("Ce qui a été fait"))},
    EventType.IMPROVEMENT_CHECKED: {
        "check_result": Shown(_("Résultat"), dict(CheckResult.choices)),
        "check_evidence": Shown(_("Preuves")),
    },
    EventType.IMPROVEMENT_CLOSED: {"comment": Shown(_("Commentaire"))},
    EventType.IMPROVEMENT_ABANDONED: {"reason": Shown(_("Motif"))},
    EventType.IMPROVEMENT_NOTE: {"text": Shown(_("Note"))},
    EventType.DATA_REQUEST_RECEIVED: {
        **_DATA_REQUEST,
        "received_on": Shown(_("Reçue le")),
        "due_on": Shown(_("Échéance")),
    },
    EventType.DATA_REQUEST_EXTENDED: {
        **_DATA_REQUEST,
        "due_on": Shown(_("Échéance initiale")),
        "months": Shown(_("Prolongation (mois)")),
        "extended_to": Shown(_("Nouvelle échéance")),
        "told_on": Shown(_("Annoncée à la personne le")),
        "reason": Shown(_("Motif")),
    },
    EventType.DATA_REQUEST_DECIDED: {
        **_DATA_REQUEST,
        "decision": Shown(
            _("Décision"),
            {"granted": "Accordée", "partly": "Accordée en partie", "refused": "Refusée"},
        ),
        "reason": Shown(_("Motif")),
        "decided_on": Shown(_("Décidée le")),
        "anonymised": Shown(_("Réclamations anonymisées")),
        "kept": Shown(_("Réclamations conservées")),
    },
}


def shown_keys(event_type: str) -> Mapping[str, Shown]:
    """The keys of the event's data with their label, in the order they read."""
    own = _OTHER_EVENTS.get(event_type) or event_shows(event_type)
    return {**own, **COMMON}
