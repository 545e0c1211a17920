"""/api/v1/improvement-actions: the improvement plan, for integrations. Handlers call the
improvement service and its queries only."""

from math import ceil
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from reclamations.api import presenters
from reclamations.api.auth import caller, handlers, readers
from reclamations.api.errors import NotFound
from reclamations.api.schemas import ERRORS, FREE_TEXT, Day, ErrorOut
from reclamations.complaints.enums import ImprovementSource, improvement_status_label
from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.improvement_queries import (
    PlanLine,
    improvement_actions,
    improvement_chronology,
    plan_lines,
)
from reclamations.complaints.improvement_rules import STEPS, steps_allowed
from reclamations.complaints.models import ImprovementAction
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import can_handle

router = Router(tags=["improvement"])


class ImprovementIn(Schema):
    """An improvement action as decided. Unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="Short title (200 characters at most).")
    description: str = Field(description=f"What will be done, by whom, how. {FREE_TEXT}")
    source: ImprovementSource = ImprovementSource.COMPLAINTS
    source_detail: str = ""
    complaints: list[str] = Field(
        default_factory=list,
        description="References of the complaints it answers (required when source is "
        "`complaints`).",
    )
    cause: str = Field("", description="One of GET /api/v1/causes, or empty.")
    owner: int | None = Field(None, description="The id of the account responsible for it.")
    due_date: Day


class StepIn(Schema):
    """One step of an action's life, with its fields."""

    model_config = ConfigDict(extra="forbid")

    step: Literal["start", "record_done", "check", "close", "abandon", "update", "note"]
    done_on: Day | None = Field(None, description="record_done: today by default.")
    done_summary: str = Field("", description=f"record_done: what was done (required). {FREE_TEXT}")
    checked_on: Day | None = Field(None, description="check: today by default.")
    check_result: str = Field(
        "", description="check: `effective`, `partly` or `not_effective` (required)."
    )
    check_evidence: str = Field("", description=f"check: the evidence (required). {FREE_TEXT}")
    reason: str = Field("", description=f"abandon: why (required). {FREE_TEXT}")
    text: str = Field("", description=f"note: the note (required). {FREE_TEXT}")
    comment: str = Field("", description=FREE_TEXT)
    title: str | None = None
    description: str | None = Field(None, description=f"update: the new description. {FREE_TEXT}")
    source: ImprovementSource | None = None
    source_detail: str | None = None
    complaints: list[str] | None = None
    cause: str | None = None
    owner: int | None = None
    due_date: Day | None = None


class ImprovementQuery(Schema):
    status: (
        Literal["open", "overdue", "planned", "in_progress", "done", "closed", "abandoned"] | None
    ) = Field(None, description="open, overdue, or one status; every action by default.")
    page: int = Field(1, ge=1, description="From 1; a page beyond the last is empty.")
    page_size: int = Field(100, ge=1, le=500)


def _action(organisation: Organisation, reference: str) -> ImprovementAction:
    found = (
        ImprovementAction.objects.filter(organisation=organisation, reference=reference)
        .select_related("owner")
        .first()
    )
    if found is None:
        raise NotFound(f"Aucune action d'amélioration {reference} dans ce registre.")
    return found


def _out(line: PlanLine) -> dict[str, Any]:
    action = line.action
    return {
        "reference": action.reference,
        "status": action.status,
        "status_label": improvement_status_label(action.status),
        "title": action.title,
        "description": action.description,
        "source": action.source,
        "source_detail": action.source_detail,
        "complaints": line.complaints,
        "cause": action.cause,
        "owner": action.owner.display_name if action.owner else None,
        "owner_id": action.owner_id,
        "due_date": action.due_date,
        "overdue": line.overdue,
        "created_on": action.created_on,
        "done_on": action.done_on,
        "done_summary": action.done_summary,
        "checked_on": action.checked_on,
        "check_result": action.check_result or None,
        "check_evidence": action.check_evidence,
        "closed_on": action.closed_on,
        "abandon_reason": action.abandon_reason,
    }


def _detail(action: ImprovementAction, user: User) -> dict[str, Any]:
    organisation = action.organisation
    today = local_today(organisation)
    (line,) = plan_lines(improvement_actions(organisation, today=today).filter(pk=action.pk), today)
    steps = [step.name for step in steps_allowed(action.status)] if can_handle(user.role) else []
    return {
        **_out(line),
        "events": [
            presenters.event_item(event, organisation) for event in improvement_chronology(action)
        ],
        "allowed_steps": steps,
    }


@router.get(
    "",
    auth=readers,
    response={200: dict[str, Any], **ERRORS},
    summary="The improvement plan",
    description="The improvement actions, earliest due first (`status`: open, overdue or one "
    "status), `page_size` at a time (100 by default, 500 at most). Three queries whatever its "
    "size.",
    operation_id="improvement_list",
)
def improvement_list(request: HttpRequest, query: Query[ImprovementQuery]) -> dict[str, Any]:
    _user, organisation = caller(request)
    today = local_today(organisation)
    actions = improvement_actions(organisation, status=query.status or "", today=today)
    count = actions.count()
    first = (query.page - 1) * query.page_size
    # Past the last page nothing is asked of the database: an offset of 22 digits is more
    # than SQLite or PostgreSQL can count (a 500 found by test_schema_fuzzing.py).
    lines = plan_lines(actions[first : first + query.page_size], today) if first < count else []
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": ceil(count / query.page_size),
        "results": [_out(line) for line in lines],
    }


@router.get(
    "/{reference}",
    auth=readers,
    response={200: dict[str, Any], 404: ErrorOut, **ERRORS},
    summary="An improvement action and its chronology",
    operation_id="improvement_detail",
)
def improvement_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    user, organisation = caller(request)
    return _detail(_action(organisation, reference), user)


@router.post(
    "",
    auth=handlers,
    response={201: dict[str, Any], **ERRORS},
    summary="Decide an improvement action",
    operation_id="improvement_create",
)
def improvement_new(request: HttpRequest, payload: ImprovementIn) -> Status[dict[str, Any]]:
    user, organisation = caller(request)
    action = improvement_create(
        organisation=organisation, actor=user, new=NewImprovement(**payload.model_dump())
    )
    return Status(201, _detail(action, user))


@router.post(
    "/{reference}/steps",
    auth=handlers,
    response={201: dict[str, Any], 404: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Take a step of an improvement action's life",
    description="`step`: "
    + "; ".join(f"`{step.name}` ({step.label})" for step in STEPS.values())
    + ". Closing needs a check of its effectiveness found effective or partly (409 otherwise, "
    "with the reason in French).",
    operation_id="improvement_step",
)
def improvement_step(
    request: HttpRequest, reference: str, payload: StepIn
) -> Status[dict[str, Any]]:
    user, organisation = caller(request)
    action = _action(organisation, reference)
    data = {
        name: value
        for name, value in payload.model_dump(exclude={"step"}).items()
        if value is not None and (payload.step == "update" or value != "")
    }
    event = improvement_apply(action=action, actor=user, step=payload.step, data=data)
    action.refresh_from_db()
    return Status(
        201, {"action": _detail(action, user), "event": presenters.event_item(event, organisation)}
    )
