"""Improvement actions (Qualiopi indicator 32): the one door that creates and changes them, each
change an event of the organisation's chronology in the same transaction.

An action is decided from one or several complaints or from another source (a satisfaction
survey, trainers' feedback, an audit finding), given an owner and a due date, carried out, then
checked for effectiveness (date, result, evidence) before it can be closed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reclamations.complaints import improvement_rules as rules
from reclamations.complaints.chronology import allocate_improvement_reference, append_event
from reclamations.complaints.enums import (
    CheckResult,
    EventType,
    ImprovementSource,
    ImprovementStatus,
)
from reclamations.complaints.models import Complaint, ComplaintEvent, ImprovementAction
from reclamations.complaints.validation import (
    GENERAL,
    Errors,
    clean_text,
    lazy_message,
    refuse_unstorable,
)
from reclamations.complaints.workflow import WorkflowError
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import can_handle

TITLE_LENGTH = ImprovementAction._meta.get_field("title").max_length or 200
SOURCE_DETAIL_LENGTH = ImprovementAction._meta.get_field("source_detail").max_length or 300
MAX_COMPLAINTS = 200
# What deciding an action sets and the "update" step may change.
EDITABLE = ("title", "description", "source", "source_detail", "cause", "owner", "due_date")


@dataclass(frozen=True)
class NewImprovement:
    """What is decided: raw values, as a form or the API gives them."""

    title: str = ""
    description: str = ""
    source: str = ImprovementSource.COMPLAINTS
    source_detail: str = ""
    complaints: Sequence[str] = field(default_factory=tuple)  # references
    cause: str = ""
    owner: Any = None  # an account's id
    due_date: Any = None  # a date or "YYYY-MM-DD"


def _joined_labels(choices: list[tuple[str, Any]]) -> str:
    return ", ".join(str(label) for _value, label in choices)


# The choices' labels, joined when the message is read (in the reader's language).
_labels_of = lazy(_joined_labels, str)


def _day(value: Any, name: str, label: str, errors: Errors, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            errors.add(name, lazy_message(_("Indiquez %(what)s."), what=_(label)))
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, _("Date invalide : utilisez le format AAAA-MM-JJ."))
        return None


def _owner(organisation: Organisation, value: Any, errors: Errors) -> User | None:
    if value in (None, ""):
        return None
    try:
        owner_id = int(value)
    except (TypeError, ValueError):
        owner_id = 0
    owner = User.objects.filter(pk=owner_id, organisation=organisation, is_active=True).first()
    if owner is None or not can_handle(owner.role):
        errors.add("owner", _("Choisissez le ou la responsable parmi les comptes de l'organisme."))
        return None
    return owner


def _complaints(organisation: Organisation, references: Sequence[str], errors: Errors) -> list:
    wanted = sorted({clean_text(reference) for reference in references if clean_text(reference)})
    if len(wanted) > MAX_COMPLAINTS:
        errors.add(
            "complaints",
            lazy_message(_("%(count)s réclamations au plus par action."), count=MAX_COMPLAINTS),
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
    return sorted(found, key=lambda complaint: complaint.reference)


def _text(values: Mapping[str, Any], name: str) -> str:
    return clean_text(values.get(name))


def _check_fields(
    organisation: Organisation, values: Mapping[str, Any], errors: Errors, *, current: str = ""
) -> dict[str, Any]:
    """The action's own fields among `values`, read and checked (French, per field)."""
    checked: dict[str, Any] = {}
    if "title" in values:
        title = _text(values, "title")
        if not title:
            errors.add("title", _("Donnez un intitulé à l'action."))
        elif len(title) > TITLE_LENGTH:
            errors.add(
                "title", lazy_message(_("%(count)s caractères au plus."), count=TITLE_LENGTH)
            )
        checked["title"] = title
    if "description" in values:
        checked["description"] = _text(values, "description")
        if not checked["description"]:
            errors.add("description", _("Décrivez l'action décidée."))
    if "source" in values:
        source = _text(values, "source")
        if source not in ImprovementSource.values:
            errors.add(
                "source",
                lazy_message(
                    _("Choisissez l'origine parmi : %(labels)s."),
                    labels=_labels_of(ImprovementSource.choices),
                ),
            )
        checked["source"] = source
    if "source_detail" in values:
        checked["source_detail"] = _text(values, "source_detail")
        if len(checked["source_detail"]) > SOURCE_DETAIL_LENGTH:
            errors.add(
                "source_detail",
                lazy_message(_("%(count)s caractères au plus."), count=SOURCE_DETAIL_LENGTH),
            )
    if "cause" in values:
        cause = _text(values, "cause")
        if cause and cause != current and cause not in organisation.causes:
            errors.add("cause", _("Choisissez la cause parmi celles des réglages de l'organisme."))
        checked["cause"] = cause
    if "owner" in values:
        checked["owner"] = _owner(organisation, values.get("owner"), errors)
    if "due_date" in values:
        label = gettext_noop("l'échéance de l'action")
        checked["due_date"] = _day(values.get("due_date"), "due_date", label, errors, required=True)
    return checked


def _shown(value: Any) -> Any:
    """A value as the chronology keeps it: an account by its name, a day as ISO text."""
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, date):
        return value.isoformat()
    return value


def _require_handler(organisation: Organisation, actor: User | None) -> None:
    if actor is not None and (
        actor.organisation_id != organisation.pk or not can_handle(actor.role)
    ):
        raise WorkflowError("Seuls les référents et les responsables décident des actions.")


@in_french
def improvement_create(
    *, organisation: Organisation, actor: User | None, new: NewImprovement
) -> ImprovementAction:
    """Decide an improvement action; ValidationError (field -> French messages) when a value is
    wrong, and nothing is written."""
    _require_handler(organisation, actor)
    refuse_unstorable({name: getattr(new, name) for name in (*EDITABLE, "complaints")})
    errors = Errors()
    today = local_today(organisation)
    values = {name: getattr(new, name) for name in EDITABLE}
    checked = _check_fields(organisation, values, errors)
    complaints = _complaints(organisation, new.complaints, errors)
    from_complaints = checked.get("source") == ImprovementSource.COMPLAINTS
    if from_complaints and not complaints and "complaints" not in errors:
        errors.add(
            "complaints",
            _("Indiquez la ou les réclamations à l'origine de l'action, ou une autre origine."),
        )
    if checked.get("due_date") and checked["due_date"] < today:
        errors.add("due_date", _("L'échéance est passée : choisissez une date à venir."))
    errors.raise_if_any()
    with transaction.atomic():
        action = ImprovementAction.objects.create(
            organisation=organisation,
            reference=allocate_improvement_reference(organisation, today.year),
            status=ImprovementStatus.PLANNED,
            created_on=today,
            created_by=actor,
            **checked,
        )
        action.complaints.set(complaints)
        append_event(
            improvement=action,
            event_type=EventType.IMPROVEMENT_CREATED,
            actor=actor,
            occurred_on=today,
            status_before="",
            data={
                **{name: _shown(value) for name, value in checked.items()},
                "complaints": [complaint.reference for complaint in complaints],
            },
        )
    return action


@dataclass
class _Planned:
    """What a step changes, what its event says besides, the day it happened."""

    updates: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    occurred_on: date | None = None


def _plan_update(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    given = {name: values[name] for name in EDITABLE if name in values}
    checked = _check_fields(action.organisation, given, errors, current=action.cause)
    updates = {name: value for name, value in checked.items() if getattr(action, name) != value}
    data = {name: _shown(value) for name, value in updates.items()}
    if "complaints" in values:
        wanted = _complaints(action.organisation, values["complaints"] or (), errors)
        before = sorted(action.complaints.values_list("reference", flat=True))
        after = [complaint.reference for complaint in wanted]
        if before != after:
            data["complaints"] = after
            updates["complaints"] = wanted
    if not updates and not errors:
        errors.add(GENERAL, _("Aucune modification : l'action est déjà dans cet état."))
    return _Planned(updates, data)


def _past_day(
    values: Mapping[str, Any], name: str, errors: Errors, today: date, not_before: date | None
) -> date:
    day = _day(values.get(name), name, "", errors, required=False) or today
    if day > today:
        errors.add(name, _("Cette date est dans le futur : indiquez la date réelle."))
    elif not_before is not None and day < not_before:
        errors.add(
            name,
            lazy_message(
                _("Cette date précède le %(day)s, où l'action en était."),
                day=f"{not_before:%d/%m/%Y}",
            ),
        )
    return day


def _plan_done(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    today = local_today(action.organisation)
    done_on = _past_day(values, "done_on", errors, today, action.created_on)
    summary = _text(values, "done_summary")
    if not summary:
        errors.add("done_summary", _("Dites ce qui a été fait."))
    # Done again after a check found it wanting: that check stays in the chronology, and a
    # new one is needed before closing.
    updates = {
        "done_on": done_on,
        "done_summary": summary,
        "checked_on": None,
        "check_result": "",
        "check_evidence": "",
    }
    return _Planned(updates, {"done_summary": summary}, done_on)


def _plan_check(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    today = local_today(action.organisation)
    checked_on = _past_day(values, "checked_on", errors, today, action.done_on)
    result = _text(values, "check_result")
    if result not in CheckResult.values:
        errors.add(
            "check_result",
            lazy_message(
                _("Choisissez le résultat parmi : %(labels)s."),
                labels=_labels_of(CheckResult.choices),
            ),
        )
    evidence = _text(values, "check_evidence")
    if not evidence:
        errors.add(
            "check_evidence",
            _("Indiquez les preuves de la vérification (indicateur suivi, enquête, audit…)."),
        )
    updates = {"checked_on": checked_on, "check_result": result, "check_evidence": evidence}
    return _Planned(updates, {"check_result": result, "check_evidence": evidence}, checked_on)


def _plan_close(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    refused = rules.closing_refusal(action.check_result, action.checked_on, action.done_on)
    if refused:
        raise WorkflowError(_(refused))  # marked in the rules, read in the page's language
    today = local_today(action.organisation)
    return _Planned({"closed_on": today}, {"comment": _text(values, "comment")})


def _plan_abandon(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    reason = _text(values, "reason")
    if not reason:
        errors.add("reason", _("Indiquez pourquoi l'action est abandonnée : le motif est gardé."))
    today = local_today(action.organisation)
    return _Planned({"abandon_reason": reason, "closed_on": today}, {"reason": reason})


def _plan_note(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    text = _text(values, "text")
    if not text:
        errors.add("text", _("La note est vide."))
    return _Planned(data={"text": text})


def _plan_start(action: ImprovementAction, values: Mapping[str, Any], errors: Errors) -> _Planned:
    return _Planned(data={"comment": _text(values, "comment")})


_PLANS = {
    "update": _plan_update,
    "start": _plan_start,
    "record_done": _plan_done,
    "check": _plan_check,
    "close": _plan_close,
    "abandon": _plan_abandon,
    "note": _plan_note,
}


def _step_refusal(step: rules.Step, status: str) -> str:
    return rules.refusal(step, status, gettext) or ""


# A step's refusal worded when read: French for the API (the door runs in French), the page's
# language on a page.
_lazy_step_refusal = lazy(_step_refusal, str)


@in_french
def improvement_apply(
    *,
    action: ImprovementAction,
    actor: User | None,
    step: str,
    data: Mapping[str, Any] | None = None,
) -> ComplaintEvent:
    """Take one step of the action's life (improvement_rules.STEPS): lock, check it is allowed,
    read its data, change the action, write its event; all or nothing. WorkflowError (French)
    when the step cannot be taken now, ValidationError (field -> French) when data are wrong."""
    chosen = rules.STEPS.get(step)
    if chosen is None:
        raise WorkflowError(f"Étape inconnue « {step} ». Étapes : {', '.join(rules.STEPS)}.")
    _require_handler(action.organisation, actor)
    refuse_unstorable(data or {})
    with transaction.atomic():
        current = (
            ImprovementAction.objects.select_for_update(of=("self",))  # its row only
            .select_related("organisation")
            .get(pk=action.pk)
        )
        if rules.refusal(chosen, current.status):
            raise WorkflowError(_lazy_step_refusal(chosen, current.status))
        errors = Errors()
        planned = _PLANS[chosen.name](current, data or {}, errors)
        errors.raise_if_any()
        updates = planned.updates
        complaints = updates.pop("complaints", None)
        status_before = current.status
        for name, value in updates.items():
            setattr(current, name, value)
        current.status = rules.next_status(chosen, status_before, current.check_result)
        current.save()
        if complaints is not None:
            current.complaints.set(complaints)
        event = append_event(
            improvement=current,
            event_type=chosen.event,
            actor=actor,
            occurred_on=planned.occurred_on or local_today(current.organisation),
            status_before=status_before,
            data={key: value for key, value in planned.data.items() if value != ""},
        )
    action.refresh_from_db()
    return event
