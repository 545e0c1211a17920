"""Reads of the improvement plan: a fixed number of queries whatever its size."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from reclamations.complaints.enums import OPEN_IMPROVEMENT_STATUSES, ImprovementStatus
from reclamations.complaints.improvement_rules import LATE_STATUSES, is_overdue
from reclamations.complaints.models import Complaint, ComplaintEvent, ImprovementAction
from reclamations.core.models import Organisation

OPEN_FILTER = "open"
OVERDUE_FILTER = "overdue"


def _overdue_q(today: date) -> Q:
    """The actions improvement_rules.is_overdue says are late, as a filter."""
    return Q(status__in=LATE_STATUSES, due_date__lt=today)


@dataclass(frozen=True)
class PlanLine:
    action: ImprovementAction
    complaints: list[str]  # references
    overdue: bool


def improvement_actions(
    organisation: Organisation,
    *,
    status: str = "",
    today: date,
    active_from: date | None = None,
    active_to: date | None = None,
) -> QuerySet[ImprovementAction]:
    """The organisation's actions: `status` one of ImprovementStatus, OPEN_FILTER or
    OVERDUE_FILTER; `active_from`/`active_to` keep those open at some point of that period
    (decided by its end, not ended before its start). Earliest due first, with their owner and
    complaints (two queries)."""
    actions = ImprovementAction.objects.filter(organisation=organisation)
    if status == OPEN_FILTER:
        actions = actions.filter(status__in=OPEN_IMPROVEMENT_STATUSES)
    elif status == OVERDUE_FILTER:
        actions = actions.filter(_overdue_q(today))
    elif status:
        actions = actions.filter(status=status)
    if active_to is not None:
        actions = actions.filter(created_on__lte=active_to)
    if active_from is not None:
        actions = actions.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=active_from))
    return (
        actions.select_related("owner")
        .prefetch_related(
            Prefetch(
                "complaints",
                queryset=Complaint.objects.only("id", "reference").order_by("reference"),
            )
        )
        .order_by("due_date", "reference")
    )


def plan_lines(actions: Iterable[ImprovementAction], today: date) -> list[PlanLine]:
    return [
        PlanLine(
            action,
            [complaint.reference for complaint in action.complaints.all()],
            is_overdue(action.status, action.due_date, today),
        )
        for action in actions
    ]


def improvement_counts(organisation: Organisation, today: date) -> dict[str, int]:
    """Open, overdue and to-check actions, for the page's figures (one query)."""
    return ImprovementAction.objects.filter(organisation=organisation).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_IMPROVEMENT_STATUSES)),
        overdue=Count("pk", filter=_overdue_q(today)),
        to_check=Count("pk", filter=Q(status=ImprovementStatus.DONE)),
    )


def improvement_chronology(action: ImprovementAction) -> QuerySet[ComplaintEvent]:
    return ComplaintEvent.objects.filter(improvement=action).order_by("sequence")


def complaint_improvements(complaint: Complaint) -> list[ImprovementAction]:
    """The actions decided from a complaint, the latest first."""
    return list(complaint.improvement_actions.order_by("-created_on", "-id"))
