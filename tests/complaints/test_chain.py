"""The chronology's hash chain (pure): what it covers and what `verify_chain` detects."""

import dataclasses
import hashlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reclamations.complaints.chain import (
    GENESIS_HASH,
    ChainReport,
    EventContent,
    StoredEvent,
    event_hash,
    to_json_value,
    verify_chain,
)

LINK_BROKEN = "le lien vers l'événement précédent est rompu"
CONTENT_CHANGED = "le contenu ne correspond plus à son empreinte"


def _content(sequence: int = 1, **changes) -> EventContent:
    values = {
        "sequence": sequence,
        "organisation_id": 7,
        "complaint_reference": "REC-2026-0001",
        "event_type": "registered",
        "actor_name": "Fanny Maltese",
        "occurred_on": "2026-11-02",
        "recorded_at": "2026-11-02T09:00:00+00:00",
        "status_before": "",
        "status_after": "in_progress",
        "data": {"channel": "email", "fields": {"client_name": "Julie Martin"}},
        "document_sha256": "",
    }
    values.update(changes)
    return EventContent(**values)


def _chain(length: int) -> list[StoredEvent]:
    events = []
    previous = GENESIS_HASH
    for sequence in range(1, length + 1):
        content = _content(
            sequence,
            event_type="registered" if sequence == 1 else "note_added",
            status_before="" if sequence == 1 else "in_progress",
            data={"text": f"note {sequence}"},
        )
        digest = event_hash(content, previous)
        events.append(StoredEvent(content, previous, digest))
        previous = digest
    return events


def _altered(event: StoredEvent, **changes) -> StoredEvent:
    """The same stored event with some content changed but its stored hashes kept."""
    return StoredEvent(
        dataclasses.replace(event.content, **changes), event.previous_hash, event.hash
    )


def _resealed(content: EventContent, previous_hash: str) -> StoredEvent:
    """An event whose hash was recomputed by someone who tampers with the register."""
    return StoredEvent(content, previous_hash, event_hash(content, previous_hash))


def test_canonical_bytes_are_sorted_compact_json_with_the_previous_hash():
    content = _content(data={"b": 1, "a": "é"})
    expected = (
        '{"actor":"Fanny Maltese","complaint":"REC-2026-0001","data":{"a":"é","b":1},'
        '"document_sha256":"","occurred_on":"2026-11-02","organisation":7,'
        f'"previous":"{"ab" * 32}","recorded_at":"2026-11-02T09:00:00+00:00",'
        '"sequence":1,"status_after":"in_progress","status_before":"","type":"registered"}'
    )
    assert content.canonical_bytes("ab" * 32) == expected.encode()


def test_event_hash_is_the_sha256_of_the_canonical_bytes():
    content = _content()
    expected = hashlib.sha256(content.canonical_bytes(GENESIS_HASH)).hexdigest()
    assert event_hash(content, GENESIS_HASH) == expected
    assert len(expected) == 64


def test_event_hash_is_deterministic():
    assert event_hash(_content(), GENESIS_HASH) == event_hash(_content(), GENESIS_HASH)


def test_genesis_hash_is_64_zeros():
    assert GENESIS_HASH == "0000000000000000000000000000000000000000000000000000000000000000"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sequence", 2),
        ("organisation_id", 8),
        ("complaint_reference", "REC-2026-0002"),
        ("event_type", "note_added"),
        ("actor_name", "Paul Durand"),
        ("occurred_on", "2026-10-30"),
        ("recorded_at", "2026-11-02T09:00:01+00:00"),
        ("status_before", "incomplete"),
        ("status_after", "replied"),
        ("data", {"channel": "letter", "fields": {"client_name": "Julie Martin"}}),
        ("document_sha256", "f" * 64),
    ],
)
def test_event_hash_changes_with_every_field(field, value):
    original = _content()
    changed = dataclasses.replace(original, **{field: value})
    assert event_hash(changed, GENESIS_HASH) != event_hash(original, GENESIS_HASH)


def test_event_hash_changes_with_the_previous_hash():
    assert event_hash(_content(), GENESIS_HASH) != event_hash(_content(), "1" * 64)


def test_event_hash_ignores_the_order_of_keys_in_data():
    # PostgreSQL's jsonb gives keys back in its own order.
    ordered = _content(data={"a": 1, "b": {"x": [1, 2], "y": None}, "c": "trois"})
    shuffled = _content(data={"c": "trois", "b": {"y": None, "x": [1, 2]}, "a": 1})
    assert event_hash(ordered, GENESIS_HASH) == event_hash(shuffled, GENESIS_HASH)


def test_event_hash_depends_on_the_order_of_lists_in_data():
    first = _content(data={"missing": ["nom du client", "description"]})
    second = _content(data={"missing": ["description", "nom du client"]})
    assert event_hash(first, GENESIS_HASH) != event_hash(second, GENESIS_HASH)


def test_to_json_value_gives_what_a_json_column_returns():
    value = {
        "on": date(2026, 11, 2),
        "at": datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
        "pair": ("a", 1),
        "nested": {"n": None, "ok": True},
    }
    assert to_json_value(value) == {
        "on": "2026-11-02",
        "at": "2026-11-02 09:30:00+00:00",
        "pair": ["a", 1],
        "nested": {"n": None, "ok": True},
    }


def test_verify_chain_accepts_an_intact_chain():
    assert verify_chain(_chain(5)) == ChainReport(checked=5)
    assert verify_chain(_chain(5)).ok is True


def test_verify_chain_accepts_an_empty_chain():
    report = verify_chain([])
    assert report == ChainReport(checked=0)
    assert report.ok is True


def test_verify_chain_reads_a_generator_once():
    events = _chain(3)
    assert verify_chain(event for event in events) == ChainReport(checked=3)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("data", {"text": "note modifiée"}),
        ("actor_name", "Quelqu'un d'autre"),
        ("occurred_on", "2026-10-01"),  # back-dating
        ("recorded_at", "2026-10-01T09:00:00+00:00"),
        ("event_type", "closed"),
        ("status_after", "closed"),
        ("complaint_reference", "REC-2026-0009"),
        ("document_sha256", "e" * 64),
    ],
)
def test_verify_chain_names_the_altered_event(field, value):
    events = _chain(5)
    events[2] = _altered(events[2], **{field: value})
    report = verify_chain(events)
    reference = value if field == "complaint_reference" else "REC-2026-0001"
    assert report == ChainReport(
        checked=2, broken_sequence=3, problem=CONTENT_CHANGED, reference=reference
    )
    assert report.ok is False


def test_verify_chain_detects_an_altered_event_even_when_its_hash_was_recomputed():
    events = _chain(5)
    events[1] = _resealed(
        dataclasses.replace(events[1].content, data={"text": "réécrit"}), events[1].previous_hash
    )
    assert verify_chain(events) == ChainReport(
        checked=2, broken_sequence=3, problem=LINK_BROKEN, reference="REC-2026-0001"
    )


def test_verify_chain_detects_the_removal_of_an_event():
    events = _chain(5)
    del events[1]
    assert verify_chain(events) == ChainReport(
        checked=1, broken_sequence=3, problem="séquence 3 au lieu de 2", reference="REC-2026-0001"
    )


def test_verify_chain_detects_the_removal_of_the_first_event():
    assert verify_chain(_chain(3)[1:]) == ChainReport(
        checked=0, broken_sequence=2, problem="séquence 2 au lieu de 1", reference="REC-2026-0001"
    )


def test_verify_chain_detects_an_inserted_event():
    events = _chain(4)
    forged = _resealed(_content(2, data={"text": "ajouté après coup"}), events[0].hash)
    events.insert(1, forged)
    assert verify_chain(events) == ChainReport(
        checked=2, broken_sequence=2, problem="séquence 2 au lieu de 3", reference="REC-2026-0001"
    )


def test_verify_chain_detects_an_inserted_event_with_the_next_ones_renumbered():
    events = _chain(4)
    forged = _resealed(_content(2, data={"text": "ajouté après coup"}), events[0].hash)
    renumbered = [
        StoredEvent(
            dataclasses.replace(event.content, sequence=event.content.sequence + 1),
            event.previous_hash,
            event.hash,
        )
        for event in events[1:]
    ]
    assert verify_chain([events[0], forged, *renumbered]) == ChainReport(
        checked=2, broken_sequence=3, problem=LINK_BROKEN, reference="REC-2026-0001"
    )


def test_verify_chain_detects_reordered_events():
    events = _chain(4)
    events[1], events[2] = events[2], events[1]
    assert verify_chain(events) == ChainReport(
        checked=1, broken_sequence=3, problem="séquence 3 au lieu de 2", reference="REC-2026-0001"
    )


def test_verify_chain_detects_reordered_events_with_sequences_swapped_back():
    events = _chain(4)
    second, third = events[1], events[2]
    events[1] = StoredEvent(
        dataclasses.replace(third.content, sequence=2), third.previous_hash, third.hash
    )
    events[2] = StoredEvent(
        dataclasses.replace(second.content, sequence=3), second.previous_hash, second.hash
    )
    assert verify_chain(events) == ChainReport(
        checked=1, broken_sequence=2, problem=LINK_BROKEN, reference="REC-2026-0001"
    )


def test_verify_chain_refuses_a_first_event_not_linked_to_genesis():
    content = _content(1)
    forged = _resealed(content, "1" * 64)
    assert verify_chain([forged]) == ChainReport(
        checked=0, broken_sequence=1, problem=LINK_BROKEN, reference="REC-2026-0001"
    )


def test_verify_chain_detects_a_replaced_hash():
    events = _chain(3)
    events[2] = StoredEvent(events[2].content, events[2].previous_hash, "0" * 63 + "1")
    assert verify_chain(events) == ChainReport(
        checked=2, broken_sequence=3, problem=CONTENT_CHANGED, reference="REC-2026-0001"
    )


def test_verify_chain_covers_recorded_at_as_written_even_for_the_same_instant():
    # The reader must rebuild the exact text the writer hashed, not an equivalent instant.
    events = _chain(2)
    paris = datetime(2026, 11, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    events[1] = _altered(events[1], recorded_at=paris.isoformat())
    assert verify_chain(events) == ChainReport(
        checked=1, broken_sequence=2, problem=CONTENT_CHANGED, reference="REC-2026-0001"
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_event_hash_of_any_data_ignores_key_order(data):
    reversed_keys = dict(reversed(list(data.items())))

    assert event_hash(_content(data=data), GENESIS_HASH) == event_hash(
        _content(data=reversed_keys), GENESIS_HASH
    )


@settings(max_examples=50, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=8),
    data=st.data(),
    text=st.text(min_size=1, max_size=20),
)
def test_verify_chain_names_whichever_event_was_altered(length, data, text):
    events = _chain(length)
    index = data.draw(st.integers(min_value=0, max_value=length - 1))
    events[index] = _altered(events[index], data={"text": f"note {index + 1}", "ajout": text})

    assert verify_chain(events) == ChainReport(
        checked=index, broken_sequence=index + 1, problem=CONTENT_CHANGED, reference="REC-2026-0001"
    )
