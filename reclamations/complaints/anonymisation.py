"""Archiving and anonymising a complaint (docs/decisions/0024), each an event of its chronology.

Anonymising replaces every personal text of the complaint, of its events, of its documents and
of the outbox's copies of its messages, and writes the `anonymised` event that attests each
redacted event's new content under the chain's seal: the anonymised register still verifies.
What other apps keep about a complaint (intake's emails) they purge themselves, through
`register_purge`, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from reclamations.complaints import chain, chain_keys, redaction
from reclamations.complaints.chronology import append_event, locked
from reclamations.complaints.enums import OPEN_STATUSES, EventType
from reclamations.complaints.models import (
    ClientAccessLink,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintSearch,
    Document,
)
from reclamations.complaints.search import refresh_search_text
from reclamations.core.models import Organisation, User
from reclamations.outbox.models import OutgoingAttachment, OutgoingMessage, OutgoingStatus


class RetentionRefused(Exception):
    """Why the complaint cannot be archived or anonymised now (French)."""


@dataclass(frozen=True)
class Purge:
    """What another app keeps about a complaint (intake: the emails it came from, and the
    triage decisions about them), anonymised in the complaint's anonymisation transaction:
    `events` names the organisation's events about them, redacted and attested with the
    complaint's; `purge` anonymises the app's rows as the redaction does (so that its checks
    against those events still agree) and returns how many it changed, and the stored files to
    delete once committed."""

    events: Callable[[Complaint], list[ComplaintEvent]]
    purge: Callable[[Complaint], tuple[int, list[str]]]


_PURGES: dict[str, Purge] = {}


def register_purge(name: str, purge: Purge) -> None:
    """Add what an app keeps about a complaint to its anonymisation (registering the same name
    again replaces it)."""
    _PURGES[name] = purge


def archive_complaint(complaint: Complaint, *, actor: User | None, today: date) -> ComplaintEvent:
    """Archive a closed complaint: it stays in the register and the statistics, its client's
    identity and its page for managers only, and it takes no more actions."""
    with transaction.atomic():
        current = locked(complaint)
        if current.status in OPEN_STATUSES:
            raise RetentionRefused(
                f"{current.reference} est en cours de traitement : seule une réclamation "
                "close peut être archivée."
            )
        if current.archived_on is not None:
            raise RetentionRefused(f"{current.reference} est déjà archivée.")
        current.archived_on = today
        current.save(update_fields=["archived_on", "updated_at"])
        event = append_event(
            complaint=current,
            event_type=EventType.ARCHIVED,
            actor=actor,
            occurred_on=today,
            status_before=current.status,
            data={"changes": {"archived_on": today.isoformat()}},
        )
    complaint.refresh_from_db()
    return event


@dataclass(frozen=True)
class Anonymised:
    """What one anonymisation did."""

    event: ComplaintEvent
    events: int
    documents: int
    messages: int
    others: int


def anonymise_complaint(
    complaint: Complaint, *, actor: User | None, today: date, reason: str
) -> Anonymised:
    """Remove everything that names the client or holds their words from a closed complaint,
    keeping its line of the register, its dates, codes and outcome; `reason` says why, in
    French ("durée de conservation échue", "demande d'effacement du 3 mars 2031")."""
    files: list[str] = []
    with transaction.atomic():
        current = locked(complaint)
        _check_can_anonymise(current)
        events = list(
            ComplaintEvent.objects.filter(complaint=current)
            .select_related("document")
            .order_by("sequence")
        )
        for purge in _PURGES.values():
            events.extend(purge.events(current))
        _check_seals(current.reference, events, current.pk)
        redacted, attested = _redaction(events, current.reference, current.pk)
        documents = list(Document.objects.filter(complaint=current).exclude(file=""))
        files.extend(document.file.name for document in documents)
        personal = redaction.redacted_fields(
            {name: getattr(current, name) for name in redaction.PERSONAL_FIELDS}
        )
        for name, value in personal.items():
            setattr(current, name, value)
        current.anonymised_on = today
        current.save()
        event = append_event(
            complaint=current,
            event_type=EventType.ANONYMISED,
            actor=actor,
            occurred_on=today,
            status_before=current.status,
            data={
                # The fields it emptied of their texts (an empty one stays empty).
                "changes": {
                    **{name: value for name, value in personal.items() if value},
                    "anonymised_on": today.isoformat(),
                },
                "reason": reason,
                chain.ATTESTATION_KEY: attested,
                "purged_documents": sorted({document.sha256 for document in documents}),
            },
        )
        _redact(events, redacted, by=event)
        Document.objects.filter(pk__in=[document.pk for document in documents]).update(
            file="", original_name=redaction.PLACEHOLDER
        )
        messages = _anonymise_messages(current)
        ClientAccessLink.objects.filter(complaint=current).delete()
        others = 0
        for purge in _PURGES.values():
            changed, their_files = purge.purge(current)
            others += changed
            files.extend(their_files)
        _rebuild_search_text(current)
        delete_after_commit(files)
    complaint.refresh_from_db()
    return Anonymised(event, len(events), len(documents), messages, others)


def _check_can_anonymise(complaint: Complaint) -> None:
    if complaint.anonymised_on is not None:
        raise RetentionRefused(f"{complaint.reference} est déjà anonymisée.")
    if complaint.status in OPEN_STATUSES:
        raise RetentionRefused(
            f"{complaint.reference} est en cours de traitement : clôturez-la avant de l'anonymiser."
        )
    pending = ComplaintMessage.objects.filter(
        complaint=complaint,
        outgoing__status__in=[OutgoingStatus.QUEUED, OutgoingStatus.SENDING],
    )
    if pending.exists():
        raise RetentionRefused(
            f"{complaint.reference} a un message encore en file d'envoi : attendez qu'il "
            "parte (ou qu'il échoue) avant de l'anonymiser."
        )


def _content(
    reference: str, complaint_id: int | None, event: ComplaintEvent, data: object
) -> chain.EventContent:
    return chain.EventContent(
        sequence=event.sequence,
        organisation_id=event.organisation_id,
        # The complaint's own events, or the organisation's about it (a triage decision).
        complaint_reference=reference
        if complaint_id and event.complaint_id == complaint_id
        else "",
        event_type=event.event_type,
        actor_name=event.actor_name,
        occurred_on=event.occurred_on.isoformat(),
        recorded_at=event.recorded_at.isoformat(),
        status_before=event.status_before,
        status_after=event.status_after,
        data=data if isinstance(data, dict) else {},
        document_sha256=event.document.sha256 if event.document_id else "",
    )


def _check_seals(what: str, events: list[ComplaintEvent], complaint_id: int | None) -> None:
    """An event altered behind the application's back is not anonymised: redacting it would
    launder the alteration under a fresh attestation."""
    keys = chain_keys.keyring().by_id
    for event in events:
        stored = chain.StoredEvent(
            _content(what, complaint_id, event, event.data),
            event.previous_hash,
            event.hash,
            event.key_id,
            event.redacted_by,
        )
        problem = (
            "déjà anonymisé" if event.redacted_by is not None else chain.seal_problem(stored, keys)
        )
        if problem:
            raise RetentionRefused(
                f"{what} : l'événement n° {event.sequence} ne peut être anonymisé "
                f"({problem}). Lancez « reclamations verify » et traitez l'altération d'abord."
            )


def _redaction(
    events: list[ComplaintEvent], reference: str, complaint_id: int | None
) -> tuple[dict[int, Any], dict[str, str]]:
    """Each event's data with its personal texts replaced, and what the anonymisation event
    attests of each: {sequence: digest of the redacted content}."""
    redacted = {event.sequence: redaction.redacted(event.data) for event in events}
    attested = {
        str(event.sequence): chain.redacted_digest(
            _content(reference, complaint_id, event, redacted[event.sequence]),
            event.previous_hash,
            event.hash,
        )
        for event in events
    }
    return redacted, attested


def _redact(events: list[ComplaintEvent], redacted: dict[int, Any], *, by: ComplaintEvent) -> None:
    for stored in events:
        stored.data = redacted[stored.sequence]
        stored.redacted_by = by.sequence
    ComplaintEvent.objects.bulk_update(events, ["data", "redacted_by"], batch_size=500)


def anonymise_organisation_events(
    organisation: Organisation,
    events: list[ComplaintEvent],
    *,
    what: str,
    actor: User | None,
    today: date,
    reason: str,
    data: dict[str, Any],
) -> ComplaintEvent:
    """Redact events of no complaint (the triage decisions about an e-mail that became none)
    and attest them with an `anonymised` event of the organisation; inside the caller's
    transaction, which anonymises the records they are about. `what` names them in a refusal
    ("e-mail n° 12"); `data` says what was anonymised."""
    _check_seals(what, events, None)
    redacted, attested = _redaction(events, "", None)
    event = append_event(
        organisation=organisation,
        event_type=EventType.ANONYMISED,
        actor=actor,
        occurred_on=today,
        status_before="",
        data={**data, "reason": reason, chain.ATTESTATION_KEY: attested},
    )
    _redact(events, redacted, by=event)
    return event


def _anonymise_messages(complaint: Complaint) -> int:
    """The outbox's copies of the messages about the complaint: recipients, subject, text and
    attachments' names (their files are the complaint's documents)."""
    outgoing = OutgoingMessage.objects.filter(complaint_link__complaint=complaint)
    count = outgoing.update(
        to=redaction.PLACEHOLDER,
        subject=redaction.PLACEHOLDER,
        body_text=redaction.PLACEHOLDER,
        last_error="",
    )
    OutgoingAttachment.objects.filter(message__complaint_link__complaint=complaint).update(
        filename=redaction.PLACEHOLDER, stored_as=""
    )
    return count


def _rebuild_search_text(complaint: Complaint) -> None:
    # Without its row, the search text is made again from the (now anonymised) chronology.
    ComplaintSearch.objects.filter(complaint=complaint).delete()
    refresh_search_text(complaint, {})


def delete_after_commit(names: list[str]) -> None:
    """Delete these stored files once the transaction that anonymised their rows commits (never
    before: a rollback must find them). A file still there after a crash has no row left and is
    moved away by `reclamations sweep-files`."""

    def delete() -> None:
        storage = Document._meta.get_field("file").storage
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)
