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
from django.db import connection, transaction

from reclamations.complaints.models import ClientAccessLink, Complaint

FOLLOW = "follow"  # opens the complaint's page
SURVEY = "survey"  # the client's opinion after the reply
PATHS = {FOLLOW: "/suivi/acces/", SURVEY: "/suivi/avis/"}


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


def survey_days() -> int:
    return int(getattr(settings, "RECLAMATIONS_SURVEY_DAYS", 30))


def _lifetime(purpose: str) -> timedelta:
    return timedelta(days=survey_days()) if purpose == SURVEY else timedelta(hours=link_hours())


def new_secret() -> str:
    """256 random bits, URL-safe: what a link carries."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored of a link's secret: its SHA-256."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


# The link's row written out: every acknowledgement issues one, and the ORM took four times
# longer to build the INSERT than the database to run it (bench/README.md, import-eml). The
# dates go through the backend's own conversion, as the model's fields would.
_INSERT_LINK_SQL = (
    f"INSERT INTO {ClientAccessLink._meta.db_table} "  # noqa: S608 - fixed names
    "(complaint_id, secret_sha256, purpose, created_at, expires_at, used_at) "
    "VALUES (%s, %s, %s, %s, %s, NULL)"
)


def issue_link(complaint: Complaint, *, now: datetime, purpose: str = FOLLOW) -> str:
    """A new link (its full URL) to `complaint`'s page, or to its survey: valid link_hours()
    (a survey: survey_days()) from `now` (aware). Call inside the transaction of the message
    that carries it."""
    secret = new_secret()
    as_stored = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_LINK_SQL,
            [
                complaint.pk,
                secret_digest(secret),
                purpose,
                as_stored(now),
                as_stored(now + _lifetime(purpose)),
            ],
        )
    return f"{settings.RECLAMATIONS_BASE_URL}{PATHS[purpose]}{secret}/"


def _found(secret: str, purpose: str) -> ClientAccessLink | None:
    if not secret or len(secret) > 100:
        return None
    return (
        ClientAccessLink.objects.filter(secret_sha256=secret_digest(secret), purpose=purpose)
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


def peek_link(secret: str, *, now: datetime, purpose: str = FOLLOW) -> LinkState:
    """What the link would give, without using it (the page a scanner may load)."""
    return _state(_found(secret, purpose), now)


def use_link(secret: str, *, now: datetime, purpose: str = FOLLOW) -> LinkState:
    """Use the link once: its complaint, or why not (used already, expired, unknown). Call
    inside the transaction of what it does, so that a refused action leaves it unused."""
    with transaction.atomic():
        found = _found(secret, purpose)
        if found is None:
            return LinkState(None, LinkProblem.UNKNOWN)
        # Locked, so that two clicks at the same instant cannot both use it.
        link = (
            ClientAccessLink.objects.select_for_update(of=("self",))  # the link's row only
            .select_related("complaint", "complaint__organisation")
            .get(pk=found.pk)
        )
        state = _state(link, now)
        if state.problem is None:
            link.used_at = now
            link.save(update_fields=["used_at"])
        return state
