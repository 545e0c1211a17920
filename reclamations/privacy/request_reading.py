"""What is read of the data subjects' requests: their titles (stored in French, shown in the
page's language), the lists of the managers' pages, each request's chronology, and the check
`reclamations verify` runs of every request's row against its events. The requests are
recorded, extended and decided by privacy.requests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_noop

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.validation import clean_text
from reclamations.core.french import written_date
from reclamations.core.models import Organisation
from reclamations.privacy.models import DataRequest, RequestKind, RequestStatus

# The day the answer is due, in the database: DataRequest.deadline.
DEADLINE = Coalesce("extended_to", "due_on")


# "demande d'effacement n° 12": the right, as French writes it after "demande".
_OF_KIND = {
    RequestKind.ACCESS: "d'accès",
    RequestKind.RECTIFICATION: "de rectification",
    RequestKind.ERASURE: "d'effacement",
    RequestKind.OBJECTION: "d'opposition",
}


def request_title(request: DataRequest) -> str:
    """ "demande d'effacement n° 12"."""
    return f"demande {_OF_KIND[RequestKind(request.kind)]} n° {request.pk}"


_SHOWN_TITLES = {
    RequestKind.ACCESS: gettext_noop("demande d'accès n° %(number)s"),
    RequestKind.RECTIFICATION: gettext_noop("demande de rectification n° %(number)s"),
    RequestKind.ERASURE: gettext_noop("demande d'effacement n° %(number)s"),
    RequestKind.OBJECTION: gettext_noop("demande d'opposition n° %(number)s"),
}


def request_title_shown(request: DataRequest) -> str:
    """request_title in the page's language (what is stored keeps request_title's French)."""
    return gettext(_SHOWN_TITLES[RequestKind(request.kind)]) % {"number": request.pk}


def erasure_reason(request: DataRequest) -> str:
    """The reason each complaint's anonymisation records: the request, never the person."""
    return f"{request_title(request)} du {written_date(request.received_on)}"


def complaints_of_person(organisation: Organisation, email: str) -> QuerySet[Complaint]:
    """The organisation's complaints whose client's address is `email` (case ignored, as mail
    addresses are in practice); none without an address."""
    email = clean_text(email)
    if not email:
        return Complaint.objects.none()
    return Complaint.objects.filter(organisation=organisation, client_email__iexact=email).order_by(
        "received_at", "id"
    )


def open_requests(organisation: Organisation) -> QuerySet[DataRequest]:
    """The organisation's open requests, the earliest deadline first."""
    return DataRequest.objects.filter(
        organisation=organisation, status=RequestStatus.OPEN
    ).order_by(DEADLINE, "id")


def all_requests(organisation: Organisation) -> QuerySet[DataRequest]:
    """Every request of the organisation: the open ones first, the earliest deadline first,
    then those answered, the latest decision first."""
    return DataRequest.objects.filter(organisation=organisation).order_by(
        Case(When(status=RequestStatus.OPEN, then=Value(0)), default=Value(1)),
        Case(When(status=RequestStatus.OPEN, then=DEADLINE)).asc(),
        F("decided_on").desc(nulls_last=True),
        "-id",
    )


def request_chronology(request: DataRequest) -> QuerySet[ComplaintEvent]:
    """The request's events in the organisation's chain, oldest first."""
    return ComplaintEvent.objects.filter(
        organisation_id=request.organisation_id,
        event_type__in=list(_REQUEST_EVENTS),
        data__request=request.pk,
    ).order_by("sequence")


def _shown(name: str, value: object) -> str:
    """A stored or recorded value as staff read it: a date dd/mm/yyyy, a choice's label."""
    choices = dict(DataRequest._meta.get_field(name).flatchoices)
    if value in choices:
        return str(choices[value])
    try:
        return f"{date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value)


def _said(request_id: int, what: str, stored: object, events: object) -> str:
    return (
        f"demandes : la demande n° {request_id}, {what} au registre (« {stored or 'vide'} ») ne "
        f"correspond pas à la chronologie (« {events or 'vide'} »)"
    )


def data_request_findings(organisation: Organisation) -> Iterator[str]:
    """What `reclamations verify` adds for the requests: each request's dates and decision as
    its events say them, against its stored row (French, one line per difference)."""
    said: dict[int, dict[str, object]] = {}
    events = (
        ComplaintEvent.objects.filter(organisation=organisation, event_type__in=_REQUEST_EVENTS)
        .order_by("sequence")
        .values_list("event_type", "data")
    )
    for event_type, data in events:
        facts = said.setdefault(int(data["request"]), {})
        for name in _REQUEST_EVENTS[event_type]:
            facts[name] = data.get(name, "")
    stored = {
        row["pk"]: row
        for row in DataRequest.objects.filter(organisation=organisation, pk__in=list(said)).values(
            "pk", "kind", "received_on", "due_on", "extended_to", "decision", "decided_on"
        )
    }
    for pk, facts in said.items():
        row = stored.get(pk)
        if row is None:
            yield (
                f"demandes : la demande n° {pk} a disparu du registre alors que la chronologie "
                "garde ses événements"
            )
            continue
        for name, value in facts.items():
            now = row[name].isoformat() if isinstance(row[name], date) else row[name] or ""
            if now != value:
                model_field = DataRequest._meta.get_field(name)
                yield _said(pk, model_field.verbose_name, _shown(name, now), _shown(name, value))


# What each event says of the request's row (the event's key is the field's name).
_REQUEST_EVENTS: dict[str, tuple[str, ...]] = {
    EventType.DATA_REQUEST_RECEIVED: ("kind", "received_on", "due_on"),
    EventType.DATA_REQUEST_EXTENDED: ("extended_to",),
    EventType.DATA_REQUEST_DECIDED: ("decision", "decided_on"),
}
