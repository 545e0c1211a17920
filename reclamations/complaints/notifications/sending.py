"""Queueing messages about a complaint: to whom, in which wording, threaded how.

Called INSIDE the transaction of the change that causes the message (a registration, an
action): the message commits with it, or not at all. Each function returns what the change's
chronology event records about the message ("email": "réponse en file d'envoi pour ...").
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reclamations.complaints.client_access import SURVEY, issue_link, link_hours
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintMessage, Document
from reclamations.complaints.notifications.kinds import QUEUED, QUEUED_LABELS, ClientMessage
from reclamations.complaints.notifications.wording import client_language, render_client_message
from reclamations.core.message_ids import storable_message_id
from reclamations.outbox.models import OutgoingMessage
from reclamations.outbox.services import SUBJECT_MAX, Attachment, outbox_queue

NO_ADDRESS = "aucune adresse"
# A lazy translation: read in the language of the page that shows it (the API: French).
NO_ADDRESS_MESSAGE = gettext_lazy(
    "Aucune adresse e-mail n'est connue pour ce client : ajoutez-la avec « Modifier la fiche », "
    "puis recommencez."
)
# A long thread keeps its first message and the most recent ones (RFC 5322, 3.6.4).
MAX_REFERENCES = 20
# Events whose data may carry the Message-ID of a message received from the client.
INBOUND_EVENT_TYPES = (EventType.REGISTERED, EventType.MESSAGE_RECEIVED)


# Shown in a preview where the personal link will be: it is made when the message is sent.
LINK_PLACEHOLDER = "(lien personnel, créé à l'envoi)"


# The messages after which the client is asked for their opinion (Qualiopi indicator 32).
ASKS_OPINION = frozenset({ClientMessage.REPLY, ClientMessage.CLOSURE})


# The message's link to its complaint, written out: one for every acknowledgement, and the ORM
# took five times longer to build the INSERT than the database to run it (bench/README.md,
# import-eml).
_LINK_SQL = (
    f"INSERT INTO {ComplaintMessage._meta.db_table} "  # noqa: S608 - fixed names
    "(outgoing_id, complaint_id, to_client, copy_id) VALUES (%s, %s, %s, NULL)"
)


def _link_to_complaint(outgoing: OutgoingMessage, complaint: Complaint, *, to_client: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_LINK_SQL, [outgoing.pk, complaint.pk, to_client])


def with_follow_link(body: str, link: str, survey: str = "") -> str:
    """The message with, at its foot, the client's link to follow the complaint online (every
    e-mail to the client carries one, whatever the organisation's wording) and, after the
    reply, the link to give their opinion; in the active language (the client's)."""
    opinion = ""
    if survey:
        opinion = _("Votre avis sur le traitement de votre réclamation (deux minutes) :")
        opinion = f"{opinion}\n{survey}\n\n"
    follow = _(
        "Suivre votre réclamation en ligne (lien personnel, valable %(hours)s heures ; "
        "ensuite, demandez-en un nouveau depuis cette page) :"
    ) % {"hours": link_hours()}
    return f"{body.rstrip()}\n\n-- \n{opinion}{follow}\n{link}\n"


def subject_with_reference(subject: str, complaint: Complaint) -> str:
    """One line with the complaint's "[REF]" (added when missing), short enough to store: the
    client's answer then finds its complaint, and a long client name never makes the action
    that sends the message fail."""
    subject = " ".join(subject.split())
    tag = f"[{complaint.reference}]"
    if tag in subject and len(subject) <= SUBJECT_MAX:
        return subject
    text = " ".join(subject.replace(tag, " ").split())
    room = SUBJECT_MAX - len(tag) - 1
    if len(text) > room:
        text = text[: room - 1] + "…"
    return f"{text} {tag}".strip()


@dataclass(frozen=True)
class Thread:
    """The Message-IDs of a complaint's conversation."""

    ids: tuple[str, ...]  # oldest first; the client's first message (if any) leads
    last_inbound: str  # the client's latest message, "" when none is known

    @property
    def parent(self) -> str:
        """What a new message answers: the client's latest message, else our latest."""
        return self.last_inbound or (self.ids[-1] if self.ids else "")

    def references(self) -> str:
        ids = self.ids
        if len(ids) > MAX_REFERENCES:
            ids = (ids[0], *ids[-(MAX_REFERENCES - 1) :])
        return " ".join(ids)


def thread_of(complaint: Complaint) -> Thread:
    """What the client sent us (as recorded in the chronology) and what we sent them."""
    # (rank, when, id, inbound): the message that opened the complaint comes first whatever
    # the clock says (its acknowledgement is queued before its registration event is written).
    dated: list[tuple[int, datetime, str, bool]] = []
    events = ComplaintEvent.objects.filter(
        complaint=complaint, event_type__in=INBOUND_EVENT_TYPES
    ).values_list("event_type", "recorded_at", "data")
    for event_type, recorded_at, data in events:
        value = data.get("message_id") if isinstance(data, dict) else None
        message_id = storable_message_id(value) if isinstance(value, str) else None
        if message_id:
            rank = 0 if event_type == EventType.REGISTERED else 1
            dated.append((rank, recorded_at, message_id, True))
    sent = ComplaintMessage.objects.filter(complaint=complaint, to_client=True).values_list(
        "outgoing__created_at", "outgoing__message_id"
    )
    dated.extend((1, created_at, message_id, False) for created_at, message_id in sent)
    ordered: list[str] = []
    last_inbound = ""
    for _rank, _when, message_id, inbound in sorted(dated, key=lambda item: item[:2]):
        if inbound:
            last_inbound = message_id
        if message_id not in ordered:
            ordered.append(message_id)
    return Thread(tuple(ordered), last_inbound)


def _threading(complaint: Complaint, in_reply_to: str) -> tuple[str, str]:
    if in_reply_to:
        return in_reply_to, ""
    thread = thread_of(complaint)
    return thread.parent, thread.references()


def attachment_of(document: Document) -> Attachment:
    """A stored document of the complaint, as the outbox sends it."""
    return Attachment(
        filename=document.original_name,
        content_type=document.content_type,
        stored_as=document.file.name or "",
        size=document.size,
        sha256=document.sha256,
    )


def send_to_client(
    complaint: Complaint,
    kind: str,
    *,
    extra: Mapping[str, str] | None = None,
    in_reply_to: str = "",
    enclosed: Sequence[Document] = (),
) -> dict[str, str]:
    """Queue the message of `kind` to the client, threaded with the complaint's conversation
    (or answering `in_reply_to`), with the `enclosed` documents attached; without an address
    nothing is queued and the event says so."""
    if not complaint.client_email:
        return {"email": NO_ADDRESS}
    rendered = render_client_message(complaint, kind, extra)
    parent, references = _threading(complaint, in_reply_to)
    now = timezone.now()
    link = issue_link(complaint, now=now)
    survey = issue_link(complaint, now=now, purpose=SURVEY) if kind in ASKS_OPINION else ""
    with translation.override(client_language(complaint)):
        body = with_follow_link(rendered.body, link, survey)
    outgoing = outbox_queue(
        organisation=complaint.organisation,
        kind=kind,
        to=complaint.client_email,
        subject=subject_with_reference(rendered.subject, complaint),
        body_text=body,
        in_reply_to=parent,
        references=references,
        attachments=[attachment_of(document) for document in enclosed],
    )
    _link_to_complaint(outgoing, complaint, to_client=True)
    return {
        "email": QUEUED % {"what": QUEUED_LABELS[kind], "to": complaint.client_email},
        "email_message_id": outgoing.message_id,
    }


def notify_staff(
    complaint: Complaint, *, kind: str, to: str, subject: str, body_text: str
) -> OutgoingMessage:
    """Queue a notice to staff about `complaint` (marked automatic, out of the chronology)."""
    outgoing = outbox_queue(
        organisation=complaint.organisation,
        kind=kind,
        to=to,
        subject=subject_with_reference(subject, complaint),
        body_text=body_text,
        auto_submitted=True,
    )
    _link_to_complaint(outgoing, complaint, to_client=False)
    return outgoing


ACCESS_LINK_KIND = "client_link"


def send_access_link(complaint: Complaint) -> None:
    """E-mail the client a new link to their complaint's page (they asked for it on the
    portal). Out of the chronology: asking to see one's complaint changes nothing in it. In the
    client's language."""
    link = issue_link(complaint, now=timezone.now())
    with translation.override(client_language(complaint)):
        greeting = (
            _("Bonjour %(name)s,") % {"name": complaint.client_name}
            if complaint.client_name
            else _("Bonjour,")
        )
        text = _(
            "Vous avez demandé à suivre votre réclamation %(reference)s en ligne. Ouvrez ce "
            "lien personnel (valable %(hours)s heures, utilisable une fois) :"
        ) % {"reference": complaint.reference, "hours": link_hours()}
        warning = _(
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre "
            "réclamation ne s'ouvre qu'avec ce lien."
        )
        subject = _("Suivre votre réclamation")
    body = f"{greeting}\n\n{text}\n{link}\n\n{warning}\n\n{complaint.organisation.name}\n"
    outgoing = outbox_queue(
        organisation=complaint.organisation,
        kind=ACCESS_LINK_KIND,
        to=complaint.client_email,
        subject=subject_with_reference(subject, complaint),
        body_text=body,
        auto_submitted=True,
    )
    _link_to_complaint(outgoing, complaint, to_client=False)
