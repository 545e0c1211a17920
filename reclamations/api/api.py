"""The REST API: /api/v1/complaints. Handlers only call services and queries."""

from math import ceil
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.renderers import JSONRenderer

from reclamations.api import presenters
from reclamations.api.auth import handlers, readers
from reclamations.api.errors import install_handlers
from reclamations.api.schemas import (
    OPTIONAL_CHOICES,
    ActionIn,
    ActionOut,
    ComplaintIn,
    ComplaintOut,
    ErrorOut,
    RegisterPage,
    RegisterQuery,
    ValidationErrorOut,
)
from reclamations.complaints import queries, services
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.workflow import Action
from reclamations.core.localtime import local_today
from reclamations.core.models import User

DESCRIPTION = """\
The complaints register of one organisation, for integrations.

Every request sends `Authorization: Bearer <token>` (create one with `reclamations token create
--user NAME`). Every read and write is limited to the token owner's organisation. Auditors may
read; referents, managers and administrators may also register complaints and apply actions.

Errors are JSON with a French message: `{"detail": "..."}`, and for 400 also
`"errors": {"field": ["..."]}` (`"__all__"` for the request as a whole).
"""
ACTIONS_DESCRIPTION = """\
Answers 201 with the complaint as it now is and the chronology event recorded; 400 with the
fields to correct; 409 when the complaint's status does not allow the action (its
`allowed_actions` say which are possible now). Dates are YYYY-MM-DD and default to today.

Fields of each action (* required):
- `request_information`: missing*, sent_via* (email, letter, phone), message, sent_on
- `record_information`: summary*, received_on, client_name, client_account, description
- `record_confirmation`: via (email, letter, phone), summary, received_on, client_name,
  client_account, description
- `update_details`: any of client_name, client_account, client_type, funding, client_email,
  client_phone, client_address, training, description, remedy_sought, kind,
  not_admissible_reason, category, severity, received_at (ISO 8601 with offset); reason
  (* when received_at changes)
- `add_action`: description*, done_by, done_on
- `add_note`: text*
- `reply`: text*, resolution*, channel* (email, letter, phone_confirmed, hand), replied_on,
  outcome (granted, partly_granted, rejected: the outcome the reply announces; with channel
  email, the text is e-mailed to the client with the recourse this outcome calls for)
- `close`: outcome* (granted, partly_granted, rejected), client_acceptance (unknown, accepted,
  disputed), comment, closed_on
- `declare_not_admissible`: reason*
- `reopen`: reason*
- `escalate_mediation`: mediator (default: the organisation's), seized_on
- `record_mediation_outcome`: outcome*, decided_on
- `escalate_litigation`: court (default: the organisation's), started_on
- `record_litigation_outcome`: outcome*, decided_on
- `send_acknowledgement`: no field; e-mails the acknowledgement of receipt (400 when the client
  has no e-mail address)
- `send_progress`: note; e-mails the client where the complaint stands
- `add_document` needs a file: web interface only for now.
"""
NO_FILE_ACTION = (
    "Joindre un document n'est pas possible par l'API (JSON seulement) : utilisez l'interface web."
)
FIELD_GIVEN_TWICE = "Champ donné deux fois, au premier niveau et dans « data » : gardez-en un."
RANGE_REVERSED = "La date de début est postérieure à la date de fin."


class UnicodeJSONRenderer(JSONRenderer):
    # French messages stay readable in curl and logs instead of \u00e9 escapes.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Réclamations",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=UnicodeJSONRenderer(),
    # Swagger UI would come from a CDN, which the product never loads: the JSON is enough.
    docs_url=None,
)
install_handlers(api)

READ_ERRORS = {401: ErrorOut, 403: ErrorOut}
WRITE_ERRORS = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut}


def _caller(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,return-value]  # set by TokenAuth


def _detail(complaint: Complaint, user: User) -> dict[str, Any]:
    organisation = complaint.organisation
    (row,) = queries.with_urgency(
        [complaint],
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )
    return presenters.complaint_detail(
        row=row,
        documents=queries.complaint_documents(complaint),
        events=queries.complaint_events(complaint),
        role=user.role,
    )


@api.post(
    "/complaints",
    auth=handlers,
    response={201: ComplaintOut, **WRITE_ERRORS},
    summary="Register a complaint",
    description="Answers 201 with the complaint as registered (reference, status, due date, "
    "first chronology events) and its address in the Location header.",
    operation_id="complaint_create",
    tags=["complaints"],
)
def complaint_create(request: HttpRequest, response: HttpResponse, payload: ComplaintIn) -> Status:
    user = _caller(request)
    values = payload.model_dump()
    for name in OPTIONAL_CHOICES:
        values[name] = values[name] or ""  # the model keeps "not given" as blank
    complaint = services.complaint_register(
        organisation=user.organisation,
        actor=user,
        complaint=services.NewComplaint(**values),
    )
    response["Location"] = f"{request.path}/{complaint.reference}"
    return Status(201, _detail(complaint, user))


@api.get(
    "/complaints",
    auth=readers,
    response={200: RegisterPage, 400: ValidationErrorOut, **READ_ERRORS},
    summary="List the register",
    operation_id="complaint_list",
    tags=["complaints"],
)
def complaint_list(request: HttpRequest, filters: Query[RegisterQuery]) -> dict[str, Any]:
    if (
        filters.received_from
        and filters.received_to
        and filters.received_from > filters.received_to
    ):
        raise ValidationError({"received_from": [RANGE_REVERSED]})
    organisation = _caller(request).organisation
    today = local_today(organisation)
    policy = deadline_policy(organisation)
    queryset = queries.register_queryset(
        organisation,
        filters.register_filters(),
        today=today,
        policy=policy,
        due_soon_days=organisation.due_soon_days,
    )
    count = queryset.count()
    start = (filters.page - 1) * filters.page_size
    # Past the last page the slice is empty: 200 with no results, never a clamp to the end.
    complaints = list(queryset[start : start + filters.page_size]) if start < count else []
    rows = queries.with_urgency(
        complaints, today=today, policy=policy, due_soon_days=organisation.due_soon_days
    )
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": ceil(count / filters.page_size),
        "results": [presenters.register_item(row, organisation) for row in rows],
    }


@api.get(
    "/complaints/{reference}",
    auth=readers,
    response={200: ComplaintOut, 404: ErrorOut, **READ_ERRORS},
    summary="A complaint, its documents and its chronology",
    operation_id="complaint_detail",
    tags=["complaints"],
)
def complaint_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    user = _caller(request)
    return _detail(queries.complaint_for(user.organisation, reference), user)


@api.post(
    "/complaints/{reference}/actions",
    auth=handlers,
    response={201: ActionOut, 404: ErrorOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Apply a workflow action",
    operation_id="complaint_action",
    description=ACTIONS_DESCRIPTION,
    tags=["complaints"],
)
def complaint_action(request: HttpRequest, reference: str, payload: ActionIn) -> Status:
    user = _caller(request)
    complaint = queries.complaint_for(user.organisation, reference)
    action = services.parse_action(payload.action)
    if action == Action.ADD_DOCUMENT:
        raise ValidationError({"action": [NO_FILE_ACTION]})
    duplicated = payload.duplicated_fields()
    if duplicated:
        raise ValidationError({name: [FIELD_GIVEN_TWICE] for name in duplicated})
    event = services.complaint_apply(
        complaint=complaint, actor=user, action=action, data=payload.action_fields()
    )
    updated = queries.complaint_for(user.organisation, reference)
    return Status(
        201,
        {
            "complaint": _detail(updated, user),
            "event": presenters.event_item(event, updated.organisation),
        },
    )
