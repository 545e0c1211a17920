"""The register as its chronology tells it, as pure functions.

A complaint's stored fields change only through the one door, which writes the event saying
what changed (docs/decisions/0019). Replaying a complaint's events therefore gives the fields
they determine; `findings` compares that with the stored row, so that a field changed behind the
application's back (no event) is named, with the complaint's reference.

Only what the events really say is compared: a field no event of this complaint determines
(an event written before its payload said it, or a field no event carries) is left out, never
guessed. Missing knowledge gives no finding; a false alarm on a real register would be worse
than a gap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from reclamations.complaints.enums import Channel, ClientAcceptance, EventType, Kind, Outcome

# The stored fields the chronology determines, with how each is named in a finding and how its
# value is read from an event's JSON ("text", "date", "moment", "flag").
FIELDS: Mapping[str, tuple[str, str]] = {
    "status": ("le statut", "text"),
    "channel": ("le canal", "text"),
    "received_at": ("le moment de réception", "moment"),
    "received_on": ("la date de réception", "date"),
    "backdating_reason": ("le motif de l'antidatage", "text"),
    "client_name": ("le nom du client", "text"),
    "client_account": ("le compte client", "text"),
    "client_type": ("le type de client", "text"),
    "funding": ("le financement", "text"),
    "client_email": ("l'e-mail du client", "text"),
    "client_phone": ("le téléphone du client", "text"),
    "client_address": ("l'adresse du client", "text"),
    "client_language": ("la langue du client", "text"),
    "training": ("la formation", "text"),
    "session": ("la session", "text"),
    "trainer": ("le formateur ou la formatrice", "text"),
    "funder": ("le financeur", "text"),
    "description": ("la description", "text"),
    "remedy_sought": ("l'attente du client", "text"),
    "kind": ("la nature", "text"),
    "not_admissible_reason": ("le motif de non-recevabilité", "text"),
    "category": ("la catégorie", "text"),
    "severity": ("la gravité", "text"),
    "cause": ("la cause", "text"),
    "cause_analysis": ("l'analyse de la cause", "text"),
    "clock_started_on": ("le point de départ du délai", "date"),
    "due_date": ("l'échéance", "date"),
    "information_requested_on": ("la date de la demande d'informations", "date"),
    "confirmation_pending": ("l'attente d'une confirmation écrite", "flag"),
    "resolution": ("la résolution", "text"),
    "first_replied_on": ("la date de la première réponse", "date"),
    "replied_on": ("la date de la réponse", "date"),
    "reply_channel": ("le canal de la réponse", "text"),
    "replied_on_time": ("la réponse dans le délai", "flag"),
    "reply_registered_number": ("le n° de recommandé de la réponse", "text"),
    "reply_delivered_on": ("la date de distribution de la réponse", "date"),
    "outcome": ("l'issue", "text"),
    "client_acceptance": ("la position du client", "text"),
    "client_satisfaction": ("la satisfaction du client", "text"),
    "client_says_unresolved": ("le « non résolue » du client", "flag"),
    "closed_on": ("la date de clôture", "date"),
    "mediation_seized_on": ("la date de saisine du médiateur", "date"),
    "mediator": ("le médiateur", "text"),
    "mediation_outcome": ("l'issue de la médiation", "text"),
    "litigation_started_on": ("la date du contentieux", "date"),
    "litigation_court": ("la juridiction", "text"),
    "litigation_outcome": ("l'issue du contentieux", "text"),
    "archived_on": ("la date d'archivage", "date"),
    "anonymised_on": ("la date d'anonymisation", "date"),
}

# What registration leaves as the model's defaults: an event sets each later, or none did.
_AFTER_REGISTRATION: Mapping[str, Any] = {
    # French unless the registration says otherwise: its event names the language only when
    # it is another (the events of French clients stay as they were before the field).
    "client_language": "fr",
    "cause": "",
    "cause_analysis": "",
    "information_requested_on": None,
    "resolution": "",
    "first_replied_on": None,
    "replied_on": None,
    "reply_channel": "",
    "replied_on_time": None,
    "reply_registered_number": "",
    "reply_delivered_on": None,
    "outcome": "",
    "client_acceptance": ClientAcceptance.UNKNOWN.value,
    "client_satisfaction": "",
    "client_says_unresolved": False,
    "closed_on": None,
    "mediation_seized_on": None,
    "mediator": "",
    "mediation_outcome": "",
    "litigation_started_on": None,
    "litigation_court": "",
    "litigation_outcome": "",
    "archived_on": None,
    "anonymised_on": None,
}


@dataclass(frozen=True)
class EventFacts:
    """What the replay reads of one event: all of it inside the event's hash."""

    event_type: str
    status_after: str
    occurred_on: date
    data: Mapping[str, Any]
    document_sha256: str = ""


@dataclass(frozen=True)
class Replayed:
    """A complaint as its events say it is: the fields they determine (name -> value as the
    events hold it), the SHA-256 of every file they recorded, and of those its anonymisation
    purged (decision 0024)."""

    events: int
    fields: Mapping[str, Any] = field(default_factory=dict)
    documents: frozenset[str] = frozenset()
    purged: frozenset[str] = frozenset()


def _registered(event: EventFacts) -> dict[str, Any]:
    data = event.data
    state: dict[str, Any] = {"received_on": event.occurred_on, **_AFTER_REGISTRATION}
    for name in ("channel", "received_at"):
        if name in data:
            state[name] = data[name]
    state["backdating_reason"] = data.get("backdating_reason", "")
    given = data.get("fields")
    if isinstance(given, Mapping):
        state.update((name, value) for name, value in given.items() if name in FIELDS)
    if "due_date" in data:
        state["due_date"] = data["due_date"]
        # The clock starts at the reception, or (a phone call, as the policy may say) at the
        # written confirmation, with no due date until then.
        state["clock_started_on"] = event.occurred_on if data["due_date"] else None
    if "kind" in state and "channel" in state:
        state["confirmation_pending"] = (
            state["channel"] == Channel.PHONE and state["kind"] != Kind.NOT_ADMISSIBLE
        )
    if state.get("kind") == Kind.NOT_ADMISSIBLE:
        # Closed at once, on the day it was registered (said by the event since it says it).
        state["outcome"] = Outcome.NOT_ADMISSIBLE.value
        if "closed_on" in data:
            state["closed_on"] = data["closed_on"]
        else:
            del state["closed_on"]
    return state


def _changed(data: Mapping[str, Any], *, before_and_after: bool) -> dict[str, Any]:
    """The fields an event says it changed: {name: new value}, or {name: [before, after]} for
    the record's corrections."""
    changes = data.get("changes")
    if not isinstance(changes, Mapping):
        return {}
    if not before_and_after:
        return {name: value for name, value in changes.items() if name in FIELDS}
    return {
        name: pair[1]
        for name, pair in changes.items()
        if name in FIELDS and isinstance(pair, list) and len(pair) == 2
    }


def _opinion(data: Mapping[str, Any]) -> dict[str, Any]:
    if "satisfaction" not in data or "resolved" not in data:
        return {}
    resolved = bool(data["resolved"])
    return {
        "client_satisfaction": data["satisfaction"],
        "client_acceptance": (
            ClientAcceptance.ACCEPTED.value if resolved else ClientAcceptance.DISPUTED.value
        ),
        "client_says_unresolved": not resolved,
    }


def _posted(data: Mapping[str, Any], reply_letters: set[str]) -> dict[str, Any]:
    """A printed reply posted by registered letter: its number, and no receipt yet."""
    number = data.get("registered_number")
    letter = data.get("letter")
    if number and isinstance(letter, Mapping) and letter.get("sha256") in reply_letters:
        return {"reply_registered_number": number, "reply_delivered_on": None}
    return {}


def _recorded_files(data: Mapping[str, Any]) -> Iterator[str]:
    """Every SHA-256 an event's data names: the document it stored, the posted letter, the files
    a message enclosed or a client's message brought."""
    for key in ("document", "letter"):
        described = data.get(key)
        if isinstance(described, Mapping) and isinstance(described.get("sha256"), str):
            yield described["sha256"]
    for key in ("enclosures", "files"):
        listed = data.get(key)
        if isinstance(listed, list):
            for described in listed:
                if isinstance(described, Mapping) and isinstance(described.get("sha256"), str):
                    yield described["sha256"]


def replay(events: Iterable[EventFacts]) -> Replayed:
    """One complaint's events, in sequence order, replayed into the fields they determine."""
    state: dict[str, Any] = {}
    documents: set[str] = set()
    purged: set[str] = set()
    reply_letters: set[str] = set()
    count = 0
    for event in events:
        count += 1
        data = event.data if isinstance(event.data, Mapping) else {}
        kind = event.event_type
        if kind == EventType.REGISTERED:
            state.update(_registered(event))
        elif kind == EventType.DETAILS_UPDATED:
            state.update(_changed(data, before_and_after=True))
        elif kind == EventType.OPINION_GIVEN:
            state.update(_opinion(data))
        elif kind == EventType.LETTER_POSTED:
            state.update(_posted(data, reply_letters))
        else:
            state.update(_changed(data, before_and_after=False))
        if event.status_after:
            state["status"] = event.status_after
        if event.document_sha256:
            documents.add(event.document_sha256)
            if kind == EventType.REPLIED:
                reply_letters.add(event.document_sha256)
        documents.update(_recorded_files(data))
        if kind == EventType.ANONYMISED and isinstance(data.get("purged_documents"), list):
            purged.update(str(sha256) for sha256 in data["purged_documents"])
    return Replayed(count, state, frozenset(documents), frozenset(purged))


def _typed(kind: str, value: Any) -> Any:
    """A value as the events hold it (JSON) or as the row holds it, made comparable."""
    if value is None or not isinstance(value, str):
        return value
    try:
        if kind == "date":
            return date.fromisoformat(value)
        if kind == "moment":
            return datetime.fromisoformat(value)
    except ValueError:
        return value
    return value


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "vide"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, datetime):
        # Both sides in UTC, so that the same instant reads the same.
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def findings(reference: str, stored: Mapping[str, Any], replayed: Replayed) -> list[str]:
    """What the stored row says that the complaint's events do not, in French, one line per
    field; empty when they agree."""
    if replayed.events == 0:
        return [f"{reference} : aucun événement de la chronologie pour cette réclamation"]
    problems = []
    for name, (label, kind) in FIELDS.items():
        if name not in replayed.fields or name not in stored:
            continue
        expected, actual = replayed.fields[name], stored[name]
        if expected == actual:
            continue  # most fields: the same text, flag or nothing on both sides
        expected, actual = _typed(kind, expected), _typed(kind, actual)
        if expected != actual:
            problems.append(
                f"{reference} : {label} au registre (« {_shown(actual)} ») ne correspond pas "
                f"à la chronologie (« {_shown(expected)} »)"
            )
    return problems
