"""The chronology's hash chain, as pure functions.

Each event stores the SHA-256 of its own content and of the previous event's hash, so that
altering, removing, inserting or back-dating any event breaks every hash after it.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def to_json_value(value: Any) -> Any:
    """What `value` becomes once stored in a JSON column and read back."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@dataclass(frozen=True)
class EventContent:
    """Everything an event's hash covers."""

    sequence: int
    organisation_id: int
    complaint_reference: str
    event_type: str
    actor_name: str
    occurred_on: str
    recorded_at: str
    status_before: str
    status_after: str
    data: dict[str, Any]
    document_sha256: str

    def canonical_bytes(self, previous_hash: str) -> bytes:
        body = {
            "sequence": self.sequence,
            "organisation": self.organisation_id,
            "complaint": self.complaint_reference,
            "type": self.event_type,
            "actor": self.actor_name,
            "occurred_on": self.occurred_on,
            "recorded_at": self.recorded_at,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "data": self.data,
            "document_sha256": self.document_sha256,
            "previous": previous_hash,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(content: EventContent, previous_hash: str) -> str:
    """SHA-256 of the event's canonical content chained to the previous event's hash."""
    return hashlib.sha256(content.canonical_bytes(previous_hash)).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    content: EventContent
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_sequence: int | None = None
    problem: str = ""
    # The complaint (or improvement action) of the event where the chain breaks; "" when the
    # break is past the last event (events deleted from the end).
    reference: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_sequence is None

    @property
    def where(self) -> str:
        """The broken event in French: "événement n° 4 (REC-2026-0002)"."""
        named = f" ({self.reference})" if self.reference else ""
        return f"événement n° {self.broken_sequence}{named}"


def verify_chain(events: Iterable[StoredEvent]) -> ChainReport:
    """Check one organisation's events, given in sequence order, from the first one."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for event in events:
        sequence = event.content.sequence
        reference = event.content.complaint_reference
        if sequence != expected_sequence:
            return ChainReport(
                checked, sequence, f"séquence {sequence} au lieu de {expected_sequence}", reference
            )
        if event.previous_hash != expected_previous:
            return ChainReport(
                checked, sequence, "le lien vers l'événement précédent est rompu", reference
            )
        if event_hash(event.content, event.previous_hash) != event.hash:
            return ChainReport(
                checked, sequence, "le contenu ne correspond plus à son empreinte", reference
            )
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    return ChainReport(checked)
