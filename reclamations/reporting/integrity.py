"""Proof that the register was not altered: every organisation's hash chain recomputed with
the chain's keys (and checked against heads witnessed outside the database), each complaint's
stored fields replayed from its events (complaints.projection), each stored document's file
hashed again, the organisation's settings and triage decisions against their events, and the
statistics' kept counts against a recount of the register."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce

from reclamations.complaints import chain, chain_keys, organisation_events, projection
from reclamations.complaints.counts_rebuild import counts_findings
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ChainHead, Complaint, ComplaintEvent, Document
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
    "key_id",
    "redacted_by",
)


@dataclass(frozen=True)
class OrganisationIntegrity:
    organisation: Organisation
    report: chain.ChainReport
    # What the stored register says that its chronology does not (French, one line each).
    findings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.report.ok and not self.findings


def _stored_events(organisation: Organisation) -> Iterator[chain.StoredEvent]:
    return _stored(ComplaintEvent.objects.filter(organisation=organisation))


def _stored(events: QuerySet[ComplaintEvent]) -> Iterator[chain.StoredEvent]:
    rows = (
        # An event is of a complaint, of an improvement action or of the organisation ("").
        events.annotate(
            reference=Coalesce("complaint__reference", "improvement__reference", Value(""))
        )
        .order_by("sequence")
        .values_list(*_FIELDS)
        .iterator(chunk_size=5000)
    )
    for row in rows:
        (
            seq,
            org_id,
            ref,
            etype,
            actor,
            occurred,
            recorded,
            before,
            after,
            data,
            sha,
            prev,
            h,
            kid,
            redacted_by,
        ) = row
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
        yield chain.StoredEvent(content, prev, h, kid, redacted_by)


def verify_organisation(organisation: Organisation) -> chain.ChainReport:
    report = chain.verify_chain(_stored_events(organisation), chain_keys.keyring().by_id)
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
    if report.checked:
        last = ComplaintEvent.objects.filter(
            organisation=organisation, sequence=report.checked
        ).values_list("hash", flat=True)
        if head is not None and head.last_hash != last.first():
            return chain.ChainReport(
                report.checked,
                report.checked,
                "la tête de la chaîne ne porte plus l'empreinte du dernier événement",
            )
    return report


def verify_against(heads: list[chain.Head]) -> list[str]:
    """What the register says against heads witnessed outside the database (the daily digest,
    an audit pack, an earlier `reclamations verify`), in French; nothing when the chain of
    each still holds the witnessed event with its fingerprint. The chain itself is
    `verify_organisation`'s: together, the events up to each witnessed head are those that
    were witnessed."""
    problems = []
    for head in heads:
        named = list(Organisation.objects.filter(name=head.organisation)[:2])
        if len(named) != 1:
            problems.append(
                f"{head.organisation} : la tête témoin {head} désigne "
                + ("un organisme absent du registre" if not named else "plusieurs organismes")
                + (" (l'organisme et sa chronologie ont été supprimés)" if not named else "")
            )
            continue
        if head.sequence == 0:
            continue
        stored = (
            ComplaintEvent.objects.filter(organisation=named[0], sequence=head.sequence)
            .values_list("hash", flat=True)
            .first()
        )
        if problem := chain.head_problem(head, stored):
            problems.append(f"{head.organisation} : {problem}")
    return problems


def complaint_integrity(complaint: Complaint) -> list[str]:
    """What is wrong with the complaint, in French: its stored fields against its events, its
    documents against their files, then its own events (empty when each one's content still
    gives its fingerprint and each links to the event before it in the chain). The whole
    chain, with what other complaints hold, is `reclamations verify`'s."""
    events = list(_stored(ComplaintEvent.objects.filter(complaint=complaint)))
    before = dict(
        ComplaintEvent.objects.filter(
            organisation_id=complaint.organisation_id,
            sequence__in=[event.content.sequence - 1 for event in events],
        ).values_list("sequence", "hash")
    )
    problems = list(_complaint_findings(complaint))
    keys = chain_keys.keyring().by_id
    attested = {
        sequence: digest
        for event in events
        for sequence, digest in chain.attestations(event).items()
    }
    for event in events:
        sequence = event.content.sequence
        if event.redacted_by is not None:
            seal = chain.redaction_problem(event, attested)
        else:
            seal = chain.seal_problem(event, keys)
        if seal == chain.CONTENT_CHANGED:
            problems.append(f"événement n° {sequence} : son contenu ne donne plus son empreinte")
        elif seal:
            problems.append(f"événement n° {sequence} : {seal}")
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
        OrganisationIntegrity(
            organisation,
            verify_organisation(organisation),
            (*register_findings(organisation), *organisation_findings(organisation)),
        )
        for organisation in Organisation.objects.order_by("id")
    ]


def organisation_findings(organisation: Organisation) -> Iterator[str]:
    """What the organisation's own records say that its events do not: its settings, and what
    the other apps check against their events (the triage decisions); and where the counts the
    statistics read differ from its register."""
    yield from settings_findings(organisation)
    for check in organisation_events.registered_checks():
        yield from check(organisation)
    yield from counts_findings(organisation.pk)


def settings_findings(organisation: Organisation) -> Iterator[str]:
    """Each setting its events determine against the stored row: the value the organisation
    was created with (`organisation_created`, complaints.installation), then each change's.
    A setting no event gave is left out: an organisation made before the first run's event
    (or the demo's) started without one."""
    said: dict[str, Any] = {}
    events = (
        ComplaintEvent.objects.filter(
            organisation=organisation,
            event_type__in=(EventType.ORGANISATION_CREATED, EventType.SETTINGS_CHANGED),
        )
        .order_by("sequence")
        .values_list("event_type", "data")
    )
    for event_type, data in events:
        if event_type == EventType.ORGANISATION_CREATED:
            for name, value in (data or {}).get("settings", {}).items():
                if name in organisation_events.SETTINGS_FIELDS:
                    said[name] = value
            continue
        for name, change in (data or {}).get("changes", {}).items():
            if name in organisation_events.SETTINGS_FIELDS and isinstance(change, list):
                said[name] = change[-1]
    if not said:
        return
    stored = organisation_events.settings_snapshot(
        Organisation.objects.get(pk=organisation.pk), said
    )
    for name, value in said.items():
        if stored[name] != value:
            yield (
                f"réglages : {organisation_events.setting_label(name)} "
                f"(« {organisation_events.setting_text(stored[name])} ») ne correspond pas à la "
                f"chronologie (« {organisation_events.setting_text(value)} »)"
            )


# Complaints replayed per round trip: their events and documents are read together, so that
# memory holds one chunk whatever the register's size.
CHUNK = 1000
_STORED_FIELDS = ("id", "reference", *projection.FIELDS)
_DOCUMENT_FIELDS = ("id", "complaint_id", "original_name", "file", "sha256")


@dataclass
class RegisterCount:
    """What `register_findings` went through."""

    complaints: int = 0
    documents: int = 0


def register_findings(
    organisation: Organisation, count: RegisterCount | None = None
) -> Iterator[str]:
    """What the organisation's stored register says that its chronology does not, in French,
    complaint by complaint in registration order: a field its events do not give, a document
    whose file is missing, altered or recorded by none of its events. Nothing for a register
    that only the application changed."""
    count = count if count is not None else RegisterCount()
    complaints = Complaint.objects.filter(organisation=organisation).order_by("id")
    last_id = 0
    while True:
        rows = list(complaints.filter(id__gt=last_id).values(*_STORED_FIELDS)[:CHUNK])
        if not rows:
            return
        last_id = rows[-1]["id"]
        ids = [row["id"] for row in rows]
        events, documents = _events_of(ids), _documents_of(ids)
        for row in rows:
            replayed = projection.replay(events.pop(row["id"], ()))
            yield from projection.findings(row["reference"], row, replayed)
            for document in documents.pop(row["id"], ()):
                yield from _document_findings(row["reference"], document, replayed)
                count.documents += 1
        count.complaints += len(rows)


# Read raw: most events change nothing a replay needs (notes, messages sent...), and decoding
# every event's JSON through the ORM's converters was most of the time (bench/README.md).
_EVENTS_SQL = (
    "SELECT e.complaint_id, e.event_type, e.status_after, e.occurred_on, e.data, d.sha256 "  # noqa: S608 - fixed names
    f"FROM {ComplaintEvent._meta.db_table} e "
    f"LEFT JOIN {Document._meta.db_table} d ON d.id = e.document_id "
    # The complaints named, not the organisation: SQLite would otherwise read the whole
    # organisation's events through its index for every chunk (35 s instead of 16 s at 100,000).
    "WHERE e.complaint_id IN ({}) ORDER BY e.complaint_id, e.sequence"
)
# The events whose data the replay reads whatever they hold; any other only when its data
# says what it changed or names a stored file.
_ALWAYS_READ = frozenset(
    {
        EventType.REGISTERED,
        EventType.DETAILS_UPDATED,
        EventType.OPINION_GIVEN,
        EventType.LETTER_POSTED,
    }
)


def _decoded(event_type: str, data: object) -> Mapping[str, Any]:
    if not isinstance(data, str):  # a driver that decodes JSON itself
        return data if isinstance(data, Mapping) else {}
    if event_type in _ALWAYS_READ or '"changes"' in data or '"sha256"' in data:
        decoded = json.loads(data)
        return decoded if isinstance(decoded, Mapping) else {}
    return {}


def _events_of(complaint_ids: list[int]) -> dict[int, list[projection.EventFacts]]:
    """The events of these complaints, each complaint's in sequence order (read through the
    chronology index)."""
    by_complaint: dict[int, list[projection.EventFacts]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_EVENTS_SQL.format(", ".join(["%s"] * len(complaint_ids))), complaint_ids)
        for complaint_id, event_type, status_after, occurred_on, data, sha256 in cursor:
            by_complaint[complaint_id].append(
                projection.EventFacts(
                    event_type,
                    status_after,
                    date.fromisoformat(occurred_on)
                    if isinstance(occurred_on, str)
                    else occurred_on,
                    _decoded(event_type, data),
                    sha256 or "",
                )
            )
    return by_complaint


def _documents_of(complaint_ids: list[int]) -> dict[int, list[tuple[int, int, str, str, str]]]:
    rows = (
        Document.objects.filter(complaint_id__in=complaint_ids)
        .order_by("id")
        .values_list(*_DOCUMENT_FIELDS)
    )
    by_complaint: dict[int, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for row in rows:
        by_complaint[row[1]].append(row)
    return by_complaint


def _file_sha256(name: str) -> str | None:
    """The SHA-256 of the stored file, None when there is no such file."""
    storage = Document._meta.get_field("file").storage
    digest = hashlib.sha256()
    try:
        with storage.open(name, "rb") as stream:
            for chunk in iter(lambda: stream.read(1024 * 1024), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def _complaint_findings(complaint: Complaint) -> Iterator[str]:
    row = Complaint.objects.filter(pk=complaint.pk).values(*_STORED_FIELDS).get()
    replayed = projection.replay(_events_of([complaint.pk]).get(complaint.pk, []))
    yield from projection.findings(complaint.reference, row, replayed)
    for document in _documents_of([complaint.pk]).get(complaint.pk, []):
        yield from _document_findings(complaint.reference, document, replayed)


def _document_findings(
    reference: str, document: tuple[int, int, str, str, str], replayed: projection.Replayed
) -> Iterator[str]:
    pk, _complaint_id, name, file_name, sha256 = document
    which = f"document « {name} » (n° {pk})"
    if sha256 not in replayed.documents:
        yield f"{reference} : le {which} n'est enregistré par aucun événement de la chronologie"
    if not file_name and sha256 in replayed.purged:
        return  # its file went with the anonymisation, which the chronology attests
    found = _file_sha256(file_name) if file_name else None
    if found is None:
        yield f"{reference} : le fichier du {which} est introuvable"
    elif found != sha256:
        yield (
            f"{reference} : le fichier du {which} a été modifié (SHA-256 {found[:12]}… au lieu "
            f"de {sha256[:12]}…)"
        )
