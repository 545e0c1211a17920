"""The data subjects' requests (GDPR articles 12 to 21): recorded with their one-month clock,
extended, decided, each of the three an event of the organisation's chronology written in the
same transaction (`data_request_received`, `_extended`, `_decided`).

An erasure granted anonymises the person's closed complaints through the retention's own
`anonymise_complaint`. What cannot or need not be erased is listed by `erasure_review`, and a
decision that grants the erasure in full while anything is listed there is refused: the
decision must then be "partly" or "refused", with its reason (GDPR article 12(4)).

Errors: ValidationError (field -> French messages) for what was typed, nothing written;
DataRequestRefused (French) for what the request's state does not allow now.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.anonymisation import RetentionRefused, anonymise_complaint
from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import OPEN_STATUSES, EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.validation import (
    Errors,
    clean_text,
    lazy_message,
    refuse_unstorable,
)
from reclamations.core.french import written_date
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import can_manage
from reclamations.privacy import rules
from reclamations.privacy.models import (
    REASONED_DECISIONS,
    DataRequest,
    Decision,
    RequestKind,
    RequestStatus,
)

NAME_LENGTH = DataRequest._meta.get_field("person_name").max_length or 200
MAX_COMPLAINTS = 200
# The day the answer is due, in the database: DataRequest.deadline.
DEADLINE = Coalesce("extended_to", "due_on")
EMAIL_INVALID = _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")

# Why the organisation may keep a closed complaint that a person asks to erase (GDPR article
# 17(3)(b) and (e)): Qualiopi (indicator 31) requires the complaints register and its treatment
# to be shown at the next surveillance or renewal audit, and a complaint may still found or
# defend a claim until the limitation period ends (5 years for most civil claims, Code civil
# article 2224). The organisation decides, complaint by complaint, and says why.
KEEP_HELP = gettext_noop(
    "Une réclamation close peut être conservée si une obligation légale l'impose (le registre "
    "des réclamations présenté à l'audit Qualiopi, indicateur 31) ou pour la constatation, "
    "l'exercice ou la défense de droits en justice jusqu'à la prescription (article 17.3 du "
    "RGPD) : l'effacement n'est alors accordé qu'en partie, ou refusé, avec son motif."
)


class DataRequestRefused(Exception):
    """What the request's state does not allow now: French, or a lazy translation read in the
    language of the page that shows it."""


@dataclass(frozen=True)
class NewDataRequest:
    """What is recorded: raw values, as a form gives them."""

    kind: str = ""
    person_name: str = ""
    person_email: str = ""
    received_on: Any = None  # a date or "YYYY-MM-DD"
    notes: str = ""


@dataclass(frozen=True)
class Blocked:
    """A complaint concerned by an erasure that cannot be anonymised now, and why (French)."""

    complaint: Complaint
    why: str


@dataclass
class ErasureReview:
    """The complaints an erasure concerns, sorted: those that can be anonymised now (closed,
    not on legal hold), those that cannot (still open, or on legal hold), those already
    anonymised."""

    erasable: list[Complaint] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    already: list[Complaint] = field(default_factory=list)


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


def _require_manager(organisation: Organisation, actor: User | None) -> None:
    if actor is not None and (
        actor.organisation_id != organisation.pk or not can_manage(actor.role)
    ):
        raise DataRequestRefused(
            "Seuls les responsables de l'organisme traitent les demandes sur les données "
            "personnelles."
        )


def _day(value: Any, name: str, label: str, errors: Errors) -> date | None:
    if value in (None, ""):
        errors.add(name, lazy_message(_("Indiquez %(what)s."), what=_(label)))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, _("Date invalide : utilisez le format JJ/MM/AAAA (ou AAAA-MM-JJ)."))
        return None


def _not_future(day: date | None, name: str, what: str, today: date, errors: Errors) -> None:
    if day is not None and day > today:
        errors.add(
            name,
            lazy_message(
                _("%(what)s ne peut pas être dans le futur (aujourd'hui : %(day)s)."),
                what=_(what),
                day=f"{today:%d/%m/%Y}",
            ),
        )


def _locked(request: DataRequest) -> DataRequest:
    """The request read again under a row lock held until the transaction ends (its own row
    only: the organisation's is the complaints' to lock)."""
    return (
        DataRequest.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=request.pk)
    )


def _require_open(request: DataRequest) -> None:
    if not request.is_open:
        # Worded when read: the page's language on a page.
        raise DataRequestRefused(
            lazy_message(
                _("La demande n° %(number)s a reçu sa réponse le %(day)s : elle ne change plus."),
                number=request.pk,
                day=f"{request.decided_on:%d/%m/%Y}",
            )
        )


# The events identify the person by the request's number only, never by name or address: the
# chain is append-only and sealed, its events are copied into every audit pack and backup, and
# the anonymisation redacts the events of a complaint, not these organisation events. The name
# and address stay on the request's row only, where the managers' pages read them.
def _event(
    request: DataRequest, event_type: str, actor: User | None, occurred_on: date, **data: Any
) -> ComplaintEvent:
    return append_event(
        organisation=request.organisation,
        event_type=event_type,
        actor=actor,
        occurred_on=occurred_on,
        status_before="",
        data={"request": request.pk, "kind": request.kind, **data},
    )


def data_request_create(
    *, organisation: Organisation, actor: User | None, new: NewDataRequest
) -> DataRequest:
    """Record a request received on `new.received_on`, due one month later; the complaints it
    concerns are those of the person's address (editable later)."""
    _require_manager(organisation, actor)
    refuse_unstorable(
        {name: getattr(new, name) for name in ("kind", "person_name", "person_email", "notes")}
    )
    errors = Errors()
    today = local_today(organisation)
    kind = clean_text(new.kind)
    if kind not in RequestKind.values:
        errors.add(
            "kind",
            _("Choisissez le droit exercé : accès, rectification, effacement ou opposition."),
        )
    name = clean_text(new.person_name)
    if not name:
        errors.add("person_name", _("Indiquez le nom de la personne."))
    elif len(name) > NAME_LENGTH:
        errors.add(
            "person_name", lazy_message(_("%(count)s caractères au plus."), count=NAME_LENGTH)
        )
    email = clean_text(new.person_email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("person_email", EMAIL_INVALID)
    received_on = _day(
        new.received_on, "received_on", gettext_noop("la date de réception de la demande"), errors
    )
    _not_future(received_on, "received_on", gettext_noop("La date de réception"), today, errors)
    errors.raise_if_any()
    assert received_on is not None
    with transaction.atomic():
        request = DataRequest.objects.create(
            organisation=organisation,
            kind=kind,
            person_name=name,
            person_email=email,
            received_on=received_on,
            due_on=rules.request_due_on(received_on),
            notes=clean_text(new.notes),
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
        request.complaints.set(complaints_of_person(organisation, email)[:MAX_COMPLAINTS])
        _event(
            request,
            EventType.DATA_REQUEST_RECEIVED,
            actor,
            received_on,
            received_on=received_on.isoformat(),
            due_on=request.due_on.isoformat(),
        )
    return request


def _references(organisation: Organisation, references: Iterable[str], errors: Errors) -> list:
    wanted = sorted({clean_text(reference) for reference in references if clean_text(reference)})
    if len(wanted) > MAX_COMPLAINTS:
        errors.add(
            "complaints",
            lazy_message(_("%(count)s réclamations au plus par demande."), count=MAX_COMPLAINTS),
        )
        return []
    found = list(Complaint.objects.filter(organisation=organisation, reference__in=wanted))
    unknown = sorted(set(wanted) - {complaint.reference for complaint in found})
    if unknown:
        errors.add(
            "complaints",
            lazy_message(
                _("Réclamation inconnue : %(references)s."), references=", ".join(unknown)
            ),
        )
    return found


def data_request_update(
    *, request: DataRequest, actor: User | None, complaints: Sequence[str], notes: str
) -> DataRequest:
    """Change the complaints an open request concerns (their references) and its notes. Not an
    event: neither is part of what the chronology records of a request (its dates and its
    decision); the decision's event names the complaints it anonymised or kept."""
    _require_manager(request.organisation, actor)
    refuse_unstorable({"complaints": list(complaints), "notes": notes})
    errors = Errors()
    found = _references(request.organisation, complaints, errors)
    errors.raise_if_any()
    with transaction.atomic():
        current = _locked(request)
        _require_open(current)
        current.notes = clean_text(notes)
        current.save(update_fields=["notes"])
        current.complaints.set(found)
    request.refresh_from_db()
    return request


def data_request_extend(
    *, request: DataRequest, actor: User | None, months: Any, reason: str, told_on: Any
) -> DataRequest:
    """Extend an open request by one or two further months (GDPR article 12(3)), once: the
    person must have been told, with the reason, within the first month."""
    _require_manager(request.organisation, actor)
    refuse_unstorable({"reason": reason})
    errors = Errors()
    today = local_today(request.organisation)
    try:
        count = int(months)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= rules.MAX_EXTENSION_MONTHS:
        errors.add(
            "months",
            _(
                "Choisissez une prolongation d'un ou de deux mois : trois mois au plus en tout "
                "(article 12.3 du RGPD)."
            ),
        )
    reason = clean_text(reason)
    if not reason:
        errors.add(
            "reason",
            _(
                "Indiquez le motif de la prolongation (la complexité ou le nombre des demandes) : "
                "il doit être communiqué à la personne."
            ),
        )
    told = _day(
        told_on,
        "told_on",
        gettext_noop("le jour où la personne a été informée de la prolongation"),
        errors,
    )
    _not_future(
        told, "told_on", gettext_noop("Le jour où la personne a été informée"), today, errors
    )
    with transaction.atomic():
        current = _locked(request)
        _require_open(current)
        if current.extended_to is not None:
            raise DataRequestRefused(
                lazy_message(
                    _(
                        "La demande n° %(number)s est déjà prolongée jusqu'au %(day)s : une "
                        "demande ne se prolonge qu'une fois, trois mois au plus après sa "
                        "réception."
                    ),
                    number=current.pk,
                    day=f"{current.extended_to:%d/%m/%Y}",
                )
            )
        if told is not None and told < current.received_on:
            errors.add(
                "told_on",
                f"La personne ne peut avoir été informée avant la réception de sa demande "
                f"({current.received_on:%d/%m/%Y}).",
            )
        elif told is not None and told > current.due_on:
            errors.add(
                "told_on",
                "La prolongation doit être annoncée à la personne dans le premier mois, au plus "
                f"tard le {current.due_on:%d/%m/%Y} (article 12.3 du RGPD) : passé ce jour, "
                "la demande ne peut plus être prolongée.",
            )
        errors.raise_if_any()
        assert told is not None
        current.extended_to = rules.extended_due_on(current.received_on, count)
        current.extension_reason = reason
        current.extension_told_on = told
        current.save(update_fields=["extended_to", "extension_reason", "extension_told_on"])
        _event(
            current,
            EventType.DATA_REQUEST_EXTENDED,
            actor,
            told,
            due_on=current.due_on.isoformat(),
            months=count,
            extended_to=current.extended_to.isoformat(),
            told_on=told.isoformat(),
            reason=reason,
        )
    request.refresh_from_db()
    return request


def erasure_review(request: DataRequest) -> ErasureReview:
    """Where each complaint the request concerns stands for an erasure."""
    review = ErasureReview()
    for complaint in request.complaints.order_by("received_at", "id"):
        if complaint.anonymised_on is not None:
            review.already.append(complaint)
        elif complaint.status in OPEN_STATUSES:
            review.blocked.append(
                Blocked(
                    complaint,
                    gettext_noop(
                        "en cours de traitement : elle ne peut être anonymisée qu'une fois close"
                    ),
                )
            )
        else:
            hold = rules.legal_hold(
                rules.Standing(
                    closed_on=complaint.closed_on,
                    mediation_seized_on=complaint.mediation_seized_on,
                    mediation_outcome=complaint.mediation_outcome,
                    litigation_started_on=complaint.litigation_started_on,
                    litigation_outcome=complaint.litigation_outcome,
                )
            )
            if hold:
                review.blocked.append(Blocked(complaint, f"gel légal : {hold}"))
            else:
                review.erasable.append(complaint)
    return review


def _not_in_full(review: ErasureReview, kept: list[Complaint]) -> str:
    """Why an erasure cannot be granted in full (French), "" when it can."""
    reasons = [f"{item.complaint.reference} ({item.why})" for item in review.blocked]
    reasons += [f"{complaint.reference} (conservée par l'organisme)" for complaint in kept]
    if not reasons:
        return ""
    return (
        "L'effacement ne peut pas être accordé en entier : "
        + " ; ".join(reasons)
        + ". Choisissez « Accordée en partie » ou « Refusée » et donnez-en le motif."
    )


def data_request_decide(
    *,
    request: DataRequest,
    actor: User | None,
    decision: str,
    reason: str,
    decided_on: Any,
    keep: Sequence[str] = (),
) -> DataRequest:
    """Record the answer to an open request. For an erasure, the complaints that can be
    anonymised are, unless refused or kept (`keep`: references the organisation keeps under
    a legal obligation); granted in full only when nothing stays. Everything (the
    anonymisations and the decision's event) commits together, or nothing does."""
    organisation = request.organisation
    _require_manager(organisation, actor)
    refuse_unstorable({"reason": reason, "keep": list(keep)})
    errors = Errors()
    today = local_today(organisation)
    decision = clean_text(decision)
    if decision not in Decision.values:
        errors.add(
            "decision", _("Choisissez la décision : accordée, accordée en partie ou refusée.")
        )
    reason = clean_text(reason)
    if decision in REASONED_DECISIONS and not reason:
        errors.add(
            "reason",
            _(
                "Indiquez le motif : une demande refusée, ou accordée en partie, dit pourquoi à la "
                "personne (article 12.4 du RGPD)."
            ),
        )
    day = _day(decided_on, "decided_on", gettext_noop("la date de la décision"), errors)
    _not_future(day, "decided_on", gettext_noop("La date de la décision"), today, errors)
    with transaction.atomic():
        current = _locked(request)
        _require_open(current)
        if day is not None and day < current.received_on:
            errors.add(
                "decided_on",
                f"La décision ne peut précéder la réception de la demande "
                f"({current.received_on:%d/%m/%Y}).",
            )
        anonymise: list[Complaint] = []
        kept: list[Complaint] = []
        if current.kind == RequestKind.ERASURE:
            review = erasure_review(current)
            by_reference = {complaint.reference: complaint for complaint in review.erasable}
            wanted = {clean_text(reference) for reference in keep if clean_text(reference)}
            strangers = sorted(wanted - set(by_reference))
            if strangers:
                errors.add(
                    "keep",
                    "Seules les réclamations closes concernées par la demande peuvent être "
                    f"conservées : {', '.join(strangers)}.",
                )
            kept = [complaint for complaint in review.erasable if complaint.reference in wanted]
            if decision == Decision.GRANTED:
                refusal = _not_in_full(review, kept)
                if refusal:
                    errors.add("decision", refusal)
            if decision in (Decision.GRANTED, Decision.PARTLY):
                anonymise = [c for c in review.erasable if c.reference not in wanted]
            # What keeps the person's data: kept by choice or by the refusal, or not erasable.
            kept = [c for c in review.erasable if c not in anonymise]
            kept += [item.complaint for item in review.blocked]
        errors.raise_if_any()
        assert day is not None
        for complaint in anonymise:
            try:
                anonymise_complaint(
                    complaint, actor=actor, today=today, reason=erasure_reason(current)
                )
            except RetentionRefused as refused:
                # Rolls back the anonymisations already done: the decision is all or nothing.
                raise DataRequestRefused(str(refused)) from refused
        current.status = RequestStatus.ANSWERED
        current.decision = decision
        current.decision_reason = reason
        current.decided_on = day
        current.decided_by = actor
        current.save(
            update_fields=["status", "decision", "decision_reason", "decided_on", "decided_by"]
        )
        erasure = (
            {
                "anonymised": [complaint.reference for complaint in anonymise],
                "kept": [complaint.reference for complaint in kept],
            }
            if current.kind == RequestKind.ERASURE
            else {}
        )
        _event(
            current,
            EventType.DATA_REQUEST_DECIDED,
            actor,
            day,
            decision=decision,
            reason=reason,
            decided_on=day.isoformat(),
            **erasure,
        )
    request.refresh_from_db()
    return request


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
