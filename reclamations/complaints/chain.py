"""The chronology's hash chain, as pure functions.

Each event stores the fingerprint of its own content and of the previous event's hash, so that
altering, removing, inserting or back-dating any event breaks every fingerprint after it. The
fingerprint is an HMAC-SHA256 under a key kept outside the database (complaints.chain_keys),
named by the event's `key_id`, so that nobody with the database alone can re-hash the chain;
events written before the chain was keyed keep their plain SHA-256 (`key_id` "").
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
# The characters of a hash a witnessed head keeps: 64 bits, beyond anyone's brute force.
HEAD_HASH_SHOWN = 16


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
    """SHA-256 of the event's canonical content chained to the previous event's hash: the
    fingerprint of the events written before the chain was keyed."""
    return hashlib.sha256(content.canonical_bytes(previous_hash)).hexdigest()


def key_id_of(secret: bytes) -> str:
    """The name of a key, derived from it: a key and its name can never be mismatched, and the
    name reveals nothing usable of the key."""
    return hashlib.sha256(b"reclamations chain key id\n" + secret).hexdigest()[:12]


class SealingKey:
    """A chain key, its HMAC state prepared once: each event then costs one copy."""

    __slots__ = ("_prepared", "id")

    def __init__(self, secret: bytes) -> None:
        self.id = key_id_of(secret)
        self._prepared = hmac.new(secret, digestmod=hashlib.sha256)

    def seal(self, content: EventContent, previous_hash: str) -> str:
        """HMAC-SHA256 of the event's canonical content chained to the previous event's hash."""
        mac = self._prepared.copy()
        mac.update(content.canonical_bytes(previous_hash))
        return mac.hexdigest()

    def __repr__(self) -> str:  # never the secret
        return f"SealingKey({self.id})"


@dataclass(frozen=True)
class StoredEvent:
    content: EventContent
    previous_hash: str
    hash: str
    # "" for an event written before the chain was keyed (plain SHA-256), else its key's id.
    key_id: str = ""
    # The sequence of the anonymisation that redacted it (decision 0024), None for the others.
    redacted_by: int | None = None


# The event that anonymises a complaint attests, under its own seal, each redacted event's new
# content: {"redacted_events": {"<sequence>": redacted_digest}}.
ANONYMISED = "anonymised"
ATTESTATION_KEY = "redacted_events"


def redacted_digest(content: EventContent, previous_hash: str, original_hash: str) -> str:
    """The fingerprint of a redacted event as its anonymisation attests it: its new content,
    its link to the event before and the fingerprint it was sealed with."""
    digest = hashlib.sha256(b"reclamations redacted event\n")
    digest.update(content.canonical_bytes(previous_hash))
    digest.update(b"\n" + original_hash.encode())
    return digest.hexdigest()


def attestations(event: StoredEvent) -> dict[int, str]:
    """What an anonymisation event attests: {sequence: digest}; nothing for other events."""
    if event.content.event_type != ANONYMISED:
        return {}
    attested = event.content.data.get(ATTESTATION_KEY)
    if not isinstance(attested, dict):
        return {}
    return {
        int(sequence): str(digest)
        for sequence, digest in attested.items()
        if str(sequence).isdigit()
    }


REDACTION_CHANGED = "son contenu anonymisé ne correspond plus à celui que son anonymisation atteste"


def unattested(by: int) -> str:
    return (
        f"marqué anonymisé par l'événement n° {by}, qui ne l'atteste pas : le marquage a été "
        "ajouté, ou l'événement modifié, hors de l'application"
    )


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


CONTENT_CHANGED = "le contenu ne correspond plus à son empreinte"
UNKEYED_AFTER_KEYED = (
    "scellé sans clé après des événements scellés par la clé de la chaîne : la chaîne a été "
    "réécrite"
)


def unknown_key(key_id: str) -> str:
    return (
        f"scellé par la clé « {key_id} », qui n'est pas parmi les clés de la chaîne : ajoutez-la "
        "aux anciennes clés (RECLAMATIONS_CHAIN_KEYS_OLD ou le fichier de clés), ou la chaîne a "
        "été réécrite"
    )


def seal_problem(event: StoredEvent, keys: Mapping[str, SealingKey]) -> str:
    """What is wrong with the event's own fingerprint, "" when its content still gives it."""
    if not event.key_id:
        expected = event_hash(event.content, event.previous_hash)
    elif (key := keys.get(event.key_id)) is not None:
        expected = key.seal(event.content, event.previous_hash)
    else:
        return unknown_key(event.key_id)
    return "" if hmac.compare_digest(expected, event.hash) else CONTENT_CHANGED


def verify_chain(
    events: Iterable[StoredEvent], keys: Mapping[str, SealingKey] | None = None
) -> ChainReport:
    """Check one organisation's events, given in sequence order, from the first one, with the
    chain's keys by id (current and old)."""
    keys = keys or {}
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    keyed = False
    # Redacted events met, waiting for the anonymisation that attests them (later in the chain):
    # sequence -> (attesting sequence, digest of the content as it now is, reference).
    awaiting: dict[int, tuple[int, str, str]] = {}
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
        # Once keyed, a chain stays keyed: an unkeyed event after a keyed one was forged.
        if keyed and not event.key_id:
            return ChainReport(checked, sequence, UNKEYED_AFTER_KEYED, reference)
        if event.redacted_by is not None:
            if event.redacted_by <= sequence:
                return ChainReport(checked, sequence, unattested(event.redacted_by), reference)
            digest = redacted_digest(event.content, event.previous_hash, event.hash)
            awaiting[sequence] = (event.redacted_by, digest, reference)
        elif problem := seal_problem(event, keys):
            return ChainReport(checked, sequence, problem, reference)
        for redacted, attested in attestations(event).items():
            by, digest, redacted_reference = awaiting.pop(redacted, (sequence, "", reference))
            if by != sequence or not hmac.compare_digest(digest, attested):
                return ChainReport(checked, redacted, REDACTION_CHANGED, redacted_reference)
        keyed = keyed or bool(event.key_id)
        expected_previous = event.hash
        expected_sequence += 1
        checked += 1
    if awaiting:
        first = min(awaiting)
        by, _digest, reference = awaiting[first]
        return ChainReport(checked, first, unattested(by), reference)
    return ChainReport(checked)


def redaction_problem(event: StoredEvent, attested: Mapping[int, str]) -> str:
    """What is wrong with a redacted event, given what its complaint's anonymisations attest
    ({sequence: digest}); "" when it is the content they attest."""
    expected = attested.get(event.content.sequence)
    if expected is None or event.redacted_by is None:
        return unattested(event.redacted_by or 0)
    digest = redacted_digest(event.content, event.previous_hash, event.hash)
    return "" if hmac.compare_digest(digest, expected) else REDACTION_CHANGED


@dataclass(frozen=True)
class Head:
    """A chain's head as witnessed outside the database: "CCS:000653:9f2c4e0b7a1d3c58"."""

    organisation: str
    sequence: int
    hash_prefix: str

    def __str__(self) -> str:
        return f"{self.organisation}:{self.sequence:06d}:{self.hash_prefix}"


def head_of(organisation: str, sequence: int, last_hash: str) -> Head:
    """The head of a chain of `sequence` events ending with `last_hash` (none: the genesis)."""
    return Head(organisation, sequence, (last_hash or GENESIS_HASH)[:HEAD_HASH_SHOWN])


class BadHead(ValueError):
    pass


def parse_head(text: str) -> Head:
    """A witnessed head as printed by `head_of`; the organisation's name may hold colons."""
    organisation, _, rest = text.strip().rpartition(":")
    organisation, _, sequence = organisation.rpartition(":")
    prefix = rest.lower().rstrip("…")
    if (
        not organisation
        or not sequence.isdigit()
        or len(prefix) < 8
        or any(c not in "0123456789abcdef" for c in prefix)
    ):
        raise BadHead(
            f"« {text} » n'est pas une tête de chaîne : attendu ORGANISME:SÉQUENCE:EMPREINTE, "
            "par exemple CCS:000653:9f2c4e0b7a1d3c58, tel que l'imprime « reclamations verify »"
        )
    return Head(organisation, int(sequence), prefix)


def head_problem(witnessed: Head, stored_hash: str | None) -> str:
    """What the chain says against a witnessed head, given the hash the chain now holds at
    that sequence (None: no such event); "" when the chain still contains it."""
    if stored_hash is None:
        return (
            f"la tête témoin {witnessed} n'est plus dans la chaîne : l'événement n° "
            f"{witnessed.sequence} a disparu (des événements ont été supprimés)"
        )
    if not stored_hash.startswith(witnessed.hash_prefix):
        return (
            f"la tête témoin {witnessed} ne correspond plus à la chaîne : l'événement n° "
            f"{witnessed.sequence} a l'empreinte {stored_hash[:HEAD_HASH_SHOWN]} "
            "(la chaîne a été réécrite)"
        )
    return ""
