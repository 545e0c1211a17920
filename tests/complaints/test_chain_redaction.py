"""A redacted event verifies against the anonymisation that attests it (decision 0024), and
nothing else passes for one."""

import dataclasses

from reclamations.complaints.chain import (
    ANONYMISED,
    ATTESTATION_KEY,
    REDACTION_CHANGED,
    EventContent,
    SealingKey,
    StoredEvent,
    redacted_digest,
    redaction_problem,
    verify_chain,
)

KEY = SealingKey(b"k" * 32)
KEYS = {KEY.id: KEY}


def _content(sequence: int, event_type: str = "note_added", data=None) -> EventContent:
    return EventContent(
        sequence=sequence,
        organisation_id=7,
        complaint_reference="REC-2026-0001",
        event_type=event_type,
        actor_name="Fanny Maltese",
        occurred_on="2026-11-02",
        recorded_at=f"2026-11-02T09:00:0{sequence}+00:00",
        status_before="in_progress",
        status_after="in_progress",
        data=data if data is not None else {"text": f"Julie Martin a appelé ({sequence})."},
        document_sha256="",
    )


def _chain(contents: list[EventContent]) -> list[StoredEvent]:
    events, previous = [], "0" * 64
    for content in contents:
        digest = KEY.seal(content, previous)
        events.append(StoredEvent(content, previous, digest, KEY.id))
        previous = digest
    return events


def _anonymised(events: list[StoredEvent], which: list[int]) -> list[StoredEvent]:
    """The chain as the anonymisation leaves it: `which` redacted, then the attesting event."""
    attesting = len(events) + 1
    redacted, attested = [], {}
    for event in events:
        if event.content.sequence in which:
            content = dataclasses.replace(event.content, data={"text": "[anonymisé]"})
            attested[str(content.sequence)] = redacted_digest(
                content, event.previous_hash, event.hash
            )
            event = dataclasses.replace(event, content=content, redacted_by=attesting)
        redacted.append(event)
    last = redacted[-1].hash
    anonymisation = _content(attesting, ANONYMISED, {ATTESTATION_KEY: attested})
    sealed = StoredEvent(anonymisation, last, KEY.seal(anonymisation, last), KEY.id)
    return [*redacted, sealed]


def test_an_anonymised_chain_verifies():
    events = _anonymised(_chain([_content(1), _content(2), _content(3)]), [1, 3])

    report = verify_chain(events, KEYS)

    assert report.ok and report.checked == 4


def test_a_redacted_event_altered_afterwards_is_named():
    events = _anonymised(_chain([_content(1), _content(2)]), [1, 2])
    altered = dataclasses.replace(
        events[0].content, data={"text": "Autre chose, écrit après l'anonymisation."}
    )
    events[0] = dataclasses.replace(events[0], content=altered)

    report = verify_chain(events, KEYS)

    assert (report.broken_sequence, report.problem) == (1, REDACTION_CHANGED)
    assert report.reference == "REC-2026-0001"


def test_marking_an_event_redacted_without_an_attestation_is_found():
    # Someone rewrites an event and marks it redacted to escape the seal's check.
    events = _anonymised(_chain([_content(1), _content(2)]), [1])
    forged = dataclasses.replace(events[1].content, data={"text": "Réécrit."})
    events[1] = dataclasses.replace(events[1], content=forged, redacted_by=3)

    report = verify_chain(events, KEYS)

    assert report.broken_sequence == 2
    assert "ne l'atteste pas" in report.problem


def test_marking_an_event_redacted_by_no_event_at_all_is_found():
    events = _chain([_content(1), _content(2)])
    events[0] = dataclasses.replace(events[0], redacted_by=9)

    report = verify_chain(events, KEYS)

    assert report.broken_sequence == 1
    assert "n° 9" in report.problem


def test_a_marker_pointing_backwards_is_refused():
    events = _chain([_content(1), _content(2)])
    events[1] = dataclasses.replace(events[1], redacted_by=1)

    assert verify_chain(events, KEYS).broken_sequence == 2


def test_removing_the_marker_of_a_redacted_event_breaks_its_seal():
    events = _anonymised(_chain([_content(1), _content(2)]), [1])
    events[0] = dataclasses.replace(events[0], redacted_by=None)

    report = verify_chain(events, KEYS)

    assert report.broken_sequence == 1


def test_an_attestation_rewritten_without_the_key_breaks_the_anonymisation_s_seal():
    events = _anonymised(_chain([_content(1), _content(2)]), [1])
    anonymisation = events[-1]
    forged = dataclasses.replace(anonymisation.content, data={ATTESTATION_KEY: {"1": "0" * 64}})
    events[-1] = dataclasses.replace(anonymisation, content=forged)

    report = verify_chain(events, KEYS)

    assert report.broken_sequence == 3


def test_one_redacted_event_checked_on_its_own_against_its_complaint_s_attestations():
    events = _anonymised(_chain([_content(1), _content(2)]), [1])
    attested = {1: events[-1].content.data[ATTESTATION_KEY]["1"]}

    assert redaction_problem(events[0], attested) == ""
    altered = dataclasses.replace(events[0].content, data={"text": "Autre."})
    assert (
        redaction_problem(dataclasses.replace(events[0], content=altered), attested)
        == REDACTION_CHANGED
    )
