"""`complaint_apply`: the one door through which a registered complaint changes.

Views, the API, intake and commands call it; nothing else changes a complaint's state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy

from reclamations.complaints import chain
from reclamations.complaints.actions import ActionSpec, ComplaintState, parse_action
from reclamations.complaints.actions.inputs import Reading, read_input
from reclamations.complaints.actions.spec import Context, Input, Plan
from reclamations.complaints.chronology import append_event, document_data, locked
from reclamations.complaints.documents import human_size, store_document
from reclamations.complaints.enums import DocumentRole
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.notifications.sending import NO_ADDRESS_MESSAGE
from reclamations.complaints.validation import GENERAL, Errors, check_file, refuse_unstorable
from reclamations.complaints.workflow import WorkflowError, next_status
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_today
from reclamations.core.models import User


def read_and_plan(
    spec: ActionSpec[Input],
    complaint: Complaint,
    actor: User | None,
    raw: Mapping[str, Any],
    document: File[bytes] | None,
    *,
    today: date,
    enclosures: Sequence[File[bytes]] = (),
) -> tuple[Input, Plan]:
    """The typed input and the plan of `spec` for `complaint` as it is, or a ValidationError
    with every problem found. Writes nothing (the benchmark's simulator plays it in memory)."""
    refuse_unstorable(raw)
    errors = Errors()
    reading = Reading(complaint=complaint, actor=actor, today=today, errors=errors)
    given = spec.read(raw, reading) if spec.read else read_input(spec.input, raw, reading)
    context = Context(
        complaint=complaint,
        actor=actor,
        today=today,
        has_document=bool(document),
        enclosures=len(enclosures),
    )
    plan = spec.plan(context, given, errors)
    if spec.document and spec.document.required and document is None:
        errors.add("document", "Choisissez le fichier à joindre.")
    check_file(document, "document", errors)
    check_enclosures(spec, enclosures, errors)
    if spec.needs_client_email and not complaint.client_email:
        errors.add(GENERAL, NO_ADDRESS_MESSAGE)
    errors.raise_if_any()
    return given, plan


MAX_ENCLOSURES = 10
# What the files of one message may weigh together: base64 makes them a third heavier, and
# many mail servers refuse a message over 25 MB.
ENCLOSURES_MAX_BYTES = 15 * 1024 * 1024


def check_enclosures(
    spec: ActionSpec[Any], enclosures: Sequence[File[bytes]], errors: Errors
) -> None:
    """The files sent with the action's message: allowed by the action, each of a type staff
    may attach, not too many, not too heavy together."""
    if not enclosures:
        return
    if not spec.encloses:
        errors.add(GENERAL, f"L'action « {spec.label} » n'envoie pas de pièce jointe.")
        return
    if len(enclosures) > MAX_ENCLOSURES:
        errors.add(
            "enclosures",
            f"{len(enclosures)} fichiers choisis : {MAX_ENCLOSURES} au plus partent avec un "
            "message ; regroupez-les (une archive PDF) ou envoyez-les en deux fois.",
        )
    total = sum(upload.size or 0 for upload in enclosures)
    if total > ENCLOSURES_MAX_BYTES:
        errors.add(
            "enclosures",
            f"Les pièces jointes pèsent {human_size(total)} ensemble, plus que les "
            f"{human_size(ENCLOSURES_MAX_BYTES)} qu'un e-mail porte sans risque d'être refusé : "
            "retirez-en ou allégez-les.",
        )
    for upload in enclosures:
        check_file(upload, "enclosures", errors)


def change(complaint: Complaint, spec: ActionSpec[Any], plan: Plan) -> str:
    """Apply the plan's updates and the next status to `complaint` in memory; the status it
    had before."""
    status_before = complaint.status
    for name, value in plan.updates.items():
        setattr(complaint, name, value)
    complaint.status = next_status(
        status_before,
        spec.leads_to,
        complete=not complaint.missing_fields,
        confirmation_pending=complaint.confirmation_pending,
    )
    return status_before


# A complaint's columns, read before an action and compared after it: the action writes those
# it changed (and `updated_at`, as every save does). Writing every column made the UPDATE twice
# as costly to build, at every action (an e-mail's attachment, a reply: bench/README.md,
# import-eml); the row is locked, so the others hold what was read.
_COLUMNS = tuple(
    field.attname for field in Complaint._meta.concrete_fields if not field.primary_key
)


def _column_values(complaint: Complaint) -> dict[str, Any]:
    return {name: getattr(complaint, name) for name in _COLUMNS}


def _changed_columns(complaint: Complaint, before: Mapping[str, Any]) -> list[str]:
    """The columns of `complaint` whose value differs from `before`, and `updated_at`."""
    changed = [name for name, value in before.items() if getattr(complaint, name) != value]
    return [*changed, "updated_at"]


def event_data(spec: ActionSpec[Any], plan: Plan, stored: Document | None) -> dict[str, Any]:
    """What the action's event says: its plan's data, the document stored, the changes."""
    data = {**plan.data, **document_data(stored)}
    if plan.updates and spec.records_changes:
        data["changes"] = chain.to_json_value(dict(plan.updates))
    return data


def document_role(spec: ActionSpec[Any], plan: Plan) -> str:
    """What the action's document is: as its plan says, else as its slot says."""
    role = plan.document_role or (spec.document.role if spec.document else "")
    return role or DocumentRole.ATTACHMENT


def _store(
    spec: ActionSpec[Any],
    complaint: Complaint,
    plan: Plan,
    actor: User | None,
    document: File[bytes] | None,
    *,
    printed: bool = False,
) -> Document | None:
    if document is None:
        return None
    return store_document(
        complaint=complaint,
        upload=document,
        role=document_role(spec, plan),
        created_by=actor,
        created_at=timezone.now(),
        to_post=printed,
    )


def _store_enclosures(
    complaint: Complaint, actor: User | None, enclosures: Sequence[File[bytes]]
) -> list[Document]:
    now = timezone.now()
    return [
        store_document(
            complaint=complaint,
            upload=upload,
            role=DocumentRole.ENCLOSURE,
            created_by=actor,
            created_at=now,
        )
        for upload in enclosures
    ]


def _refusal_text(spec: ActionSpec[Any], state: ComplaintState) -> str:
    return spec.refusal(state) or ""


# ActionSpec.refusal read again in the language active when the message is shown.
_lazy_refusal = lazy(_refusal_text, str)


@in_french
def complaint_apply(
    *,
    complaint: Complaint,
    actor: User | None,
    action: ActionSpec[Any] | str,
    data: Mapping[str, Any] | None = None,
    document: File[bytes] | None = None,
    enclosures: Sequence[File[bytes]] = (),
) -> ComplaintEvent:
    """Apply a workflow action: lock, check it is allowed now, read its input, change the
    complaint, store its document (and the files its message encloses), queue its message
    and write its event; all or nothing.

    Raises WorkflowError (French reason) when the complaint cannot take the action now, and
    ValidationError (field -> French messages) when the action's data are wrong.
    """
    spec = action if isinstance(action, ActionSpec) else parse_action(action)
    with transaction.atomic():
        current = locked(complaint)
        as_read = _column_values(current)
        state = ComplaintState.of(current)
        if spec.refusal(state):
            # Worded when read: French for the API and the logs (the door runs in French),
            # the page's language on a page.
            raise WorkflowError(_lazy_refusal(spec, state))
        given, plan = read_and_plan(
            spec,
            current,
            actor,
            data or {},
            document,
            today=local_today(current.organisation),
            enclosures=enclosures,
        )
        status_before = change(current, spec, plan)
        enclosed = _store_enclosures(current, actor, enclosures)
        printed = None
        if document is None and spec.prints is not None:
            printed = spec.prints(current, given, enclosed)
        if printed is not None:
            current.letters_to_post += 1  # until record_posting says it went
        current.save(update_fields=_changed_columns(current, as_read))
        stored = _store(
            spec, current, plan, actor, document or printed, printed=printed is not None
        )
        recorded = event_data(spec, plan, stored)
        if enclosed:
            recorded["enclosures"] = [document_data(item)["document"] for item in enclosed]
        if spec.send is not None:
            recorded.update(spec.send(current, given, enclosed))
        event = append_event(
            complaint=current,
            event_type=spec.event,
            actor=actor,
            occurred_on=plan.occurred_on,
            status_before=status_before,
            data=recorded,
            document=stored,
        )
    complaint.refresh_from_db()
    return event
