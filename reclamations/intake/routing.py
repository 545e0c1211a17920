"""What to do with a parsed inbound message: a pure decision over the message and the register.

The order matters and is the procedure's: a message already registered is never registered
twice; an automatic message is never answered (even when it quotes our reference, answering it
would start a mail loop); a reply to one of our complaints joins that complaint whatever its
subject; then the subject decides ("Réclamation" in it, as the procedure asks clients to write);
anything else waits in the triage inbox for a person, never silently dropped.
"""

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from reclamations.core.catalogue import gettext_noop
from reclamations.intake.parsing import InboundMessage

__all__ = [
    "RegisterLookup",
    "Route",
    "RoutingDecision",
    "is_complaint_subject",
    "references_in_subject",
    "route_message",
]


class Route(StrEnum):
    NEW_COMPLAINT = "new_complaint"
    APPEND = "append"
    DUPLICATE = "duplicate"
    AUTO_REPLY = "auto_reply"
    TRIAGE = "triage"


@dataclass(frozen=True)
class RoutingDecision:
    route: Route
    reference: str | None = None  # the complaint, for APPEND (and DUPLICATE when known)
    reason: str = ""  # French, shown to staff


class RegisterLookup(Protocol):
    """What routing needs to know of the register (the intake side implements it on the db)."""

    reference_prefix: str

    def already_registered(
        self, message_id: str | None, sha256: str, content: str = ""
    ) -> str | None:
        """Empty or a reference when this message was already processed; None when new.

        Already processed: the same Message-ID with the same bytes (sha256) or the same content
        (content_fingerprint), or one of our own messages coming back; without a Message-ID,
        the same bytes. Another message reusing a Message-ID is new.
        """
        ...

    def reference_for_message_ids(self, ids: Sequence[str]) -> str | None:
        """The complaint one of these Message-IDs belongs to (sent or received), if any."""
        ...

    def reference_exists(self, reference: str) -> bool: ...


_COMPLAINT_WORD = "reclamation"
# Clients type references by hand: any dash (autocorrect makes en dashes), a space or none.
_DASHES = r"[-\u2010\u2011\u2012\u2013\u2014\u2212_ ]?"


def _fold(text: str) -> str:
    """Lowercase without accents: "RÉCLAMATION" and "reclamation" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def is_complaint_subject(subject: str) -> bool:
    """True when the subject says "réclamation", in any case, with or without accents."""
    if subject.isascii():
        return _COMPLAINT_WORD in subject.lower()
    return _COMPLAINT_WORD in _fold(subject)


def _reference_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![0-9A-Za-z]){re.escape(prefix)}{_DASHES}(\d{{4}}){_DASHES}(\d{{1,6}})(?!\d)",
        re.IGNORECASE,
    )


_PATTERNS: dict[str, re.Pattern[str]] = {}


def references_in_subject(subject: str, prefix: str) -> list[str]:
    """Our references quoted in a subject, written as we write them: ["REC-2026-0042"]."""
    if not prefix:
        return []
    pattern = _PATTERNS.get(prefix)
    if pattern is None:
        pattern = _PATTERNS.setdefault(prefix, _reference_pattern(prefix))
    found: dict[str, None] = {}
    for year, number in pattern.findall(subject):
        found[f"{prefix}-{year}-{int(number):04d}"] = None
    return list(found)


def content_fingerprint(message: InboundMessage) -> str:
    """What the message says, whatever the transport added (Received lines, a re-delivery):
    its Message-ID, sender, subject, date, texts and attachments."""
    digest = hashlib.sha256()
    for part in (
        message.message_id or "",
        message.from_address,
        message.subject,
        message.date.isoformat() if message.date else "",
        message.text,
        message.html,
        # The files unpacked from a winmail.dat are already in its bytes; leaving them out keeps
        # the fingerprint of a message the same whatever this version of the parser unpacks.
        *(f"{a.filename}:{a.sha256}" for a in message.attachments if not a.unpacked_from),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def route_message(message: InboundMessage, lookup: RegisterLookup) -> RoutingDecision:
    """Decide, in the procedure's order, what becomes of an inbound message."""
    already = lookup.already_registered(
        message.message_id, message.sha256, content_fingerprint(message)
    )
    if already is not None:
        if message.message_id:
            reason = f"message déjà enregistré (même Message-ID {message.message_id})"
        else:
            reason = "message déjà enregistré (même empreinte SHA-256, sans Message-ID)"
        return RoutingDecision(Route.DUPLICATE, reference=already or None, reason=reason)

    if message.auto_submitted:
        return RoutingDecision(
            Route.AUTO_REPLY,
            reason=f"{message.auto_reason} : ignoré, aucune réponse envoyée",
        )

    for reference in references_in_subject(message.subject, lookup.reference_prefix):
        if lookup.reference_exists(reference):
            return RoutingDecision(
                Route.APPEND,
                reference=reference,
                reason=f"réponse à la réclamation {reference} (référence dans l'objet)",
            )
    thread = list(dict.fromkeys((*message.in_reply_to, *reversed(message.references))))
    if thread:
        threaded = lookup.reference_for_message_ids(thread)
        if threaded:
            return RoutingDecision(
                Route.APPEND,
                reference=threaded,
                reason=(
                    f"réponse à un message de la réclamation {threaded} "
                    "(en-têtes In-Reply-To / References)"
                ),
            )

    if is_complaint_subject(message.subject):
        return RoutingDecision(
            Route.NEW_COMPLAINT, reason="l'objet du message contient « réclamation »"
        )
    return RoutingDecision(
        Route.TRIAGE,
        reason=gettext_noop(
            "l'objet ne contient ni « réclamation » ni une référence connue : "
            "à qualifier (réclamation, ajout à un dossier ou classement)"
        ),
    )
