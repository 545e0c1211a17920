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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reclamations.complaints.anonymisation import RetentionRefused, anonymise_complaint
from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.validation import (
    Errors,
    clean_text,
    lazy_message,
    refuse_unstorable,
)
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import can_manage
from reclamations.privacy import rules
from reclamations.privacy.erasure_review import erasure_review, not_in_full
from reclamations.privacy.models import (
    REASONED_DECISIONS,
    DataRequest,
    Decision,
    RequestKind,
    RequestStatus,
)
from reclamations.privacy.request_reading import complaints_of_person, erasure_reason

NAME_LENGTH = DataRequest._meta.get_field("person_name").max_length or 200
MAX_COMPLAINTS = 200
EMAIL_INVALID = _("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")


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
                refusal = not_in_full(review, kept)
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
