"""A person's decisions on a message of the triage inbox: register it, attach it to a
complaint, or set it aside with the reason. Each is one transaction, with its event in the
organisation's chain (decision 0021), which `reclamations verify` compares with the stored
decision (`triage_findings`)."""

from collections.abc import Collection, Iterator
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import Channel, EventType, Kind
from reclamations.complaints.fields import DETAIL_FIELDS
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.queries import complaint_for
from reclamations.complaints.services import (
    NewComplaint,
    ReceivedEmail,
    complaint_register_with_original,
)
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.intake.evidence import (
    HOW_RECEIVED,
    SortedAttachments,
    attach,
    eml_file,
    inbound_raw,
    received_email,
    sort_attachments,
    store_attachments,
)
from reclamations.intake.forwarding import Forwarded, forwarded_original
from reclamations.intake.models import InboundEmail, IntakeOutcome
from reclamations.intake.parsing import InboundMessage, UnparseableMessage, parse_message
from reclamations.intake.services import from_the_forwarded

_CLIENT_AND_TEXT = ("client_name", "client_email", "description")


def _lock_waiting(inbound: InboundEmail) -> InboundEmail:
    locked = (
        # of=self: PostgreSQL cannot lock the nullable side (document) of the outer join.
        InboundEmail.objects.select_for_update(of=("self",))
        .select_related("organisation", "document")
        .get(pk=inbound.pk)
    )
    if not locked.is_waiting:
        raise ValidationError(
            {
                "__all__": [
                    f"Ce message a déjà été traité ({locked.get_outcome_display().lower()}) : "
                    "rechargez la page du tri."
                ]
            }
        )
    return locked


def _parsed(raw: bytes) -> InboundMessage | None:
    try:
        return parse_message(raw)
    except UnparseableMessage:
        return None


def _decided(record: InboundEmail, actor: User, outcome: str, reason: str) -> None:
    record.outcome = outcome
    record.decided_by = actor
    record.decided_at = timezone.now()
    record.decision_reason = reason
    record.save(
        update_fields=[
            "outcome",
            "complaint",
            "document",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )
    append_event(
        organisation=record.organisation,
        event_type=EventType.TRIAGE_DECIDED,
        actor=actor,
        occurred_on=local_today(record.organisation),
        status_before="",
        data={
            "message": record.pk,
            "subject": record.subject,
            "sender": record.sender_address,
            "message_sha256": record.sha256,
            **_decision(outcome, reason, record.complaint.reference if record.complaint else ""),
        },
    )


def _decision(outcome: str, reason: str, reference: str) -> dict[str, str]:
    """What a triage event says of the decision, as the stored message must still say it."""
    return {"outcome": outcome, "reason": reason, "complaint": reference}


def _said(what: str, stored: str, events: str) -> str:
    return (
        f"{what} au registre (« {stored or 'vide'} ») ne correspond pas à la chronologie "
        f"(« {events or 'vide'} »)"
    )


def triage_findings(organisation: Organisation) -> Iterator[str]:
    """Each message of the triage inbox whose stored decision differs from its last event,
    in French. A message decided before decisions were events has none: left out."""
    said: dict[int, dict[str, str]] = {}
    events = (
        ComplaintEvent.objects.filter(
            organisation=organisation, event_type=EventType.TRIAGE_DECIDED
        )
        .order_by("sequence")
        .values_list("data", flat=True)
    )
    for data in events:
        said[int(data["message"])] = data
    stored = _stored_decisions(organisation, list(said))
    labels = dict(IntakeOutcome.choices)
    for pk, data in said.items():
        which = f"tri : le message n° {pk} (« {data.get('subject', '')} »)"
        row = stored.get(pk)
        if row is None:
            yield f"{which} a disparu du registre alors que la chronologie garde sa décision"
            continue
        now = _decision(*row)
        if now["outcome"] != data["outcome"]:
            yield f"{which} : " + _said(
                "la décision",
                str(labels.get(now["outcome"], now["outcome"])),
                str(labels.get(data["outcome"], data["outcome"])),
            )
        if now["reason"] != data["reason"]:
            yield f"{which} : " + _said("le motif de la décision", now["reason"], data["reason"])
        if now["complaint"] != data["complaint"]:
            yield f"{which} : " + _said("la réclamation liée", now["complaint"], data["complaint"])


def _stored_decisions(
    organisation: Organisation, pks: list[int]
) -> dict[int, tuple[str, str, str]]:
    """The stored decision of each message named (read by 500: a database bounds the
    parameters of one query)."""
    found = {}
    for start in range(0, len(pks), 500):
        rows = InboundEmail.objects.filter(
            organisation=organisation, pk__in=pks[start : start + 500]
        ).values_list("pk", "outcome", "decision_reason", "complaint__reference")
        found.update(
            {pk: (outcome, reason, reference or "") for pk, outcome, reason, reference in rows}
        )
    return found


@in_french
def triage_register(*, inbound: InboundEmail, actor: User, details: dict[str, str]) -> Complaint:
    """Register a message of the triage inbox as a complaint (or a difficulty, an incident, a
    request not admissible): the person applies the procedure's definition, not the subject."""
    with transaction.atomic():
        record = _lock_waiting(inbound)
        organisation = record.organisation
        raw = inbound_raw(record)
        message = _parsed(raw)
        attachments = (
            sort_attachments(message.attachments) if message else SortedAttachments((), ())
        )
        email = (
            received_email(message, attachments, from_triage=True)
            if message is not None
            else ReceivedEmail("", "(message illisible)", "", from_triage=True)
        )
        values = {
            name: str(details.get(name) or "").strip() for name in DETAIL_FIELDS if name in details
        }
        new = NewComplaint(
            channel=Channel.EMAIL,
            received_at=record.received_at,
            reception_witness=HOW_RECEIVED[record.source],
            email=email,
            **{**values, "kind": values.get("kind") or Kind.COMPLAINT},
        )
        forwarded = forwarded_original(message) if message is not None else None
        if forwarded is not None:
            new = _as_forwarded(new, forwarded, record, given=values.keys())
        complaint, original = complaint_register_with_original(
            organisation=organisation,
            actor=actor,
            complaint=new,
            original=eml_file(raw, record.received_at, record.sha256),
        )
        store_attachments(complaint, attachments, actor, message.subject if message else "")
        record.complaint = complaint
        record.document = original
        _decided(
            record,
            actor,
            IntakeOutcome.REGISTERED_FROM_TRIAGE,
            f"Enregistré comme « {complaint.get_kind_display()} » ({complaint.reference}).",
        )
    inbound.refresh_from_db()
    return complaint


def _as_forwarded(
    new: NewComplaint, forwarded: Forwarded, record: InboundEmail, *, given: Collection[str]
) -> NewComplaint:
    """A forward registered from the triage inbox takes what an automatic registration of a
    forward takes (the original's reception, the forwarder as its witness); who the client is
    and what they say stay what the person confirmed, the form being filled in from the
    original (web.views.triage), and are the original's where the person gave nothing."""
    forwarded_new = from_the_forwarded(new, forwarded, record.received_at)
    confirmed = {name: getattr(new, name) for name in _CLIENT_AND_TEXT if name in given}
    return replace(forwarded_new, **confirmed)


@in_french
def triage_attach(*, inbound: InboundEmail, actor: User, reference: str) -> Complaint:
    """Add a message of the triage inbox to the chronology of an existing complaint."""
    reference = reference.strip().upper()
    if not reference:
        raise ValidationError({"reference": ["Indiquez la référence de la réclamation."]})
    with transaction.atomic():
        record = _lock_waiting(inbound)
        try:
            complaint = complaint_for(record.organisation, reference)
        except Complaint.DoesNotExist:
            raise ValidationError(
                {
                    "reference": [
                        f"Aucune réclamation « {reference} » dans votre registre : vérifiez la "
                        "référence (par exemple REC-2026-0042)."
                    ]
                }
            ) from None
        raw = inbound_raw(record)
        attach(record, _parsed(raw), raw, complaint, actor)
        _decided(
            record,
            actor,
            IntakeOutcome.ATTACHED_FROM_TRIAGE,
            f"Rattaché à la réclamation {complaint.reference}.",
        )
    inbound.refresh_from_db()
    return complaint


@in_french
def triage_dismiss(*, inbound: InboundEmail, actor: User, reason: str) -> InboundEmail:
    """Set a message aside (spam, advertising, a question answered elsewhere), with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": [
                    "Indiquez pourquoi ce message est écarté (par exemple : publicité, question "
                    "sans lien avec une formation) : le motif est conservé."
                ]
            }
        )
    with transaction.atomic():
        record = _lock_waiting(inbound)
        _decided(record, actor, IntakeOutcome.DISMISSED, reason)
    inbound.refresh_from_db()
    return inbound
