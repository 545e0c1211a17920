"""The REST API: /api/v1/complaints. Handlers only call services and queries."""

from math import ceil
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import NinjaAPI, Query, Status
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from reclamations.api import presenters
from reclamations.api.action_requests import (
    REQUEST_BODY,
    action_components,
    action_request,
    actions_description,
)
from reclamations.api.auth import caller, handlers, readable_complaint, readers
from reclamations.api.documents import router as documents_router
from reclamations.api.errors import install_handlers
from reclamations.api.improvement import router as improvement_router
from reclamations.api.schemas import (
    ERRORS,
    OPTIONAL_CHOICES,
    ActionOut,
    ComplaintIn,
    ComplaintOut,
    ErrorOut,
    JournalQuery,
    RegisterExportQuery,
    RegisterPage,
    RegisterQuery,
    StatisticsQuery,
)
from reclamations.complaints import queries, services
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.register_pages import register_listing
from reclamations.complaints.register_positions import Position
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.reporting.annual_synthesis import YearNotStarted
from reclamations.reporting.downloads import (
    XLSX_TYPE,
    annual_synthesis_response,
    audit_pack_response,
    export_response,
)
from reclamations.reporting.journal import SYSTEM as JOURNAL_SYSTEM
from reclamations.reporting.journal import JournalFilters, journal_page
from reclamations.reporting.periods import MAX_DAYS, TOO_LONG, Period
from reclamations.reporting.register_files import TooLargeToPrint
from reclamations.reporting.register_pdf import MAX_COMPLAINTS
from reclamations.reporting.statistics_cache import statistics_for

DESCRIPTION = """\
The complaints register of one organisation, for integrations.

Every request sends `Authorization: Bearer <token>` (create one with `reclamations token create
--user NAME`). Every read and write is limited to the token owner's organisation. Auditors may
read; referents, managers and administrators may also register complaints and apply actions.

Errors are JSON with a French message: `{"detail": "..."}`, and for 400 also
`"errors": {"field": ["..."]}` (`"__all__"` for the request as a whole).
"""
RANGE_REVERSED = "La date de début est postérieure à la date de fin."
UNKNOWN_AFTER = (
    "Aucune réclamation de ce registre ne porte cette référence : indiquez la référence de la "
    "dernière réclamation de la page précédente."
)


class UnicodeJSONRenderer(JSONRenderer):
    # French messages stay readable in curl and logs instead of \u00e9 escapes.
    json_dumps_params = {"ensure_ascii": False}


class ReclamationsAPI(NinjaAPI):
    """Ninja's API, with the schemas of each action's body (declared by the actions) added to
    the document's components."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"].update(action_components())
        return schema


api = ReclamationsAPI(
    title="Réclamations",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    renderer=UnicodeJSONRenderer(),
    # Swagger UI would come from a CDN, which the product never loads: the JSON is enough.
    docs_url=None,
)
install_handlers(api)
api.add_router("/improvement-actions", improvement_router)
api.add_router("/complaints", documents_router)


def _file_response(description: str, *content_types: str) -> dict[str, Any]:
    """An operation's 200 as a file: its content types, in the OpenAPI document."""
    binary = {"type": "string", "format": "binary"}
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {
                    kind: {"schema": {"type": "string"} if kind == "text/csv" else binary}
                    for kind in content_types
                },
            }
        }
    }


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
    response={201: ComplaintOut, **ERRORS},
    summary="Register a complaint",
    description="Answers 201 with the complaint as registered (reference, status, due date, "
    "first chronology events) and its address in the Location header.",
    operation_id="complaint_create",
    tags=["complaints"],
)
def complaint_create(
    request: HttpRequest, response: HttpResponse, payload: ComplaintIn
) -> Status[dict[str, Any]]:
    user, organisation = caller(request)
    values = payload.model_dump()
    for name in OPTIONAL_CHOICES:
        values[name] = values[name] or ""  # the model keeps "not given" as blank
    complaint = services.complaint_register(
        organisation=organisation,
        actor=user,
        complaint=services.NewComplaint(**values),
    )
    response["Location"] = f"{request.path}/{complaint.reference}"
    return Status(201, _detail(complaint, user))


@api.get(
    "/complaints",
    auth=readers,
    response={200: RegisterPage, **ERRORS},
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
    _user, organisation = caller(request)
    today = local_today(organisation)
    policy = deadline_policy(organisation)
    start = (filters.page - 1) * filters.page_size
    position = None
    if filters.after:
        after = Complaint.objects.filter(organisation=organisation, reference=filters.after)
        neighbour = after.values_list("pk", flat=True).first()
        if neighbour is None:
            raise ValidationError({"after": [UNKNOWN_AFTER]})
        position = Position(start, after=neighbour)
    listing = register_listing(
        organisation,
        filters.register_filters(),
        today=today,
        policy=policy,
        expected=slice(start, start + filters.page_size),
        position=position,
    )
    count = listing.count()
    # Past the last page the slice is empty: 200 with no results, never a clamp to the end.
    complaints = list(listing[start : start + filters.page_size]) if start < count else []
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
    "/annual-synthesis",
    auth=readers,
    response={200: None, **ERRORS},
    summary="The annual synthesis for the management review",
    description="A PDF: the year's figures beside the year before (to today while the year "
    "runs), the recurring causes, the improvement actions open during the year with their "
    "check and the complaints of their cause before and after them. A year to come is a 400.",
    operation_id="annual_synthesis",
    tags=["register"],
    openapi_extra=_file_response("The synthesis (PDF).", "application/pdf"),
)
def annual_synthesis(request: HttpRequest, year: int) -> HttpResponseBase:
    _user, organisation = caller(request)
    if not 1 <= year <= 9999:
        raise ValidationError({"year": ["Indiquez une année sur quatre chiffres."]})
    try:
        return annual_synthesis_response(organisation, year)
    except YearNotStarted as error:
        raise ValidationError({"year": [str(error)]}) from None


@api.get(
    "/causes",
    auth=readers,
    response={200: dict[str, list[str]], **ERRORS},
    summary="The causes a complaint may be traced to",
    description="The organisation's list, in its order: the values the `analyse_cause` action "
    "accepts (besides the cause a complaint already has), and those the register and the "
    "statistics filter on.",
    operation_id="cause_list",
    tags=["register"],
)
def cause_list(request: HttpRequest) -> dict[str, list[str]]:
    _user, organisation = caller(request)
    return {"causes": list(organisation.causes)}


@api.get(
    "/audit-pack",
    auth=readers,
    response={200: None, **ERRORS},
    summary="The audit pack of a period",
    description="One ZIP for the period (`from`, `to`, the year to date by default, ten years "
    "at most): the procedure versions in force, the register (PDF and XLSX), the statistics "
    "PDF, each complaint's stored documents, a note in French and `manifeste.json` (every "
    "file's SHA-256 and the state of the chronology). `reclamations verify-pack` checks it "
    "offline. For a period of thousands of complaints the command `reclamations audit-pack` "
    "is safer than a request.",
    operation_id="audit_pack",
    tags=["register"],
    openapi_extra=_file_response("The ZIP.", "application/zip"),
)
def audit_pack(request: HttpRequest, query: Query[StatisticsQuery]) -> HttpResponseBase:
    _user, organisation = caller(request)
    return audit_pack_response(organisation, _period(query, organisation))


def _period(query: StatisticsQuery, organisation: Organisation) -> Period:
    period = Period.asked(query.start, query.end, today=local_today(organisation))
    if period.start > period.end:
        raise ValidationError({"from": [RANGE_REVERSED]})
    if period.days > MAX_DAYS:
        raise ValidationError({"to": [TOO_LONG]})
    return period


@api.get(
    "/journal",
    auth=readers,
    response={200: dict[str, Any], **ERRORS},
    summary="The global journal",
    description="Every event of the register's chronology, newest first, `size` at a time: "
    "the next page is `before` = the `older` of this one (null on the last page). Filters: the "
    "local day written (`from`, `to`), the author (`actor`: `systeme` or an account's id), the "
    "event type (`type`).",
    operation_id="journal",
    tags=["register"],
)
def journal(request: HttpRequest, query: Query[JournalQuery]) -> dict[str, Any]:
    _user, organisation = caller(request)
    if query.start and query.end and query.start > query.end:
        raise ValidationError({"from": [RANGE_REVERSED]})
    if query.type and query.type not in EventType.values:
        raise ValidationError(
            {
                "type": [
                    f"Type d'événement inconnu. Valeurs admises : {', '.join(EventType.values)}."
                ]
            }
        )
    if (
        query.actor
        and query.actor != JOURNAL_SYSTEM
        and not (query.actor.isdigit() and len(query.actor) <= 18)
    ):
        raise ValidationError({"actor": ["Auteur inconnu : « systeme » ou le numéro d'un compte."]})
    filters = JournalFilters(
        recorded_from=query.start,
        recorded_to=query.end,
        actor=query.actor,
        event_type=query.type,
    )
    page = journal_page(organisation, filters, before=query.before, size=query.size)
    return {
        "results": [presenters.journal_item(entry) for entry in page.entries],
        "older": page.older,
    }


@api.get(
    "/statistics",
    auth=readers,
    response={200: dict[str, Any], **ERRORS},
    summary="The register's statistics",
    description="The figures of the statistics page for a period (the year to date by "
    "default, ten years at most; limited to a training, session, trainer, funder or cause as "
    "written on the complaints when given), each beside the period compared with: the same "
    "dates a year earlier, or the period of the same length just before when longer than a "
    "year. Working days as the organisation counts them.",
    operation_id="statistics",
    tags=["register"],
)
def statistics(request: HttpRequest, query: Query[StatisticsQuery]) -> dict[str, Any]:
    _user, organisation = caller(request)
    figures = statistics_for(
        organisation,
        _period(query, organisation),
        today=local_today(organisation),
        scope=query.scope(),
    )
    return presenters.statistics_out(figures)


@api.get(
    "/register",
    auth=readers,
    response={200: None, **ERRORS},
    summary="The register as a file",
    description="The register under the same filters as the list (every page), as CSV (UTF-8 "
    "with BOM, `;`-separated, formulas defused), XLSX (a sheet for the register, one for the "
    "actions) or PDF (landscape A4 to print and sign; its footer states the verified chain's "
    f"last hash; at most {MAX_COMPLAINTS:,} complaints, else 400). Streamed: any size. A period "
    "with no complaint gives a valid file.",
    operation_id="register_export",
    tags=["register"],
    openapi_extra=_file_response("The file.", "text/csv", XLSX_TYPE, "application/pdf"),
)
def register_export(request: HttpRequest, criteria: Query[RegisterExportQuery]) -> HttpResponseBase:
    if criteria.start and criteria.end and criteria.start > criteria.end:
        raise ValidationError({"from": [RANGE_REVERSED]})
    _user, organisation = caller(request)
    try:
        return export_response(organisation, criteria.register_filters(), criteria.format)
    except TooLargeToPrint as error:
        raise ValidationError({"format": [str(error)]}) from None


@api.get(
    "/complaints/{reference}",
    auth=readers,
    response={200: ComplaintOut, 404: ErrorOut, **ERRORS},
    summary="A complaint, its documents and its chronology",
    operation_id="complaint_detail",
    tags=["complaints"],
)
def complaint_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    user, complaint = readable_complaint(request, reference)
    return _detail(complaint, user)


@api.post(
    "/complaints/{reference}/actions",
    auth=handlers,
    response={201: ActionOut, 404: ErrorOut, 409: ErrorOut, **ERRORS},
    summary="Apply a workflow action",
    operation_id="complaint_action",
    description=actions_description(),
    tags=["complaints"],
    openapi_extra={"requestBody": REQUEST_BODY},
)
def complaint_action(request: HttpRequest, reference: str) -> Status[dict[str, Any]]:
    # The body is read here rather than by ninja: it is JSON, or multipart when a file goes
    # with the action (ninja takes one or the other for an operation, not both).
    user, complaint = readable_complaint(request, reference)
    organisation = complaint.organisation
    asked = action_request(request)
    event = services.complaint_apply(
        complaint=complaint,
        actor=user,
        action=services.parse_action(asked.name),
        data=asked.fields,
        document=asked.document,
        enclosures=asked.enclosures,
    )
    updated = queries.complaint_for(organisation, reference)
    return Status(
        201,
        {
            "complaint": _detail(updated, user),
            "event": presenters.event_item(event, updated.organisation),
        },
    )
