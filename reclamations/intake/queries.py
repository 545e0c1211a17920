"""Reads of the triage inbox. The list runs a fixed number of queries, whatever its size."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Func, IntegerField, QuerySet

from reclamations.core.built_sql import BuiltStatements, number
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


# The navigation's figure, on every staff page: compiled once.
_WAITING_COUNT = BuiltStatements(
    lambda values: (
        InboundEmail.objects.filter(
            organisation_id=number(values, "organisation"), outcome__in=WAITING_OUTCOMES
        )
        .order_by()
        .values_list(Func(template="COUNT(*)", output_field=IntegerField()))
    ),
    samples={"organisation": -7_654_321},
)


def triage_waiting_count(organisation_id: int) -> int:
    """How many messages wait in the triage inbox (to triage or in quarantine)."""
    rows = _WAITING_COUNT.rows({"organisation": organisation_id})
    return int(rows[0][0]) if rows else 0


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
