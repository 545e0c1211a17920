"""Every write to a complaint goes through here: one transaction, one chronology event each.

Views, the API and commands call `complaint_register` and `complaint_apply`; nothing else
changes a complaint's state.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from reclamations.complaints import chain
from reclamations.complaints.deadlines import DeadlinePolicy, extend_for_suspension
from reclamations.complaints.documents import EmailMessageFile, check_upload, store_document
from reclamations.complaints.enums import (
    CLIENT_TYPE_BY_FUNDING,
    STAFF_DOCUMENT_ROLES,
    Category,
    Channel,
    ClientAcceptance,
    ClientType,
    DocumentRole,
    EventType,
    Funding,
    Kind,
    Outcome,
    ReplyChannel,
    RequestChannel,
    Severity,
    Status,
)
from reclamations.complaints.models import (
    ChainHead,
    Complaint,
    ComplaintEvent,
    Document,
    ReferenceCounter,
)
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.workflow import (
    Action,
    WorkflowError,
    next_status,
    treatment_status,
)
from reclamations.core.localtime import local_date, local_today
from reclamations.core.models import Organisation, User
from reclamations.core.procedure import PhoneClock
from reclamations.outbox import hooks as outbox_hooks
from reclamations.outbox.models import OutgoingMessage

# Clocks disagree by a little; a reception "in the future" beyond this is a typing error.
CLOCK_SKEW = timedelta(minutes=5)

DETAIL_FIELDS = (
    "client_name",
    "client_account",
    "client_type",
    "funding",
    "client_email",
    "client_phone",
    "client_address",
    "training",
    "description",
    "remedy_sought",
    "kind",
    "not_admissible_reason",
    "category",
    "severity",
)
CHOICE_FIELDS = {
    "client_type": ClientType,
    "funding": Funding,
    "kind": Kind,
    "category": Category,
    "severity": Severity,
}
# Fields that an answer from the client may complete.
COMPLETABLE_FIELDS = ("client_name", "client_account", "description")


@dataclass(frozen=True)
class NewComplaint:
    """What staff (or an integration) know of a complaint when it arrives."""

    channel: str
    received_at: datetime
    client_name: str = ""
    client_account: str = ""
    client_type: str = ""
    funding: str = ""
    client_email: str = ""
    client_phone: str = ""
    client_address: str = ""
    training: str = ""
    description: str = ""
    remedy_sought: str = ""
    kind: str = Kind.COMPLAINT
    not_admissible_reason: str = ""
    category: str = ""
    severity: str = Severity.MEDIUM
    backdating_reason: str = ""
    confirmation_requested_via: str = RequestChannel.EMAIL
    extra: dict[str, Any] = field(default_factory=dict)


def _actor_name(actor: User | None) -> str:
    return actor.display_name if actor is not None else "Système"


def _clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _check_choice(errors: dict[str, list[str]], name: str, value: str, allow_blank: bool) -> None:
    choices = CHOICE_FIELDS[name]
    if value == "" and allow_blank:
        return
    if value == "":
        errors.setdefault(name, []).append(
            f"Champ obligatoire. Valeurs admises : {', '.join(choices.values)}."
        )
    elif value not in choices.values:
        allowed = ", ".join(choices.values)
        errors.setdefault(name, []).append(
            f"Valeur « {value} » inconnue. Valeurs admises : {allowed}."
        )


def _validate_details(values: dict[str, str], errors: dict[str, list[str]]) -> None:
    for name in ("client_type", "funding", "category"):
        if name in values:
            _check_choice(errors, name, values[name], allow_blank=True)
    for name in ("kind", "severity"):
        if name in values:
            _check_choice(errors, name, values[name], allow_blank=False)
    if values.get("client_email"):
        try:
            validate_email(values["client_email"])
        except ValidationError:
            errors.setdefault("client_email", []).append(
                "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
            )
    if values.get("kind") == Kind.NOT_ADMISSIBLE and not values.get("not_admissible_reason"):
        errors.setdefault("not_admissible_reason", []).append(
            "Indiquez pourquoi la demande n'est pas une réclamation recevable."
        )
    limits = {"client_name": 200, "client_account": 200, "client_phone": 40, "training": 300}
    for name, limit in limits.items():
        if len(values.get(name, "")) > limit:
            errors.setdefault(name, []).append(f"{limit} caractères au plus.")


def _derived_client_type(funding: str, client_type: str) -> str:
    return client_type or CLIENT_TYPE_BY_FUNDING.get(funding, "")


def _check_reception(
    organisation: Organisation,
    received_at: datetime | None,
    backdating_reason: str,
    errors: dict[str, list[str]],
) -> date | None:
    if received_at is None:
        errors.setdefault("received_at", []).append("Indiquez la date et l'heure de réception.")
        return None
    if timezone.is_naive(received_at):
        errors.setdefault("received_at", []).append(
            "La date de réception doit préciser son fuseau horaire."
        )
        return None
    if received_at > timezone.now() + CLOCK_SKEW:
        errors.setdefault("received_at", []).append(
            "La date de réception est dans le futur : corrigez-la."
        )
        return None
    received_on = local_date(organisation, received_at)
    if received_on < local_today(organisation) and not backdating_reason:
        errors.setdefault("backdating_reason", []).append(
            "La réception est antérieure à aujourd'hui : indiquez pourquoi elle est "
            "enregistrée maintenant (ce motif est conservé dans la chronologie)."
        )
    return received_on


def _check_file(upload: File | None, name: str, errors: dict[str, list[str]]) -> None:
    if upload is None or isinstance(upload, EmailMessageFile):
        return
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    try:
        check_upload(name=upload.name or "document", head=head, size=upload.size)
    except ValidationError as exc:
        errors.setdefault(name, []).extend(exc.messages)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _locked(complaint: Complaint) -> Complaint:
    """The complaint read again under a row lock held until the transaction ends."""
    return Complaint.objects.select_for_update().select_related("organisation").get(pk=complaint.pk)


# One statement takes the row lock, increments and reads the number (SQLite 3.35+ and PostgreSQL
# know RETURNING): a number is never given twice, and every registration saves a round trip.
_NEXT_NUMBER_SQL = (
    f"UPDATE {ReferenceCounter._meta.db_table} SET last_number = last_number + 1 "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND year = %s RETURNING last_number"
)


def _allocate_reference(organisation: Organisation, year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER_SQL, [organisation.pk, year])
        row = cursor.fetchone()
        if row is None:
            # The year's first reference (created only then). Another process may be creating
            # it too: the loser's insert is ignored, and both then queue on the row lock.
            ReferenceCounter.objects.bulk_create(
                [ReferenceCounter(organisation=organisation, year=year)], ignore_conflicts=True
            )
            cursor.execute(_NEXT_NUMBER_SQL, [organisation.pk, year])
            row = cursor.fetchone()
    return f"{organisation.reference_prefix}-{year}-{row[0]:04d}"


# The chain head is advanced by one statement that locks its row until the transaction ends and
# returns the new sequence with the previous event's hash; the new hash is written after.
_ADVANCE_HEAD_SQL = (
    f"UPDATE {ChainHead._meta.db_table} SET last_sequence = last_sequence + 1 "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s RETURNING last_sequence, last_hash"
)
_SET_HEAD_HASH_SQL = (
    f"UPDATE {ChainHead._meta.db_table} SET last_hash = %s "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s"
)


def _append_event(
    *,
    complaint: Complaint,
    event_type: str,
    actor: User | None,
    occurred_on: date,
    status_before: str,
    data: dict[str, Any],
    document: Document | None = None,
) -> ComplaintEvent:
    """Write the next link of the organisation's chain. Call inside the transaction."""
    organisation_id = complaint.organisation_id
    with connection.cursor() as cursor:
        cursor.execute(_ADVANCE_HEAD_SQL, [organisation_id])
        row = cursor.fetchone()
        if row is None:
            # The organisation's first event (as for the reference counter: created only then).
            ChainHead.objects.bulk_create(
                [ChainHead(organisation_id=organisation_id, last_hash=chain.GENESIS_HASH)],
                ignore_conflicts=True,
            )
            cursor.execute(_ADVANCE_HEAD_SQL, [organisation_id])
            row = cursor.fetchone()
    sequence, previous_hash = row
    recorded_at = timezone.now()
    content = chain.EventContent(
        sequence=sequence,
        organisation_id=complaint.organisation_id,
        complaint_reference=complaint.reference,
        event_type=event_type,
        actor_name=_actor_name(actor),
        occurred_on=occurred_on.isoformat(),
        recorded_at=recorded_at.isoformat(),
        status_before=status_before,
        status_after=complaint.status,
        data=chain.to_json_value(data),
        document_sha256=document.sha256 if document else "",
    )
    digest = chain.event_hash(content, previous_hash)
    event = ComplaintEvent.objects.create(
        organisation_id=complaint.organisation_id,
        sequence=content.sequence,
        complaint=complaint,
        event_type=event_type,
        actor=actor,
        actor_name=content.actor_name,
        occurred_on=occurred_on,
        recorded_at=recorded_at,
        status_before=status_before,
        status_after=complaint.status,
        data=content.data,
        document=document,
        previous_hash=previous_hash,
        hash=digest,
    )
    with connection.cursor() as cursor:
        cursor.execute(_SET_HEAD_HASH_SQL, [digest, organisation_id])
    return event


def _document_data(document: Document | None) -> dict[str, Any]:
    if document is None:
        return {}
    return {
        "document": {
            "name": document.original_name,
            "type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
        }
    }


def complaint_register(
    *,
    organisation: Organisation,
    actor: User | None,
    complaint: NewComplaint,
    original: File | None = None,
) -> Complaint:
    """Register a complaint as received: reference, status, due date, first events."""
    registered, _document = complaint_register_with_original(
        organisation=organisation, actor=actor, complaint=complaint, original=original
    )
    return registered


def complaint_register_with_original(
    *,
    organisation: Organisation,
    actor: User | None,
    complaint: NewComplaint,
    original: File | None = None,
) -> tuple[Complaint, Document | None]:
    """complaint_register, also returning the Document stored from `original` (None without
    one): the mail intake links its record to it without reading it back, once per message."""
    values = {name: _clean_text(getattr(complaint, name)) for name in DETAIL_FIELDS}
    backdating_reason = _clean_text(complaint.backdating_reason)
    errors: dict[str, list[str]] = {}
    if complaint.channel not in Channel.values:
        errors["channel"] = [f"Canal inconnu. Valeurs admises : {', '.join(Channel.values)}."]
    _validate_details(values, errors)
    received_on = _check_reception(organisation, complaint.received_at, backdating_reason, errors)
    if complaint.channel == Channel.PHONE and (
        complaint.confirmation_requested_via not in RequestChannel.values
    ):
        errors["confirmation_requested_via"] = ["Indiquez comment la confirmation est demandée."]
    _check_file(original, "original", errors)
    _raise_if(errors)
    assert received_on is not None

    values["client_type"] = _derived_client_type(values["funding"], values["client_type"])
    policy = deadline_policy(organisation)
    is_phone = complaint.channel == Channel.PHONE
    clock_waits_for_confirmation = (
        is_phone and policy.phone_clock_starts_at == PhoneClock.CONFIRMATION
    )
    clock_started_on = None if clock_waits_for_confirmation else received_on
    now = timezone.now()

    with transaction.atomic():
        record = Complaint(
            organisation=organisation,
            reference=_allocate_reference(organisation, local_date(organisation, now).year),
            channel=complaint.channel,
            received_at=complaint.received_at,
            received_on=received_on,
            backdating_reason=backdating_reason,
            registered_by=actor,
            procedure_version=organisation.procedure_version,
            clock_started_on=clock_started_on,
            due_date=policy.due_date_for(clock_started_on) if clock_started_on else None,
            confirmation_pending=is_phone,
            **values,
        )
        if values["kind"] == Kind.NOT_ADMISSIBLE:
            record.status = Status.CLOSED
            record.outcome = Outcome.NOT_ADMISSIBLE
            record.closed_on = local_date(organisation, now)
            record.confirmation_pending = False
        else:
            record.status = treatment_status(
                complete=not record.missing_fields, confirmation_pending=record.confirmation_pending
            )
        record.save()
        document = None
        if original is not None:
            document = store_document(
                complaint=record,
                upload=original,
                role=DocumentRole.ORIGINAL,
                created_by=actor,
                created_at=now,
            )
        data: dict[str, Any] = {
            "channel": record.channel,
            "received_at": record.received_at.isoformat(),
            "due_date": record.due_date.isoformat() if record.due_date else None,
            "fields": values,
            **_document_data(document),
            **complaint.extra,
        }
        if backdating_reason:
            data["backdating_reason"] = backdating_reason
        if record.missing_fields:
            data["missing"] = record.missing_fields
        inbound_id = str(complaint.extra.get("message_id") or "")
        data.update(outbox_hooks.on_register(complaint=record, inbound_message_id=inbound_id))
        _append_event(
            complaint=record,
            event_type=EventType.REGISTERED,
            actor=actor,
            occurred_on=received_on,
            status_before="",
            data=data,
            document=document,
        )
        if is_phone and record.kind != Kind.NOT_ADMISSIBLE:
            _append_event(
                complaint=record,
                event_type=EventType.CONFIRMATION_REQUESTED,
                actor=actor,
                occurred_on=local_date(organisation, now),
                status_before=record.status,
                data={
                    "sent_via": complaint.confirmation_requested_via,
                    **outbox_hooks.on_confirmation_requested(
                        complaint=record, via=complaint.confirmation_requested_via
                    ),
                },
            )
    return record, document


@dataclass
class _Plan:
    """What an action will change, worked out before anything is written."""

    event_type: str
    occurred_on: date
    updates: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    document_role: str | None = None


class _Payload:
    """Reads an action's fields, collecting French messages instead of failing at the first."""

    def __init__(self, raw: dict[str, Any], complaint: Complaint, today: date) -> None:
        self.raw = raw
        self.complaint = complaint
        self.today = today
        self.errors: dict[str, list[str]] = {}

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def text(self, name: str, *, required: str = "", default: str = "") -> str:
        value = _clean_text(self.raw.get(name, default))
        if required and not value:
            self.error(name, required)
        return value

    def choice(self, name: str, choices: type, *, default: str = "", label: str) -> str:
        value = _clean_text(self.raw.get(name)) or default
        if value not in choices.values:
            self.error(name, f"Choisissez {label} parmi : {', '.join(choices.labels)}.")
        return value

    def day(self, name: str, *, not_before_reception: bool = True) -> date:
        raw = self.raw.get(name)
        if raw in (None, ""):
            return self.today
        if isinstance(raw, datetime):
            value = local_date(self.complaint.organisation, raw)
        elif isinstance(raw, date):
            value = raw
        else:
            try:
                value = date.fromisoformat(str(raw))
            except ValueError:
                self.error(name, "Date invalide : utilisez le format AAAA-MM-JJ.")
                return self.today
        if value > self.today:
            self.error(name, "Cette date est dans le futur : indiquez la date réelle.")
        if not_before_reception and value < self.complaint.received_on:
            self.error(
                name,
                "Cette date précède la réception de la réclamation "
                f"({self.complaint.received_on:%d/%m/%Y}).",
            )
        return value


def _completed_fields(payload: _Payload) -> dict[str, str]:
    """Registration fields the client's answer fills in (only those given)."""
    return {
        name: _clean_text(payload.raw[name])
        for name in COMPLETABLE_FIELDS
        if _clean_text(payload.raw.get(name))
    }


def _changes(complaint: Complaint, updates: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [getattr(complaint, name), value]
        for name, value in updates.items()
        if getattr(complaint, name) != value
    }


def _plan_request_information(p: _Payload) -> _Plan:
    sent_on = p.day("sent_on")
    return _Plan(
        EventType.INFORMATION_REQUESTED,
        sent_on,
        updates={"information_requested_on": sent_on},
        data={
            "missing": p.text("missing", required="Précisez les informations qui manquent."),
            "sent_via": p.choice("sent_via", RequestChannel, label="le moyen d'envoi"),
            "message": p.text("message"),
        },
    )


def _plan_record_information(p: _Payload) -> _Plan:
    received_on = p.day("received_on")
    updates: dict[str, Any] = {**_completed_fields(p), "information_requested_on": None}
    policy = deadline_policy(p.complaint.organisation)
    complaint = p.complaint
    requested_on = complaint.information_requested_on
    if requested_on and received_on < requested_on:
        p.error(
            "received_on",
            f"Cette date précède la demande d'informations ({requested_on:%d/%m/%Y}).",
        )
    elif policy.suspend_while_awaiting_information and complaint.due_date and requested_on:
        updates["due_date"] = _extend(policy, complaint, received_on)
    return _Plan(
        EventType.INFORMATION_RECEIVED,
        received_on,
        updates=updates,
        data={
            "summary": p.text("summary", required="Résumez les informations reçues du client."),
        },
        document_role=DocumentRole.INFORMATION,
    )


def _extend(policy: DeadlinePolicy, complaint: Complaint, answered_on: date) -> date:
    return extend_for_suspension(
        complaint.due_date,
        suspended_from=complaint.information_requested_on,
        suspended_to=answered_on,
        calendar=policy.calendar,
        carry_saturday=policy.carry_saturday,
    )


def _plan_record_confirmation(p: _Payload) -> _Plan:
    received_on = p.day("received_on")
    updates: dict[str, Any] = {**_completed_fields(p), "confirmation_pending": False}
    if p.complaint.clock_started_on is None:
        policy = deadline_policy(p.complaint.organisation)
        updates["clock_started_on"] = received_on
        updates["due_date"] = policy.due_date_for(received_on)
    return _Plan(
        EventType.CONFIRMATION_RECEIVED,
        received_on,
        updates=updates,
        data={
            "via": p.choice("via", RequestChannel, default="email", label="le moyen de réception"),
            "summary": p.text("summary"),
        },
        document_role=DocumentRole.CONFIRMATION,
    )


def _plan_update_details(p: _Payload) -> _Plan:
    complaint = p.complaint
    given = {name: _clean_text(p.raw[name]) for name in DETAIL_FIELDS if name in p.raw}
    _validate_details({**{n: getattr(complaint, n) for n in DETAIL_FIELDS}, **given}, p.errors)
    if "funding" in given and "client_type" not in given:
        given["client_type"] = _derived_client_type(given["funding"], "") or complaint.client_type
    reason = p.text("reason")
    if "received_at" in p.raw and p.raw["received_at"] not in (None, ""):
        received_at = p.raw["received_at"]
        if isinstance(received_at, str):
            try:
                received_at = datetime.fromisoformat(received_at)
            except ValueError:
                p.error("received_at", "Date de réception invalide (format ISO 8601 attendu).")
                received_at = None
        if received_at is not None and received_at != complaint.received_at:
            if not reason:
                p.error("reason", "Indiquez pourquoi la date de réception est corrigée.")
            received_on = _check_reception(complaint.organisation, received_at, "-", p.errors)
            if received_on is not None:
                given["received_at"] = received_at
                given["received_on"] = received_on
                if complaint.clock_started_on == complaint.received_on:
                    policy = deadline_policy(complaint.organisation)
                    given["clock_started_on"] = received_on
                    given["due_date"] = policy.due_date_for(received_on)
    changes = _changes(complaint, given)
    if not changes and not p.errors:
        p.error("__all__", "Aucune modification : la fiche est déjà dans cet état.")
    return _Plan(
        EventType.DETAILS_UPDATED,
        p.today,
        updates={name: after for name, (_before, after) in changes.items()},
        data={"changes": changes, "reason": reason},
    )


def _plan_add_action(p: _Payload) -> _Plan:
    return _Plan(
        EventType.ACTION_ADDED,
        p.day("done_on"),
        data={
            "description": p.text("description", required="Décrivez l'action menée."),
            "done_by": p.text("done_by"),
        },
        document_role=DocumentRole.ATTACHMENT,
    )


def _plan_add_note(p: _Payload) -> _Plan:
    return _Plan(
        EventType.NOTE_ADDED,
        p.today,
        data={"text": p.text("text", required="La note est vide.")},
    )


def _plan_add_document(p: _Payload) -> _Plan:
    role = _clean_text(p.raw.get("role")) or DocumentRole.ATTACHMENT
    if role not in dict(STAFF_DOCUMENT_ROLES):
        labels = ", ".join(label for _value, label in STAFF_DOCUMENT_ROLES)
        p.error("role", f"Choisissez la nature parmi : {labels}.")
    return _Plan(
        EventType.DOCUMENT_ADDED,
        p.today,
        data={"role": role, "description": p.text("description")},
        document_role=role,
    )


def _plan_reply(p: _Payload) -> _Plan:
    replied_on = p.day("replied_on")
    complaint = p.complaint
    first = complaint.first_replied_on or replied_on
    on_time = complaint.due_date is None or first <= complaint.due_date
    text = p.text("text")
    if not text and not p.raw.get("_has_document"):
        p.error("text", "Saisissez le texte de la réponse ou joignez la copie envoyée.")
    return _Plan(
        EventType.REPLIED,
        replied_on,
        updates={
            "resolution": p.text("resolution", required="Décrivez la résolution retenue."),
            "replied_on": replied_on,
            "first_replied_on": first,
            "reply_channel": p.choice("channel", ReplyChannel, label="le canal de la réponse"),
            "replied_on_time": on_time,
        },
        data={
            "text": text,
            "due_date": complaint.due_date.isoformat() if complaint.due_date else None,
            "on_time": on_time,
        },
        document_role=DocumentRole.REPLY_COPY,
    )


def _plan_close(p: _Payload) -> _Plan:
    closed_on = p.day("closed_on")
    replied_on = p.complaint.replied_on
    if replied_on and closed_on < replied_on:
        p.error("closed_on", f"Cette date précède la réponse au client ({replied_on:%d/%m/%Y}).")
    outcome = p.text("outcome")
    if outcome not in (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED):
        p.error("outcome", "Choisissez l'issue : satisfaite, partiellement satisfaite ou rejetée.")
    acceptance = p.choice(
        "client_acceptance",
        ClientAcceptance,
        default=ClientAcceptance.UNKNOWN,
        label="la position du client",
    )
    return _Plan(
        EventType.CLOSED,
        closed_on,
        updates={"outcome": outcome, "closed_on": closed_on, "client_acceptance": acceptance},
        data={"comment": p.text("comment")},
    )


def _plan_declare_not_admissible(p: _Payload) -> _Plan:
    reason = p.text(
        "reason", required="Indiquez pourquoi la demande n'est pas une réclamation recevable."
    )
    return _Plan(
        EventType.DECLARED_NOT_ADMISSIBLE,
        p.today,
        updates={
            "kind": Kind.NOT_ADMISSIBLE,
            "not_admissible_reason": reason,
            "outcome": Outcome.NOT_ADMISSIBLE,
            "closed_on": p.today,
            "confirmation_pending": False,
        },
        data={"reason": reason},
    )


def _plan_reopen(p: _Payload) -> _Plan:
    updates: dict[str, Any] = {"outcome": "", "closed_on": None}
    if p.complaint.kind == Kind.NOT_ADMISSIBLE:
        updates.update(kind=Kind.COMPLAINT, not_admissible_reason="")
    return _Plan(
        EventType.REOPENED,
        p.today,
        updates=updates,
        data={
            "reason": p.text("reason", required="Indiquez pourquoi la réclamation est rouverte.")
        },
    )


def _plan_escalate_mediation(p: _Payload) -> _Plan:
    seized_on = p.day("seized_on")
    mediator = p.text("mediator", default=p.complaint.organisation.mediator_name)
    if not mediator:
        p.error("mediator", "Indiquez le médiateur saisi.")
    if p.complaint.mediation_seized_on:
        p.error("__all__", "Le médiateur a déjà été saisi pour cette réclamation.")
    return _Plan(
        EventType.MEDIATION_SEIZED,
        seized_on,
        updates={"mediation_seized_on": seized_on, "mediator": mediator},
        data={"mediator": mediator},
    )


def _plan_record_mediation_outcome(p: _Payload) -> _Plan:
    if not p.complaint.mediation_seized_on:
        raise WorkflowError("Aucune médiation n'est en cours pour cette réclamation.")
    outcome = p.text("outcome", required="Décrivez l'issue de la médiation.")
    return _Plan(
        EventType.MEDIATION_OUTCOME,
        p.day("decided_on"),
        updates={"mediation_outcome": outcome},
        data={"outcome": outcome},
    )


def _plan_escalate_litigation(p: _Payload) -> _Plan:
    started_on = p.day("started_on")
    court = p.text("court", default=p.complaint.organisation.court_name)
    if not court:
        p.error("court", "Indiquez la juridiction saisie.")
    if p.complaint.litigation_started_on:
        p.error("__all__", "Un contentieux est déjà enregistré pour cette réclamation.")
    return _Plan(
        EventType.LITIGATION_STARTED,
        started_on,
        updates={"litigation_started_on": started_on, "litigation_court": court},
        data={"court": court},
    )


def _plan_record_litigation_outcome(p: _Payload) -> _Plan:
    if not p.complaint.litigation_started_on:
        raise WorkflowError("Aucun contentieux n'est enregistré pour cette réclamation.")
    outcome = p.text("outcome", required="Décrivez l'issue du contentieux.")
    return _Plan(
        EventType.LITIGATION_OUTCOME,
        p.day("decided_on"),
        updates={"litigation_outcome": outcome},
        data={"outcome": outcome},
    )


def _plan_send_acknowledgement(p: _Payload) -> _Plan:
    # The message itself is queued by outbox_hooks.on_action, in the same transaction.
    return _Plan(EventType.ACKNOWLEDGEMENT_QUEUED, p.today)


def _plan_send_progress(p: _Payload) -> _Plan:
    return _Plan(EventType.PROGRESS_QUEUED, p.today, data={"note": p.text("note")})


_PLANNERS = {
    Action.REQUEST_INFORMATION: _plan_request_information,
    Action.RECORD_INFORMATION: _plan_record_information,
    Action.RECORD_CONFIRMATION: _plan_record_confirmation,
    Action.UPDATE_DETAILS: _plan_update_details,
    Action.ADD_ACTION: _plan_add_action,
    Action.ADD_NOTE: _plan_add_note,
    Action.ADD_DOCUMENT: _plan_add_document,
    Action.REPLY: _plan_reply,
    Action.CLOSE: _plan_close,
    Action.DECLARE_NOT_ADMISSIBLE: _plan_declare_not_admissible,
    Action.REOPEN: _plan_reopen,
    Action.ESCALATE_MEDIATION: _plan_escalate_mediation,
    Action.RECORD_MEDIATION_OUTCOME: _plan_record_mediation_outcome,
    Action.ESCALATE_LITIGATION: _plan_escalate_litigation,
    Action.RECORD_LITIGATION_OUTCOME: _plan_record_litigation_outcome,
    Action.SEND_ACKNOWLEDGEMENT: _plan_send_acknowledgement,
    Action.SEND_PROGRESS: _plan_send_progress,
}


def parse_action(name: str) -> Action:
    try:
        return Action(name)
    except ValueError:
        known = ", ".join(action.value for action in Action)
        raise ValidationError(
            {"action": [f"Action inconnue « {name} ». Actions : {known}."]}
        ) from None


def complaint_apply(
    *,
    complaint: Complaint,
    actor: User | None,
    action: Action | str,
    data: dict[str, Any] | None = None,
    document: File | None = None,
) -> ComplaintEvent:
    """Apply a workflow action: lock, check the table, change, record the event; all or nothing.

    Raises WorkflowError when the complaint's status does not allow the action, and
    ValidationError (field -> French messages) when the action's data are wrong.
    """
    action = parse_action(action) if isinstance(action, str) else action
    if action == Action.ADD_DOCUMENT and document is None:
        raise ValidationError({"document": ["Choisissez le fichier à joindre."]})
    with transaction.atomic():
        locked = _locked(complaint)
        next_status(locked.status, action)  # refuses early what the table forbids
        payload = _Payload(
            {**(data or {}), "_has_document": document is not None},
            locked,
            local_today(locked.organisation),
        )
        plan = _PLANNERS[action](payload)
        _check_file(document, "document", payload.errors)
        outbox_hooks.check_action(
            complaint=locked, action=action, data=payload.raw, errors=payload.errors
        )
        _raise_if(payload.errors)
        status_before = locked.status
        for name, value in plan.updates.items():
            setattr(locked, name, value)
        locked.status = next_status(
            status_before,
            action,
            complete=not locked.missing_fields,
            confirmation_pending=locked.confirmation_pending,
        )
        locked.save()
        stored = None
        if document is not None:
            stored = store_document(
                complaint=locked,
                upload=document,
                role=plan.document_role or DocumentRole.ATTACHMENT,
                created_by=actor,
                created_at=timezone.now(),
            )
        event_data = {**plan.data, **_document_data(stored)}
        if plan.updates and action != Action.UPDATE_DETAILS:
            event_data["changes"] = chain.to_json_value(
                {name: value for name, value in plan.updates.items()}
            )
        event_data.update(outbox_hooks.on_action(complaint=locked, action=action, data=payload.raw))
        event = _append_event(
            complaint=locked,
            event_type=plan.event_type,
            actor=actor,
            occurred_on=plan.occurred_on,
            status_before=status_before,
            data=event_data,
            document=stored,
        )
    complaint.refresh_from_db()
    return event


# --- Inbound mail (intake) ---------------------------------------------------------------------

# Statuses in which a message from the client is what the complaint is waiting for.
AWAITING_CLIENT = frozenset({Status.AWAITING_INFORMATION, Status.AWAITING_CONFIRMATION})


def complaint_record_message(
    *,
    complaint: Complaint,
    actor: User | None,
    message: dict[str, Any],
    document: File | None = None,
    received_at: datetime | None = None,
) -> ComplaintEvent:
    """Add a message received from the client to the chronology; the status does not change.

    `message` is what staff read in the event (subject, sender, excerpt, Message-ID...);
    `document` the raw .eml, stored unchanged as a received message. When the complaint waits
    for the client, the event says `"awaited": true`: the information or confirmation it
    carries is still recorded by a person, through the matching workflow action.
    """
    with transaction.atomic():
        locked = _locked(complaint)
        now = timezone.now()
        occurred_on = local_date(locked.organisation, min(received_at or now, now))
        stored = None
        if document is not None:
            stored = store_document(
                complaint=locked,
                upload=document,
                role=DocumentRole.RECEIVED_MESSAGE,
                created_by=actor,
                created_at=now,
            )
        event = _append_event(
            complaint=locked,
            event_type=EventType.MESSAGE_RECEIVED,
            actor=actor,
            occurred_on=occurred_on,
            status_before=locked.status,
            data={
                **message,
                "awaited": locked.status in AWAITING_CLIENT,
                **_document_data(stored),
            },
            document=stored,
        )
    complaint.refresh_from_db()
    return event


# --- Outgoing mail (outbox) --------------------------------------------------------------------


def _outgoing_data(outgoing: OutgoingMessage) -> dict[str, Any]:
    return {
        "message_kind": outgoing.kind,
        "to": outgoing.to,
        "subject": outgoing.subject,
        "message_id": outgoing.message_id,
        "attempts": outgoing.attempts,
    }


def complaint_record_delivery(
    *,
    complaint: Complaint,
    outgoing: OutgoingMessage,
    document: File,
    role: str = DocumentRole.SENT_MESSAGE,
) -> ComplaintEvent:
    """Record in the chronology that an outbox message (outbox.models.OutgoingMessage) was
    sent, with `document`, the exact bytes sent (.eml), stored unchanged; status unchanged."""
    with transaction.atomic():
        locked = _locked(complaint)
        now = timezone.now()
        stored = store_document(
            complaint=locked, upload=document, role=role, created_by=None, created_at=now
        )
        event = _append_event(
            complaint=locked,
            event_type=EventType.MESSAGE_SENT,
            actor=None,
            occurred_on=local_date(locked.organisation, outgoing.sent_at or now),
            status_before=locked.status,
            data={**_outgoing_data(outgoing), **_document_data(stored)},
            document=stored,
        )
    return event


def complaint_record_delivery_failure(
    *, complaint: Complaint, outgoing: OutgoingMessage, error: str
) -> ComplaintEvent:
    """Record that an outbox message could not be delivered and will not be retried."""
    with transaction.atomic():
        locked = _locked(complaint)
        return _append_event(
            complaint=locked,
            event_type=EventType.MESSAGE_FAILED,
            actor=None,
            occurred_on=local_today(locked.organisation),
            status_before=locked.status,
            data={**_outgoing_data(outgoing), "error": error},
        )
