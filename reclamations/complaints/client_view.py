"""A complaint as its client sees it: where it stands in plain French, the steps that concern
them, the messages and letters sent to them. Internal notes, actions, analyses and the names
of staff (other than the referent the organisation names) never appear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import DocumentRole, EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintMessage, Document
from reclamations.outbox.models import OutgoingStatus

# Where the complaint stands, as the client reads it.
CLIENT_STATUS: dict[str, Any] = {
    Status.INCOMPLETE: _("reçue, en cours d'examen"),
    Status.AWAITING_INFORMATION: _("en attente de vos informations"),
    Status.AWAITING_CONFIRMATION: _("en attente de votre confirmation écrite"),
    Status.IN_PROGRESS: _("en cours de traitement"),
    Status.REPLIED: _("réponse envoyée"),
    Status.CLOSED: _("close"),
}
IN_MEDIATION = _("en médiation")

# The steps the client is told about, and how they read.
CLIENT_STEPS: dict[str, Any] = {
    EventType.REGISTERED: _("Réclamation reçue et enregistrée"),
    EventType.ACKNOWLEDGEMENT_QUEUED: _("Accusé de réception envoyé"),
    EventType.CONFIRMATION_REQUESTED: _("Confirmation écrite demandée"),
    EventType.CONFIRMATION_RECEIVED: _("Votre confirmation écrite a été reçue"),
    EventType.INFORMATION_REQUESTED: _("Informations complémentaires demandées"),
    EventType.INFORMATION_RECEIVED: _("Vos informations ont été reçues"),
    EventType.MESSAGE_RECEIVED: _("Votre message a été reçu"),
    EventType.PROGRESS_REQUESTED: _("Vous avez demandé où en est votre réclamation"),
    EventType.PROGRESS_QUEUED: _("Point d'avancement envoyé"),
    EventType.REPLIED: _("Réponse envoyée"),
    EventType.LETTER_POSTED: _("Courrier posté"),
    EventType.CLOSED: _("Réclamation close"),
    EventType.DECLARED_NOT_ADMISSIBLE: _("Réclamation déclarée non recevable"),
    EventType.REOPENED: _("Réclamation rouverte"),
    EventType.MEDIATION_SEIZED: _("Médiateur de la consommation saisi"),
    EventType.MEDIATION_OUTCOME: _("Issue de la médiation"),
    EventType.CLOSURE_CERTIFICATE: _("Attestation de clôture envoyée"),
    EventType.OPINION_GIVEN: _("Vous avez donné votre avis"),
    EventType.MESSAGE_SENT: _("Message envoyé"),
}
# What the client may download: what was sent to them (the e-mails are shown as text).
CLIENT_DOCUMENT_ROLES = (DocumentRole.REPLY_COPY, DocumentRole.SENT_LETTER, DocumentRole.ENCLOSURE)
MESSAGE_TYPE = "message/rfc822"
_LINK_FOOTER = "\n\n-- \n"  # the links at the foot of every e-mail (sending.with_follow_link)


@dataclass(frozen=True)
class ClientStep:
    kind: str  # the event's type
    on: date
    title: str
    detail: str = ""  # what was asked, the subject of a message
    text: str = ""  # a message's text, shown on demand


@dataclass(frozen=True)
class ClientView:
    complaint: Complaint
    status: str
    due_date: date | None  # while a reply is awaited
    steps: list[ClientStep]
    documents: list[Document]
    awaits: str = ""  # what the complaint waits for from the client: "confirmation", "information"
    missing: str = ""  # the information asked for, as the request said
    can_ask: bool = False  # whether asking where it stands makes sense (before the reply)


def client_status(complaint: Complaint) -> Any:
    if complaint.mediation_seized_on and complaint.status != Status.CLOSED:
        return IN_MEDIATION
    return CLIENT_STATUS.get(complaint.status, "en cours de traitement")


def without_link(body: str) -> str:
    """A message as shown on the client's page: its personal link (used up) left out."""
    return body.split(_LINK_FOOTER, 1)[0].rstrip() + "\n"


def _sent_messages(complaint: Complaint) -> dict[str, tuple[str, str]]:
    """Message-ID -> (subject, text) of the e-mails sent to the client."""
    rows = ComplaintMessage.objects.filter(
        complaint=complaint, to_client=True, outgoing__status=OutgoingStatus.SENT
    ).values_list("outgoing__message_id", "outgoing__subject", "outgoing__body_text")
    return {message_id: (subject, without_link(body)) for message_id, subject, body in rows}


def _step(event: ComplaintEvent, messages: dict[str, tuple[str, str]]) -> ClientStep | None:
    title = CLIENT_STEPS.get(event.event_type)
    if title is None:
        return None
    data = event.data if isinstance(event.data, dict) else {}
    if event.event_type == EventType.MESSAGE_SENT:
        subject, text = messages.get(str(data.get("message_id", "")), ("", ""))
        if not text:
            return None  # a message to staff, or one not kept
        return ClientStep(event.event_type, event.occurred_on, title, subject, text)
    detail = ""
    if event.event_type == EventType.INFORMATION_REQUESTED:
        detail = str(data.get("missing", ""))
    return ClientStep(event.event_type, event.occurred_on, title, detail)


def client_view(complaint: Complaint) -> ClientView:
    """What the client's page shows of `complaint` (three queries)."""
    events = ComplaintEvent.objects.filter(
        complaint=complaint, event_type__in=list(CLIENT_STEPS)
    ).order_by("sequence")
    messages = _sent_messages(complaint)
    steps = [step for event in events if (step := _step(event, messages)) is not None]
    documents = list(
        Document.objects.filter(complaint=complaint, role__in=CLIENT_DOCUMENT_ROLES)
        .exclude(content_type=MESSAGE_TYPE)
        .order_by("created_at", "pk")
    )
    awaiting = complaint.status not in (Status.REPLIED, Status.CLOSED)
    awaits = {
        Status.AWAITING_CONFIRMATION: "confirmation",
        Status.AWAITING_INFORMATION: "information",
    }.get(complaint.status, "")
    asked = [
        step.detail for step in steps if step.title == CLIENT_STEPS[EventType.INFORMATION_REQUESTED]
    ]
    return ClientView(
        complaint=complaint,
        status=client_status(complaint),
        due_date=complaint.due_date if awaiting else None,
        steps=steps,
        documents=documents,
        awaits=awaits,
        missing=asked[-1] if asked and awaits == "information" else "",
        can_ask=awaiting,
    )


def client_document(complaint: Complaint, document_id: int) -> Document | None:
    """A document the client may download from their page, or None."""
    return (
        Document.objects.filter(complaint=complaint, pk=document_id, role__in=CLIENT_DOCUMENT_ROLES)
        .exclude(content_type=MESSAGE_TYPE)
        .first()
    )
