"""Proof that the chronology was not altered: recompute every organisation's hash chain."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from reclamations.complaints import chain
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent
from reclamations.core.models import Organisation

_FIELDS = (
    "sequence",
    "organisation_id",
    "reference",
    "event_type",
    "actor_name",
    "occurred_on",
    "recorded_at",
    "status_before",
    "status_after",
    "data",
    "document__sha256",
    "previous_hash",
    "hash",
)


@dataclass(frozen=True)
class OrganisationIntegrity:
    organisation: Organisation
    report: chain.ChainReport


def _stored_events(organisation: Organisation) -> Iterator[chain.StoredEvent]:
    return _stored(ComplaintEvent.objects.filter(organisation=organisation))


def _stored(events: QuerySet[ComplaintEvent]) -> Iterator[chain.StoredEvent]:
    rows = (
        # An event is of a complaint or of an improvement action: the chain holds its reference.
        events.annotate(reference=Coalesce("complaint__reference", "improvement__reference"))
        .order_by("sequence")
        .values_list(*_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        (seq, org_id, ref, etype, actor, occurred, recorded, before, after, data, sha, prev, h) = (
            row
        )
        content = chain.EventContent(
            sequence=seq,
            organisation_id=org_id,
            complaint_reference=ref,
            event_type=etype,
            actor_name=actor,
            occurred_on=occurred.isoformat(),
            recorded_at=recorded.isoformat(),
            status_before=before,
            status_after=after,
            data=data,
            document_sha256=sha or "",
        )
        yield chain.StoredEvent(content, prev, h)


def verify_organisation(organisation: Organisation) -> chain.ChainReport:
    report = chain.verify_chain(_stored_events(organisation))
    if not report.ok:
        return report
    head = ChainHead.objects.filter(organisation=organisation).first()
    last_sequence = head.last_sequence if head else 0
    if last_sequence != report.checked:
        return chain.ChainReport(
            report.checked,
            report.checked + 1,
            f"la chaîne s'arrête à {report.checked} événements alors que "
            f"{last_sequence} ont été enregistrés : des événements ont été supprimés",
        )
    return report


def complaint_integrity(complaint: Complaint) -> list[str]:
    """What is wrong with the complaint's own events, in French (empty when each one's content
    still gives its fingerprint and each links to the event before it in the chain). The whole
    chain, with what other complaints hold, is `reclamations verify`'s."""
    events = list(_stored(ComplaintEvent.objects.filter(complaint=complaint)))
    before = dict(
        ComplaintEvent.objects.filter(
            organisation_id=complaint.organisation_id,
            sequence__in=[event.content.sequence - 1 for event in events],
        ).values_list("sequence", "hash")
    )
    problems = []
    for event in events:
        sequence = event.content.sequence
        if chain.event_hash(event.content, event.previous_hash) != event.hash:
            problems.append(f"événement n° {sequence} : son contenu ne donne plus son empreinte")
        expected = chain.GENESIS_HASH if sequence == 1 else before.get(sequence - 1)
        if event.previous_hash != expected:
            problems.append(
                f"événement n° {sequence} : le lien vers l'événement précédent est rompu"
            )
    return problems


@dataclass(frozen=True)
class ChainState:
    """The organisation's chronology as verified now, and the fingerprint it ends with."""

    report: chain.ChainReport
    last_hash: str


def chain_state(organisation: Organisation) -> ChainState:
    """Verify the whole chain (what `reclamations verify` does) and read its last hash."""
    report = verify_organisation(organisation)
    head = ChainHead.objects.filter(organisation=organisation).first()
    return ChainState(report, head.last_hash if head else "")


def verify_all() -> list[OrganisationIntegrity]:
    return [
        OrganisationIntegrity(organisation, verify_organisation(organisation))
        for organisation in Organisation.objects.order_by("id")
    ]
