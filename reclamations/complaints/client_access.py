"""The client's access to their complaint without an account: a secret link, sent by e-mail,
valid for RECLAMATIONS_CLIENT_LINK_HOURS (24 by default), used once.

The secret is 256 random bits in the URL; only its SHA-256 is stored, so that the database
cannot be read for working links. Opening a link is two steps (a page, then a button): mail
security scanners follow links, and must not use a link up by doing so."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction

from reclamations.complaints.models import ClientAccessLink, Complaint

FOLLOW_PATH = "/suivi/acces/"


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"  # never issued, or altered
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LinkState:
    """What a link gives: its complaint, or why it gives nothing."""

    complaint: Complaint | None
    problem: LinkProblem | None = None


def link_hours() -> int:
    return int(getattr(settings, "RECLAMATIONS_CLIENT_LINK_HOURS", 24))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue_link(complaint: Complaint, *, now: datetime) -> str:
    """A new link to `complaint`'s page (its full URL), valid link_hours() from `now`. Call
    inside the transaction of the message that carries it."""
    secret = secrets.token_urlsafe(32)
    ClientAccessLink.objects.create(
        complaint=complaint,
        secret_sha256=_digest(secret),
        created_at=now,
        expires_at=now + timedelta(hours=link_hours()),
    )
    return f"{settings.RECLAMATIONS_BASE_URL}{FOLLOW_PATH}{secret}/"


def _found(secret: str) -> ClientAccessLink | None:
    if not secret or len(secret) > 100:
        return None
    return (
        ClientAccessLink.objects.filter(secret_sha256=_digest(secret))
        .select_related("complaint", "complaint__organisation")
        .first()
    )


def _state(link: ClientAccessLink | None, now: datetime) -> LinkState:
    if link is None:
        return LinkState(None, LinkProblem.UNKNOWN)
    if link.used_at is not None:
        return LinkState(link.complaint, LinkProblem.USED)
    if link.expires_at <= now:
        return LinkState(link.complaint, LinkProblem.EXPIRED)
    return LinkState(link.complaint)


def peek_link(secret: str, *, now: datetime) -> LinkState:
    """What the link would give, without using it (the page a scanner may load)."""
    return _state(_found(secret), now)


def use_link(secret: str, *, now: datetime) -> LinkState:
    """Use the link once: its complaint, or why not (used already, expired, unknown)."""
    with transaction.atomic():
        found = _found(secret)
        if found is None:
            return LinkState(None, LinkProblem.UNKNOWN)
        # Locked, so that two clicks at the same instant cannot both use it.
        link = (
            ClientAccessLink.objects.select_for_update()
            .select_related("complaint", "complaint__organisation")
            .get(pk=found.pk)
        )
        state = _state(link, now)
        if state.problem is None:
            link.used_at = now
            link.save(update_fields=["used_at"])
        return state
