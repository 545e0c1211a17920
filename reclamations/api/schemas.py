"""What the API accepts and returns; the OpenAPI document is generated from these."""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from reclamations.complaints.actions import ACTIONS
from reclamations.complaints.deadlines import Urgency
from reclamations.complaints.enums import (
    Category,
    Channel,
    ClientLanguage,
    ClientType,
    Funding,
    Kind,
    RequestChannel,
    Severity,
    Status,
)
from reclamations.complaints.free_text import REMINDER
from reclamations.complaints.queries import CONTEXT_FILTERS, RELEVANCE, RegisterFilters
from reclamations.complaints.search_text import search_terms

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25

OPTIONAL_CHOICES = ("client_type", "funding", "category")

# Days and moments as the document declares them (RFC 3339 full-date and date-time): left to
# itself, pydantic also reads 0 or "1741950000" as a Unix time, a day in 1970 no caller means.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The offset is left to pydantic, which says that it is missing better than "invalid".
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?")


def _written_as(pattern: re.Pattern[str], error: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        # A date object comes from Python, never from a request.
        if isinstance(value, date) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise PydanticCustomError(error, "not written as the document says")  # errors.py: French

    return check


Day = Annotated[date, BeforeValidator(_written_as(_ISO_DAY, "date_parsing"))]
Moment = Annotated[AwareDatetime, BeforeValidator(_written_as(_ISO_MOMENT, "datetime_parsing"))]

# Said of every free-text field, as the staff pages say it under theirs.
FREE_TEXT = f"Free text: only the facts the complaint needs (CNIL). Staff read: « {REMINDER} »"


class ComplaintIn(Schema):
    """A complaint as it arrives (services.NewComplaint, less what only the mail channel
    knows). Unknown fields are refused, so that a typo is not lost."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = Field(description="How the complaint reached the organisation.")
    received_at: Moment = Field(
        description="Moment of reception, ISO 8601 with its offset "
        "(2025-03-14T09:30:00+01:00 or 2025-03-14T08:30:00Z). A reception before today "
        "needs `backdating_reason`.",
    )
    client_name: str = ""
    client_account: str = Field("", description="The client account concerned.")
    client_type: ClientType | None = Field(
        None, description="Derived from `funding` when not given."
    )
    funding: Funding | None = None
    client_email: str = ""
    client_phone: str = ""
    client_address: str = ""
    client_language: ClientLanguage = Field(
        ClientLanguage.FRENCH,
        description="The language the client is written to in (acknowledgement, requests, "
        "reply's wording): fr or en.",
    )
    training: str = Field("", description="Training concerned.")
    session: str = Field("", description="The training's session (dates, place or code).")
    trainer: str = Field("", description="The trainer concerned.")
    funder: str = Field("", description="Who funds the training (an OPCO, France Travail...).")
    description: str = Field("", description=FREE_TEXT)
    remedy_sought: str = Field("", description=f"What the client asks for. {FREE_TEXT}")
    kind: Kind = Kind.COMPLAINT
    not_admissible_reason: str = Field(
        "", description=f"Required when kind is not_admissible. {FREE_TEXT}"
    )
    category: Category | None = None
    severity: Severity = Severity.MEDIUM
    backdating_reason: str = Field(
        "",
        description=f"Why a complaint received before today is registered only now. {FREE_TEXT}",
    )
    confirmation_requested_via: RequestChannel = Field(
        RequestChannel.EMAIL,
        description="Phone complaints: how the written confirmation is asked for.",
    )

    @field_validator("*", mode="before")
    @classmethod
    def _null_text_is_blank(cls, value: Any, info: ValidationInfo) -> Any:
        text = info.field_name is not None and cls.model_fields[info.field_name].annotation is str
        return "" if value is None and text else value

    @field_validator(*OPTIONAL_CHOICES, mode="before")
    @classmethod
    def _blank_choice_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value


class RegisterCriteria(Schema):
    """What the register is filtered and ordered by, apart from the period."""

    status: Status | None = None
    kind: Kind | None = None
    channel: Channel | None = None
    category: Category | None = None
    client_type: ClientType | None = None
    training: str = Field(
        "", description="Complaints of this training, as written.", max_length=300
    )
    session: str = Field("", description="Complaints of this session, as written.", max_length=200)
    trainer: str = Field(
        "", description="Complaints about this trainer, as written.", max_length=200
    )
    funder: str = Field("", description="Complaints of this funder, as written.", max_length=200)
    cause: str = Field("", description="Complaints traced to this cause.", max_length=120)
    overdue: bool | None = Field(
        None,
        description="true: open complaints past their due date; false: all but those.",
    )
    due_soon: bool = Field(
        False, description="Open complaints due within the organisation's alert threshold."
    )
    q: str = Field(
        "",
        description="Full-text search: complaints holding every word (each as the start of a "
        "word, whatever the case and accents) in their reference, client, account, training, "
        "description, actions, replies, notes or messages.",
    )
    order: Literal["newest", "urgent", "relevance", "due", "oldest"] | None = Field(
        None,
        description="newest by default; relevance (the best matches first) by default with q.",
    )

    def filters_for(self, received_from: date | None, received_to: date | None) -> RegisterFilters:
        return RegisterFilters(
            status=self.status or "",
            kind=self.kind or "",
            channel=self.channel or "",
            category=self.category or "",
            client_type=self.client_type or "",
            training=self.training,
            session=self.session,
            trainer=self.trainer,
            funder=self.funder,
            cause=self.cause,
            overdue=self.overdue,
            due_soon=self.due_soon,
            received_from=received_from,
            received_to=received_to,
            search=self.q,
            order=self.order or (RELEVANCE if search_terms(self.q) else "newest"),
        )


class RegisterQuery(RegisterCriteria):
    received_from: Day | None = Field(None, description="Received on or after (YYYY-MM-DD).")
    received_to: Day | None = Field(None, description="Received on or before (YYYY-MM-DD).")
    page: int = Field(
        1,
        ge=1,
        description="1-based. A page beyond the last one answers 200 with empty `results`.",
    )
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    after: str = Field(
        "",
        max_length=40,
        description="The reference of the last complaint of the page before (with `page` its "
        "number plus one): the page is read from that complaint's place in the register, as "
        "fast at page 40,000 as at page 2, and a complaint registered meanwhile shifts nothing. "
        "Orders by reception (newest, oldest, and urgent's complaints that are not urgent).",
    )

    def register_filters(self) -> RegisterFilters:
        return self.filters_for(self.received_from, self.received_to)


class RegisterExportQuery(RegisterCriteria):
    format: Literal["csv", "xlsx", "pdf"] = Field("csv", description="The file's format.")
    start: Day | None = Field(None, alias="from", description="Received on or after (YYYY-MM-DD).")
    end: Day | None = Field(None, alias="to", description="Received on or before (YYYY-MM-DD).")
    order: Literal["newest", "urgent", "due", "oldest"] = Field(
        "oldest", description="The register's order; by reception, oldest first, by default."
    )

    def register_filters(self) -> RegisterFilters:
        return self.filters_for(self.start, self.end)


class RegisterItem(Schema):
    reference: str
    status: Status
    status_label: str
    kind: Kind
    channel: Channel
    received_at: datetime = Field(description="In the organisation's time zone, with offset.")
    received_on: date
    client_name: str
    client_account: str
    due_date: date | None
    working_days_left: int | None = Field(description="Open complaints only; negative: late.")
    urgency: Urgency | None = Field(description="Open complaints only.")
    replied_on: date | None
    replied_on_time: bool | None
    outcome: str | None


class RegisterPage(Schema):
    count: int = Field(description="Complaints matching the filters, all pages together.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages; 0 when nothing matches.")
    results: list[RegisterItem]


class DocumentOut(Schema):
    id: int
    name: str
    role: str = Field(description="What the document is: original, reply_copy, sent_message...")
    role_label: str
    version: int = Field(description="1 for the first document of its role, 2 for the next...")
    content_type: str
    size: int
    sha256: str = Field(description="SHA-256 of the stored bytes, as the chronology records it.")
    created_at: datetime
    download_url: str = Field(description="GET it (same token): the exact bytes stored.")


class EventOut(Schema):
    sequence: int = Field(description="Position in the organisation's hash chain.")
    type: str
    label: str
    occurred_on: date
    recorded_at: datetime
    actor: str
    status_before: str
    status_after: str
    data: dict[str, Any]
    hash: str
    previous_hash: str


class AllowedAction(Schema):
    action: str = Field(description="One of: " + ", ".join(ACTIONS))
    label: str


class ComplaintOut(Schema):
    reference: str
    status: Status
    status_label: str
    channel: Channel
    received_at: datetime = Field(description="In the organisation's time zone, with offset.")
    received_on: date
    backdating_reason: str
    registered_at: datetime
    registered_by: str | None
    procedure_version: str
    client_name: str
    client_account: str
    client_type: ClientType | None
    funding: Funding | None
    client_email: str
    client_phone: str
    client_address: str
    client_language: ClientLanguage
    training: str
    session: str
    trainer: str
    funder: str
    description: str
    remedy_sought: str
    kind: Kind
    not_admissible_reason: str
    category: Category | None
    severity: Severity
    cause: str = Field(description="The root cause, a label of the organisation's list.")
    cause_analysis: str
    clock_started_on: date | None
    due_date: date | None = Field(description="Null while the clock has not started.")
    working_days_left: int | None
    urgency: Urgency | None
    information_requested_on: date | None
    confirmation_pending: bool
    resolution: str
    first_replied_on: date | None
    replied_on: date | None
    reply_channel: str | None
    replied_on_time: bool | None
    reply_registered_number: str = Field(description="A reply by registered letter: its number.")
    reply_delivered_on: date | None = Field(description="The day the post delivered it.")
    outcome: str | None
    client_acceptance: str
    closed_on: date | None
    mediation_seized_on: date | None
    mediator: str
    mediation_outcome: str
    litigation_started_on: date | None
    litigation_court: str
    litigation_outcome: str
    documents: list[DocumentOut]
    events: list[EventOut] = Field(description="The chronology, oldest first.")
    allowed_actions: list[AllowedAction] = Field(
        description="What the caller may apply now through the API; empty for read-only roles."
    )


# A plain pydantic model: ninja's Schema reads its input through attributes, which drops the
# extra keys that carry the action's fields.
class ActionIn(BaseModel):
    """An action and its fields, at the top level of the object.

    The fields may also be sent under `data` (`{"action": "add_note", "data": {"text": "..."}}`);
    a field given both ways is refused.
    """

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "action": "reply",
                    "text": "Madame, les trois séances seront reprogrammées en mars.",
                    "resolution": "Séances reprogrammées.",
                    "channel": "email",
                }
            ]
        },
    )

    action: str = Field(description="One of: " + ", ".join(ACTIONS))
    data: dict[str, Any] | None = Field(
        None, description="Alternative place for the action's fields."
    )

    def action_fields(self) -> dict[str, Any]:
        """The action's fields, from the top level and from `data` (overlaps are reported)."""
        return {**(self.data or {}), **(self.model_extra or {})}

    def duplicated_fields(self) -> list[str]:
        return sorted(set(self.data or {}) & set(self.model_extra or {}))


class ActionOut(Schema):
    complaint: ComplaintOut
    event: EventOut = Field(description="The chronology event the action recorded.")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(
        description='Field -> French messages; "__all__" for the request as a whole.'
    )


# What any operation may answer besides its own results: 400 for a parameter it refuses (a path
# parameter of the wrong type, a NUL in any query parameter, a request Django refuses before the
# API), 401 without a valid token, 403 for a role that may not, 414 for an address too long
# (api.middleware).
ERRORS = {400: ValidationErrorOut, 401: ErrorOut, 403: ErrorOut, 414: ErrorOut}


class StatisticsQuery(Schema):
    start: Day | None = Field(
        None, alias="from", description="Received on or after (YYYY-MM-DD); 1 January by default."
    )
    end: Day | None = Field(
        None, alias="to", description="Received on or before (YYYY-MM-DD); today by default."
    )
    training: str = Field("", description="Only this training's complaints.", max_length=300)
    session: str = Field("", description="Only this session's complaints.", max_length=200)
    trainer: str = Field("", description="Only the complaints about this trainer.", max_length=200)
    funder: str = Field("", description="Only this funder's complaints.", max_length=200)
    cause: str = Field("", description="Only the complaints traced to this cause.", max_length=120)

    def scope(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in CONTEXT_FILTERS if getattr(self, name)}


class JournalQuery(Schema):
    start: Day | None = Field(
        None, alias="from", description="Events written on or after this local day (YYYY-MM-DD)."
    )
    end: Day | None = Field(
        None, alias="to", description="Events written on or before this local day (YYYY-MM-DD)."
    )
    actor: str = Field(
        "", description="`systeme` for what the application did, or the id of an account."
    )
    type: str = Field("", description="One event type (the chronology's `event_type`).")
    before: int | None = Field(
        None, ge=1, description="Events before this number: the `older` of the previous page."
    )
    size: int = Field(50, ge=1, le=500)
