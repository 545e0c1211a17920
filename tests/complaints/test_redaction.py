"""What anonymising removes from a complaint's texts and its events' data (pure)."""

from reclamations.complaints import projection
from reclamations.complaints.redaction import (
    KEPT_KEYS,
    PERSONAL_FIELDS,
    PLACEHOLDER,
    redacted,
    redacted_fields,
)


def test_every_field_the_register_replays_is_either_personal_or_kept():
    # A new field of the register must be classified: the replay compares the anonymised row
    # with the anonymised events, so each field must be treated the same on both sides.
    unclassified = set(projection.FIELDS) - PERSONAL_FIELDS - KEPT_KEYS
    assert unclassified == set()
    assert PERSONAL_FIELDS.isdisjoint(KEPT_KEYS)


def test_texts_are_replaced_at_any_depth_and_codes_dates_fingerprints_kept():
    data = {
        "channel": "email",
        "received_at": "2026-11-02T09:00:00+01:00",
        "fields": {
            "client_name": "Julie Martin",
            "client_email": "julie.martin@example.org",
            "client_phone": "",
            "training": "Italien A1",
            "kind": "complaint",
        },
        "document": {"name": "lettre-julie.pdf", "type": "application/pdf", "size": 120},
        "changes": {
            "client_name": ["Julie Martin", "Julie Martin-Durand"],
            "due_date": "2026-11-16",
        },
        "enclosures": [{"name": "photo.jpg", "sha256": "ab" * 32}],
        "on_time": True,
        "message": 42,
    }

    assert redacted(data) == {
        "channel": "email",
        "received_at": "2026-11-02T09:00:00+01:00",
        "fields": {
            "client_name": PLACEHOLDER,
            "client_email": PLACEHOLDER,
            "client_phone": "",
            "training": "Italien A1",
            "kind": "complaint",
        },
        "document": {"name": PLACEHOLDER, "type": "application/pdf", "size": 120},
        "changes": {"client_name": [PLACEHOLDER, PLACEHOLDER], "due_date": "2026-11-16"},
        "enclosures": [{"name": PLACEHOLDER, "sha256": "ab" * 32}],
        "on_time": True,
        "message": 42,
    }


def test_a_key_nobody_classified_is_anonymised_by_default():
    assert redacted({"said_by_a_future_version": "Julie a appelé"}) == {
        "said_by_a_future_version": PLACEHOLDER
    }


def test_redacting_twice_changes_nothing_more():
    once = redacted({"text": "Bonjour", "fields": {"client_name": "Julie"}})
    assert redacted(once) == once


def test_the_row_s_personal_fields_get_the_placeholder_of_their_events():
    stored = {"client_name": "Julie Martin", "client_phone": "", "training": "Italien A1"}

    assert redacted_fields(stored) == {"client_name": PLACEHOLDER, "client_phone": ""}
