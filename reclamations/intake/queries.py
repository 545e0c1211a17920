"""Reads of the triage inbox. The list runs a fixed number of queries, whatever its size."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from reclamations.core.models import Organisation
from reclamations.intake.evidence import inbound_raw
from reclamations.intake.models import WAITING_OUTCOMES, InboundEmail
from reclamations.intake.parsing import InboundMessage, UnparseableMessage, parse_message

TRIAGE_PAGE_SIZE = 50
TRIAGE_COLUMNS = (
    "id",
    "organisation_id",
    "source",
    "size",
    "received_at",
    "sender_name",
    "sender_address",
    "subject",
    "excerpt",
    "attachment_names",
    "outcome",
    "reason",
)


def triage_waiting(organisation: Organisation) -> QuerySet[InboundEmail]:
    """Messages waiting for a person's decision, newest first."""
    return (
        InboundEmail.objects.filter(organisation=organisation, outcome__in=WAITING_OUTCOMES)
        .only(*TRIAGE_COLUMNS)
        .order_by("-received_at", "-id")
    )


def triage_page(
    organisation: Organisation, page_number: str | int | None = 1
) -> Page[InboundEmail]:
    return Paginator(triage_waiting(organisation), TRIAGE_PAGE_SIZE).get_page(page_number)


def triage_waiting_count(organisation_id: int) -> int:
    return InboundEmail.objects.filter(
        organisation_id=organisation_id, outcome__in=WAITING_OUTCOMES
    ).count()


def triage_recent_decisions(organisation: Organisation, limit: int = 20) -> list[InboundEmail]:
    """The last decisions taken in the triage inbox: who decided what, when, why."""
    return list(
        InboundEmail.objects.filter(organisation=organisation, decided_at__isnull=False)
        .select_related("decided_by", "complaint")
        .order_by("-decided_at", "-id")[:limit]
    )


def inbound_for(organisation: Organisation, pk: int) -> InboundEmail:
    """Raises InboundEmail.DoesNotExist for a message of another organisation."""
    return InboundEmail.objects.select_related("document", "complaint", "decided_by").get(
        organisation=organisation, pk=pk
    )


def inbound_message(inbound: InboundEmail) -> InboundMessage | None:
    """The message parsed again from its raw bytes (None when it cannot be parsed)."""
    try:
        return parse_message(inbound_raw(inbound))
    except UnparseableMessage:
        return None
