"""Which workflow change sends which message to the client. Called by complaints.services
INSIDE its transaction, after the complaint is updated and before the chronology event is
written: each function queues what is due and returns what the event records about it.

- acknowledgement: at registration by email, web form or API; by one click otherwise;
- confirmation_request: a phone complaint registered with the confirmation asked by email;
- information_request: request_information with sent_via "email";
- reply: reply with channel "email" (the referent's text, wrapped with the recourse);
- progress: by one click, to answer a client asking where the complaint stands.
No client address: nothing is queued and the event says "aucune adresse".
"""

import logging
from collections.abc import Mapping
from typing import Any

from reclamations.complaints.enums import Channel, Outcome, ReplyChannel, RequestChannel, Status
from reclamations.complaints.models import Complaint
from reclamations.complaints.workflow import Action
from reclamations.outbox.models import MessageKind
from reclamations.outbox.services import outbox_queue
from reclamations.outbox.templating import render_message

logger = logging.getLogger(__name__)

NO_ADDRESS = "aucune adresse"
AUTOMATIC_ACKNOWLEDGEMENT_CHANNELS = frozenset({Channel.EMAIL, Channel.WEB, Channel.API})
ANNOUNCED_OUTCOMES = (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED)
QUEUED_LABELS = {
    MessageKind.ACKNOWLEDGEMENT: "accusé de réception",
    MessageKind.CONFIRMATION_REQUEST: "demande de confirmation écrite",
    MessageKind.INFORMATION_REQUEST: "demande d'informations",
    MessageKind.REPLY: "réponse",
    MessageKind.PROGRESS: "point d'avancement",
}
NO_ADDRESS_MESSAGE = (
    "Aucune adresse e-mail n'est connue pour ce client : ajoutez-la avec « Modifier la fiche », "
    "puis recommencez."
)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def queue_client_message(
    complaint: Complaint,
    kind: str,
    *,
    extra: Mapping[str, str] | None = None,
    in_reply_to: str = "",
) -> dict[str, str]:
    """Render and queue `kind` to the client; the event data saying what happened."""
    if not complaint.client_email:
        return {"email": NO_ADDRESS}
    rendered = render_message(complaint, kind, extra)
    message = outbox_queue(
        organisation=complaint.organisation,
        complaint=complaint,
        kind=kind,
        to=complaint.client_email,
        subject=rendered.subject,
        body_text=rendered.body,
        in_reply_to=in_reply_to,
    )
    return {
        "email": f"{QUEUED_LABELS[kind]} en file d'envoi pour {complaint.client_email}",
        "email_message_id": message.message_id,
    }


def on_register(*, complaint: Complaint, inbound_message_id: str = "") -> dict[str, str]:
    """The automatic acknowledgement of a complaint registered by email, web form or API."""
    if complaint.channel not in AUTOMATIC_ACKNOWLEDGEMENT_CHANNELS:
        return {}
    if complaint.status == Status.CLOSED:  # registered as not admissible: nothing to acknowledge
        return {}
    return queue_client_message(
        complaint, MessageKind.ACKNOWLEDGEMENT, in_reply_to=inbound_message_id or ""
    )


def on_confirmation_requested(*, complaint: Complaint, via: str) -> dict[str, str]:
    """The request for written confirmation of a phone complaint, when asked by email."""
    if via != RequestChannel.EMAIL:
        return {}
    return queue_client_message(complaint, MessageKind.CONFIRMATION_REQUEST)


def check_action(
    *,
    complaint: Complaint,
    action: Action,
    data: Mapping[str, Any],
    errors: dict[str, list[str]],
) -> None:
    """What an action that sends mail needs, reported with the action's other errors."""
    if action in (Action.SEND_ACKNOWLEDGEMENT, Action.SEND_PROGRESS) and not complaint.client_email:
        errors.setdefault("__all__", []).append(NO_ADDRESS_MESSAGE)
    if action == Action.REPLY:
        outcome = _text(data, "outcome")
        if outcome and outcome not in ANNOUNCED_OUTCOMES:
            errors.setdefault("outcome", []).append(
                "Choisissez l'issue annoncée parmi : entièrement satisfaite, partiellement "
                "satisfaite, rejetée (ou laissez vide)."
            )


def on_action(*, complaint: Complaint, action: Action, data: Mapping[str, Any]) -> dict[str, str]:
    """Queue the message an applied action sends, if any; the event data saying so."""
    if action == Action.SEND_ACKNOWLEDGEMENT:
        return queue_client_message(complaint, MessageKind.ACKNOWLEDGEMENT)
    if action == Action.SEND_PROGRESS:
        return queue_client_message(
            complaint, MessageKind.PROGRESS, extra={"progress_note": _text(data, "note")}
        )
    if action == Action.REQUEST_INFORMATION and _text(data, "sent_via") == RequestChannel.EMAIL:
        return queue_client_message(
            complaint,
            MessageKind.INFORMATION_REQUEST,
            extra={
                "missing_information": _text(data, "missing"),
                "request_message": _text(data, "message"),
            },
        )
    if action == Action.REPLY and _text(data, "channel") == ReplyChannel.EMAIL:
        outcome = _text(data, "outcome")
        announced = {"announced_outcome": outcome} if outcome else {}
        text = _text(data, "text")
        if not text:
            return {"email": "aucun texte de réponse saisi : rien n'est envoyé", **announced}
        sent = queue_client_message(
            complaint, MessageKind.REPLY, extra={"reply_text": text, "outcome": outcome}
        )
        return {**sent, **announced}
    return {}
