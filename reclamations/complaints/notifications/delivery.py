"""What the complaint domain records when the outbox delivers, or gives up, one of its messages.

Registered with the outbox by ComplaintsConfig.ready(); each method runs inside the outbox's
transaction that records the result, so the chronology and the outbox never disagree.
"""

from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from reclamations.complaints.chronology import append_event, document_data, locked
from reclamations.complaints.documents import EmailMessageFile, store_document
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintMessage
from reclamations.complaints.notifications.kinds import QUEUED_LABELS, copy_role
from reclamations.complaints.notifications.staff import Notice, notify_referent
from reclamations.core.localtime import local_date, local_today
from reclamations.outbox.models import OutgoingMessage


def _outgoing_data(outgoing: OutgoingMessage) -> dict[str, Any]:
    return {
        "message_kind": outgoing.kind,
        "to": outgoing.to,
        "subject": outgoing.subject,
        "message_id": outgoing.message_id,
        "attempts": outgoing.attempts,
        **({"accepted_by": outgoing.accepted_by} if outgoing.accepted_by else {}),
    }


def _link_to_client(outgoing: OutgoingMessage) -> ComplaintMessage | None:
    return (
        ComplaintMessage.objects.filter(outgoing=outgoing, to_client=True)
        .select_related("complaint")
        .first()
    )


def _not_delivered(outgoing: OutgoingMessage, reference: str) -> Notice:
    """The referent's notice of a message the client did not get (in the active language)."""
    label = gettext(QUEUED_LABELS.get(outgoing.kind, "message"))
    text = gettext(
        "Le message « %(label)s » envoyé à %(to)s pour la réclamation %(reference)s n'a pas "
        "été remis : %(error)s"
    ) % {"label": label, "to": outgoing.to, "reference": reference, "error": outgoing.last_error}
    advice = gettext(
        "Le client ne l'a pas reçu : le délai de réponse court toujours. Vérifiez son adresse "
        "ou joignez-le par un autre moyen (courrier, téléphone)."
    )
    return Notice(
        subject=gettext("E-mail non remis au client"),
        body=f"{text}\n\n{advice}",
        to_do=gettext("Voir la réclamation"),
    )


class ComplaintDeliveries:
    """Messages to clients enter the chronology: the exact bytes sent, or the failure."""

    def message_sent(self, outgoing: OutgoingMessage, raw: bytes) -> None:
        link = _link_to_client(outgoing)
        if link is None:
            return
        complaint = locked(link.complaint)
        now = timezone.now()
        copy = store_document(
            complaint=complaint,
            upload=EmailMessageFile(raw, name=f"{outgoing.kind}-{outgoing.pk}.eml"),
            role=copy_role(outgoing.kind),
            created_by=None,
            created_at=now,
        )
        append_event(
            complaint=complaint,
            event_type=EventType.MESSAGE_SENT,
            actor=None,
            occurred_on=local_date(complaint.organisation, outgoing.sent_at or now),
            status_before=complaint.status,
            data={**_outgoing_data(outgoing), **document_data(copy)},
            document=copy,
        )
        link.copy = copy
        link.save(update_fields=["copy"])

    def message_failed(self, outgoing: OutgoingMessage) -> None:
        link = _link_to_client(outgoing)
        if link is None:
            return
        complaint = locked(link.complaint)
        append_event(
            complaint=complaint,
            event_type=EventType.MESSAGE_FAILED,
            actor=None,
            occurred_on=local_today(complaint.organisation),
            status_before=complaint.status,
            data={**_outgoing_data(outgoing), "error": outgoing.last_error},
        )
        notify_referent(complaint, partial(_not_delivered, outgoing, complaint.reference))
