"""Keeping the record: correcting it, and adding actions, notes and documents."""

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reclamations.complaints.actions.inputs import (
    METADATA_KEY,
    FieldKind,
    InputField,
    Reading,
    choice,
    day,
    long_text,
    moment,
    text,
)
from reclamations.complaints.actions.spec import (
    ANY_STATUS,
    OPEN_OR_REPLIED,
    STAYS,
    ActionSpec,
    Context,
    DocumentSlot,
    Plan,
    Shown,
)
from reclamations.complaints.enums import STAFF_DOCUMENT_ROLES, DocumentRole, EventType
from reclamations.complaints.fields import DETAIL_FIELDS, choices_of, max_length, model_field
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.validation import (
    Errors,
    check_details,
    check_reception_moment,
    clean_text,
    derived_client_type,
)
from reclamations.complaints.workflow import Next


def _detail(name: str) -> Any:
    """A detail field as the model defines it: label, length, choices."""
    field = model_field(name)
    label = str(field.verbose_name)
    choices = choices_of(name)
    if choices:
        spec = InputField(FieldKind.CHOICE, label, choices=tuple(choices), blank="")
    elif isinstance(field, models.TextField):
        # The postal address takes several lines but is no comment about the client.
        spec = InputField(FieldKind.LONG_TEXT, label, free_text=name != "client_address")
    else:
        spec = InputField(FieldKind.TEXT, label, max_length=max_length(name))
    return dataclasses.field(default=None, metadata={METADATA_KEY: spec})


# Every detail field, None when not given: a field left out is a field left as it is.
UpdateDetailsInput = dataclasses.make_dataclass(
    "UpdateDetailsInput",
    [
        *[(name, str | None, _detail(name)) for name in DETAIL_FIELDS],
        ("received_at", datetime | None, moment(gettext_noop("Date de réception"))),
        (
            "reason",
            str,
            long_text(
                gettext_noop("Motif de la modification"),
                help=gettext_noop("Obligatoire si la date de réception est corrigée."),
                rows=2,
            ),
        ),
    ],
    frozen=True,
)


class DetailsGiven(Protocol):
    """What the plan reads of an UpdateDetailsInput by name; each detail field (str | None)
    is read with getattr, as DETAIL_FIELDS lists them."""

    @property
    def received_at(self) -> datetime | None: ...

    @property
    def reason(self) -> str: ...


def _read_details(raw: Mapping[str, Any], reading: Reading) -> DetailsGiven:
    values: dict[str, Any] = {name: clean_text(raw[name]) for name in DETAIL_FIELDS if name in raw}
    received_at = raw.get("received_at")
    if isinstance(received_at, str) and received_at:
        try:
            received_at = datetime.fromisoformat(received_at)
        except ValueError:
            reading.errors.add(
                "received_at", _("Date de réception invalide (format ISO 8601 attendu).")
            )
            received_at = None
    values["received_at"] = received_at or None
    values["reason"] = clean_text(raw.get("reason"))
    given: DetailsGiven = UpdateDetailsInput(**values)  # make_dataclass's class is a `type`
    return given


def _reception_changes(
    context: Context, received_at: datetime, reason: str, errors: Errors
) -> dict[str, Any]:
    complaint = context.complaint
    if not reason:
        errors.add("reason", _("Indiquez pourquoi la date de réception est corrigée."))
    received_on = check_reception_moment(complaint.organisation, received_at, errors)
    if received_on is None:
        return {}
    changes: dict[str, Any] = {"received_at": received_at, "received_on": received_on}
    if complaint.clock_started_on == complaint.received_on:
        policy = deadline_policy(complaint.organisation)
        changes["clock_started_on"] = received_on
        changes["due_date"] = policy.due_date_for(received_on)
    return changes


def _plan_update_details(context: Context, given: DetailsGiven, errors: Errors) -> Plan:
    complaint = context.complaint
    wanted = {
        name: getattr(given, name) for name in DETAIL_FIELDS if getattr(given, name) is not None
    }
    check_details({**{n: getattr(complaint, n) for n in DETAIL_FIELDS}, **wanted}, errors)
    if "funding" in wanted and "client_type" not in wanted:
        wanted["client_type"] = derived_client_type(wanted["funding"], "") or complaint.client_type
    if given.received_at is not None and given.received_at != complaint.received_at:
        wanted.update(_reception_changes(context, given.received_at, given.reason, errors))
    changes = {
        name: [getattr(complaint, name), value]
        for name, value in wanted.items()
        if getattr(complaint, name) != value
    }
    if not changes and not errors:
        errors.add("__all__", _("Aucune modification : la fiche est déjà dans cet état."))
    return Plan(
        context.today,
        updates={name: after for name, (_before, after) in changes.items()},
        data={"changes": changes, "reason": given.reason},
    )


UPDATE_DETAILS = ActionSpec(
    name="update_details",
    label=_("Modifier la fiche"),
    done=_("fiche modifiée."),
    intro=_(
        "Chaque modification est conservée dans la chronologie avec l'ancienne et la "
        "nouvelle valeur."
    ),
    allowed_in=OPEN_OR_REPLIED,
    leads_to=Next.RECHECK,
    input=UpdateDetailsInput,
    read=_read_details,
    plan=_plan_update_details,
    event=EventType.DETAILS_UPDATED,
    shows={"reason": Shown(_("Motif"))},
    records_changes=False,  # its data already says each change, before and after
)


@dataclasses.dataclass(frozen=True)
class AddActionInput:
    description: str = long_text(
        gettext_noop("Action menée"), required=gettext_noop("Décrivez l'action menée."), rows=4
    )
    done_on: date = day(gettext_noop("Menée le"))
    done_by: str = text(
        gettext_noop("Menée par"),
        max_length=200,
        initial=lambda complaint, actor: actor.display_name,
    )


def _plan_add_action(context: Context, given: AddActionInput, errors: Errors) -> Plan:
    return Plan(given.done_on, data={"description": given.description, "done_by": given.done_by})


ADD_ACTION = ActionSpec(
    name="add_action",
    label=_("Ajouter une action"),
    done=_("action enregistrée."),
    intro=_("Une action menée pour traiter la réclamation : elle figure au registre, datée."),
    allowed_in=OPEN_OR_REPLIED,
    leads_to=STAYS,
    input=AddActionInput,
    plan=_plan_add_action,
    event=EventType.ACTION_ADDED,
    shows={"description": Shown(_("Description")), "done_by": Shown(_("Réalisée par"))},
    document=DocumentSlot(gettext_noop("Pièce justificative"), DocumentRole.ATTACHMENT),
)


def _organisation_causes(complaint: Complaint) -> tuple[str, ...]:
    causes: tuple[str, ...] = complaint.organisation.causes
    # A cause chosen earlier and since removed from the list stays the complaint's own.
    return (
        causes if not complaint.cause or complaint.cause in causes else (*causes, complaint.cause)
    )


@dataclasses.dataclass(frozen=True)
class AnalyseCauseInput:
    cause: str = choice(
        gettext_noop("Cause"),
        (),
        options=_organisation_causes,
        blank=gettext_noop("Choisissez la cause"),
        required=gettext_noop("Choisissez la cause de la réclamation."),
        noun=gettext_noop("la cause"),
        help=gettext_noop("La liste est celle des réglages de l'organisme."),
        initial=lambda complaint, actor: complaint.cause,
    )
    cause_analysis: str = long_text(
        gettext_noop("Analyse"),
        help=gettext_noop(
            "Ce qui s'est passé et pourquoi : ce que l'action d'amélioration devra corriger."
        ),
        rows=4,
        initial=lambda complaint, actor: complaint.cause_analysis,
    )


def _plan_analyse_cause(context: Context, given: AnalyseCauseInput, errors: Errors) -> Plan:
    wanted = {"cause": given.cause, "cause_analysis": given.cause_analysis}
    complaint = context.complaint
    updates = {name: value for name, value in wanted.items() if getattr(complaint, name) != value}
    if not updates and not errors:
        errors.add(
            "__all__", _("Aucune modification : cette cause et cette analyse sont déjà notées.")
        )
    return Plan(context.today, updates=updates, data={"cause": given.cause})


ANALYSE_CAUSE = ActionSpec(
    name="analyse_cause",
    label=_("Analyser la cause"),
    done=_("cause notée."),
    intro=_(
        "La cause d'une réclamation nourrit les statistiques et le plan d'amélioration "
        "(Qualiopi, indicateur 32). Elle peut être notée ou corrigée à tout moment, même après "
        "la clôture."
    ),
    allowed_in=ANY_STATUS,
    leads_to=STAYS,
    input=AnalyseCauseInput,
    plan=_plan_analyse_cause,
    event=EventType.CAUSE_ANALYSED,
    shows={"cause": Shown(_("Cause"))},
)


@dataclasses.dataclass(frozen=True)
class AddNoteInput:
    text: str = long_text(gettext_noop("Note"), required=gettext_noop("La note est vide."), rows=5)


def _plan_add_note(context: Context, given: AddNoteInput, errors: Errors) -> Plan:
    return Plan(context.today, data={"text": given.text})


ADD_NOTE = ActionSpec(
    name="add_note",
    label=_("Ajouter une note"),
    done=_("note ajoutée."),
    intro=_("Une note interne, conservée dans la chronologie."),
    allowed_in=ANY_STATUS,
    leads_to=STAYS,
    input=AddNoteInput,
    plan=_plan_add_note,
    event=EventType.NOTE_ADDED,
    shows={"text": Shown(_("Texte"))},
)


@dataclasses.dataclass(frozen=True)
class AddDocumentInput:
    role: str = choice(
        gettext_noop("Nature du document"),
        STAFF_DOCUMENT_ROLES,
        noun=gettext_noop("la nature"),
        default=DocumentRole.ATTACHMENT,
    )
    description: str = text(gettext_noop("Description"), max_length=300)


def _plan_add_document(context: Context, given: AddDocumentInput, errors: Errors) -> Plan:
    return Plan(
        context.today,
        data={"role": given.role, "description": given.description},
        document_role=given.role,
    )


ADD_DOCUMENT = ActionSpec(
    name="add_document",
    label=_("Joindre un document"),
    done=_("document joint."),
    intro=_("Le fichier est conservé tel quel, avec sa taille et son empreinte SHA-256."),
    allowed_in=ANY_STATUS,
    leads_to=STAYS,
    input=AddDocumentInput,
    plan=_plan_add_document,
    event=EventType.DOCUMENT_ADDED,
    shows={
        "role": Shown(_("Nature du document"), dict(DocumentRole.choices)),
        "description": Shown(_("Description")),
    },
    document=DocumentSlot(
        gettext_noop("Document"), DocumentRole.ATTACHMENT, required=True, first=True
    ),
)
