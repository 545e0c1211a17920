"""What anonymising a complaint removes, as pure functions (docs/decisions/0024).

The register keeps what its lines and statistics need (codes, dates, counts, fingerprints,
the training and its context); every other text is the client's or about the client, and is
replaced by one placeholder. The list is of what is KEPT: a text that nobody classified, in a
payload written by a future version, is anonymised by default.
"""

from collections.abc import Mapping
from typing import Any

PLACEHOLDER = "[anonymisé]"

# The complaint's stored fields that name the client or hold their words (or the organisation's
# words about them): replaced on the row as in its events, by `redacted`, so that the register
# still replays from its chronology (decision 0019).
PERSONAL_FIELDS = frozenset(
    {
        "client_name",
        "client_account",
        "client_email",
        "client_phone",
        "client_address",
        "description",
        "remedy_sought",
        "backdating_reason",
        "not_admissible_reason",
        "cause_analysis",
        "resolution",
        "reply_registered_number",
        "mediation_outcome",
        "litigation_outcome",
    }
)

# The keys, at any depth of an event's data, whose values are kept whole: codes and choices,
# dates and moments, counts, flags, fingerprints, the training's context, the outside bodies
# (mediator, court), our own Message-IDs. Every stored field of the complaint that is not
# personal is here, so that the anonymised register replays to the same values.
KEPT_KEYS = frozenset(
    {
        # the complaint's non-personal fields (complaints.projection.FIELDS)
        "status",
        "channel",
        "received_at",
        "received_on",
        "client_type",
        # the language the client is written to in: "fr" or "en" names nobody
        "client_language",
        "funding",
        "training",
        "session",
        "trainer",
        "funder",
        "kind",
        "category",
        "severity",
        "cause",
        "clock_started_on",
        "due_date",
        "information_requested_on",
        "confirmation_pending",
        "first_replied_on",
        "replied_on",
        "reply_channel",
        "replied_on_time",
        "reply_delivered_on",
        "outcome",
        "client_acceptance",
        "client_satisfaction",
        "client_says_unresolved",
        "closed_on",
        "mediation_seized_on",
        "mediator",
        "litigation_started_on",
        "litigation_court",
        "archived_on",
        "anonymised_on",
        # what events say beside the fields
        "announced_outcome",
        "on_time",
        "via",
        "sent_via",
        "court",
        "missing",
        "awaited",
        "satisfaction",
        "resolved",
        "message_kind",
        "attempts",
        "email_message_id",
        "role",
        "type",
        "size",
        "sha256",
        "complaints",
        "complaint",
        "message_sha256",
        "source",
        "check_result",
        # the anonymisation's own attestation (its digests and the purged files' fingerprints)
        "redacted_events",
        "purged_documents",
    }
)


def redacted(value: Any) -> Any:
    """`value` with every non-empty text replaced by the placeholder, at any depth, except the
    values of the kept keys."""
    if isinstance(value, str):
        return PLACEHOLDER if value else value
    if isinstance(value, Mapping):
        return {key: item if key in KEPT_KEYS else redacted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [redacted(item) for item in value]
    return value  # numbers, flags, null: no one is named by them


def redacted_fields(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The complaint's personal fields as the anonymised row holds them: the same placeholder
    as in its events, an empty field staying empty."""
    return {name: redacted(value) for name, value in stored.items() if name in PERSONAL_FIELDS}
