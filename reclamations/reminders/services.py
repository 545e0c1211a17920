"""Staff reminders, overdue alerts and the daily digest, queued in the outbox.

`send_reminders` is idempotent: every reminder is recorded (`ReminderSent`, unique per
complaint, kind and due date; `DigestSent`, unique per organisation and day) in the same
transaction as its outgoing message, so running it again, or in two workers at once, sends
nothing twice. The rules of when are in `rules.py`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation

from reclamations.complaints.chronology import chain_head
from reclamations.complaints.deadlines import Urgency
from reclamations.complaints.enums import OPEN_STATUSES, EventType
from reclamations.complaints.improvement_queries import OVERDUE_FILTER, improvement_actions
from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.organisation_events import settings_changed
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterRow, open_with_days_left
from reclamations.core.languages import FRENCH
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.users import addresses_by_language
from reclamations.outbox.services import outbox_queue
from reclamations.reminders.messages import (
    DigestLine,
    StaffMessage,
    digest_message,
    due_soon_message,
    improvement_overdue_message,
    overdue_message,
)
from reclamations.reminders.models import (
    DigestSent,
    ImprovementAlertSent,
    ReminderSent,
    ReminderSettings,
)
from reclamations.reminders.rules import OVERDUE, reminder_kind, sending_allowed

logger = logging.getLogger("reclamations.reminders")

# Kinds of message (outbox) written by the reminders, for the staff only.
KIND_REMINDER = "staff_reminder"
KIND_DIGEST = "staff_digest"


def reminder_settings_for(organisation: Organisation) -> ReminderSettings:
    """The organisation's reminder settings; the defaults when it never changed them."""
    found = ReminderSettings.objects.filter(organisation=organisation).first()
    return found or ReminderSettings(organisation=organisation)


# How a change reads in the organisation's chronology: "reminders_days_before".
EVENT_PREFIX = "reminders_"
REMINDER_FIELDS = ("include_managers", "days_before", "digest_hour")


def reminder_settings_update(
    *,
    organisation: Organisation,
    include_managers: bool | None = None,
    days_before: str | None = None,
    digest_hour: int | None = None,
    actor: User | None = None,
) -> ReminderSettings:
    """Change the given settings (None: unchanged); raises ValidationError (French messages).

    A change is a settings change of the organisation's chronology (`settings_changed`, as the
    settings page and the mailbox write theirs), by `actor` (None: the command line)."""
    with transaction.atomic():
        current, _created = ReminderSettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = {name: getattr(current, name) for name in REMINDER_FIELDS}
        if include_managers is not None:
            current.include_managers = include_managers
        if days_before is not None:
            current.days_before = days_before.strip()
        if digest_hour is not None:
            current.digest_hour = digest_hour
        current.full_clean()
        if days_before is not None:
            current.days_before = ",".join(str(days) for days in current.thresholds)
        current.save()
        after = {name: getattr(current, name) for name in REMINDER_FIELDS}
        settings_changed(
            organisation=organisation,
            actor=actor,
            before={EVENT_PREFIX + name: value for name, value in before.items()},
            after={EVENT_PREFIX + name: value for name, value in after.items()},
        )
    return current


def _manager_addresses(organisation: Organisation) -> list[str]:
    return list(
        User.objects.filter(organisation=organisation, role=Role.MANAGER, is_active=True)
        .exclude(email="")
        .order_by("id")
        .values_list("email", flat=True)
    )


def staff_recipients(organisation: Organisation, reminder_settings: ReminderSettings) -> list[str]:
    """The referent's address, then the active managers' when asked; each address once."""
    addresses = [organisation.referent_email]
    if reminder_settings.include_managers:
        addresses += _manager_addresses(organisation)
    return _unique_addresses(addresses)


def manager_recipients(organisation: Organisation) -> list[str]:
    """The active managers' addresses, each once (what only managers handle: the data
    subjects' requests)."""
    return _unique_addresses(_manager_addresses(organisation))


def _unique_addresses(addresses: list[str]) -> list[str]:
    unique: dict[str, str] = {}
    for address in addresses:
        address = address.strip()
        if address and _valid_address(address):
            unique.setdefault(address.casefold(), address)
    return list(unique.values())


def _valid_address(address: str) -> bool:
    # One mistyped manager address must not stop the others' reminders.
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("Adresse ignorée pour les rappels : %r n'est pas valide.", address)
        return False
    return True


@dataclass
class _Tally:
    counts: Counter[str]
    notes: list[str]

    def summary(self) -> str:
        sent = (
            f"rappels : {self.counts['reminder']}, alertes de retard : {self.counts['overdue']}, "
            f"récapitulatifs : {self.counts['digest']}"
        )
        if self.counts["improvement"]:
            sent += f", actions d'amélioration en retard : {self.counts['improvement']}"
        return "; ".join([sent, *self.notes])


def queue_staff_message(
    organisation: Organisation,
    kind: str,
    recipients: list[str],
    message: StaffMessage | Callable[[], StaffMessage],
) -> None:
    """Queue a message to staff in the outbox (in the caller's transaction). A `message`
    built by a function is written in each recipient's language (User.language): one message
    per language, to the recipients who read it."""
    # Staff messages belong to no complaint: they must not enter a complaint's chronology.
    if isinstance(message, StaffMessage):
        groups = [(FRENCH, recipients, message)]
    else:
        groups = []
        for language, readers in addresses_by_language(organisation, recipients).items():
            with translation.override(language):
                groups.append((language, readers, message()))
    for _language, readers, written in groups:
        outbox_queue(
            organisation=organisation,
            kind=kind,
            to=", ".join(readers),
            subject=written.subject,
            body_text=written.body_text,
            auto_submitted=True,
        )


def send_once(record: models.Model, queue: Callable[[], object]) -> bool:
    """Save the record of a message (its unique constraint says what is sent once) and queue
    the message atomically; False when it was already sent."""
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            queue()
    except IntegrityError:
        # Another worker sent it between our read and our write.
        return False
    return True


def _remind(
    organisation: Organisation,
    rows: list[RegisterRow],
    *,
    thresholds: tuple[int, ...],
    recipients: list[str],
    now: datetime,
    tally: _Tally,
) -> None:
    already = set(
        ReminderSent.objects.filter(
            organisation=organisation, complaint__status__in=sorted(OPEN_STATUSES)
        ).values_list("complaint_id", "kind", "due_date")
    )
    imported = _imported_on(organisation)
    for row in rows:
        complaint, days_left = row.complaint, row.days_left
        due_date = complaint.due_date
        if days_left is None or due_date is None:  # days are counted only to a due date
            continue
        if complaint.id in imported and due_date < imported[complaint.id]:
            # Taken from an old register already past its deadline: nobody is alerted for a
            # deadline that passed before the application knew the complaint (the register
            # and the digest still show it overdue).
            continue
        kind = reminder_kind(days_left, thresholds)
        if kind is None or (complaint.id, kind, due_date) in already:
            continue
        if kind == OVERDUE:
            message = partial(overdue_message, organisation, complaint, -days_left)
        else:
            message = partial(due_soon_message, organisation, complaint, days_left)
        record = ReminderSent(
            organisation=organisation,
            complaint=complaint,
            kind=kind,
            due_date=due_date,
            days_left=days_left,
            sent_at=now,
            recipients=", ".join(recipients),
        )
        if send_once(
            record, partial(queue_staff_message, organisation, KIND_REMINDER, recipients, message)
        ):
            tally.counts["overdue" if kind == OVERDUE else "reminder"] += 1


def _imported_on(organisation: Organisation) -> dict[int, date]:
    """The day each open complaint imported from an old register was imported."""
    return {
        complaint_id: day
        for complaint_id, day in ComplaintEvent.objects.filter(
            organisation=organisation,
            event_type=EventType.IMPORTED,
            complaint__status__in=sorted(OPEN_STATUSES),
        ).values_list("complaint_id", "occurred_on")
        if complaint_id is not None
    }


def _digest(
    organisation: Organisation,
    rows: list[RegisterRow],
    *,
    day: date,
    recipients: list[str],
    now: datetime,
    tally: _Tally,
) -> None:
    if DigestSent.objects.filter(organisation=organisation, day=day).exists():
        return
    if not rows and not _chain_moved_since_last_digest(organisation):
        return
    overdue, due_soon, others = [], [], []
    for row in rows:
        line = DigestLine(row.complaint, row.days_left)
        if row.urgency == Urgency.OVERDUE:
            overdue.append(line)
        elif row.urgency == Urgency.DUE_SOON:
            due_soon.append(line)
        else:
            others.append(line)
    message = partial(
        digest_message,
        organisation,
        day,
        overdue=overdue,
        due_soon=due_soon,
        others=others,
        due_soon_days=organisation.due_soon_days,
        head=str(chain_head(organisation)),
    )
    record = DigestSent(
        organisation=organisation,
        day=day,
        sent_at=now,
        recipients=", ".join(recipients),
        open_count=len(rows),
        due_soon_count=len(due_soon),
        overdue_count=len(overdue),
    )
    if send_once(
        record, lambda: queue_staff_message(organisation, KIND_DIGEST, recipients, message)
    ):
        tally.counts["digest"] += 1


def _chain_moved_since_last_digest(organisation: Organisation) -> bool:
    """Whether anything was written in the chronology since the last digest: its new head must
    then be witnessed outside the database (decision 0021), open complaints or not. A day
    without any change sends nothing: the last digest's head still holds."""
    last = (
        DigestSent.objects.filter(organisation=organisation)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    events = ComplaintEvent.objects.filter(organisation=organisation)
    if last is not None:
        events = events.filter(recorded_at__gt=last)
    return events.exists()


def _alert_improvements(
    organisation: Organisation, *, today: date, recipients: list[str], now: datetime, tally: _Tally
) -> None:
    """Each improvement action past its due date, once per due date, to its owner too."""
    late = improvement_actions(organisation, status=OVERDUE_FILTER, today=today)
    already = set(
        ImprovementAlertSent.objects.filter(organisation=organisation).values_list(
            "action_id", "due_date"
        )
    )
    for action in late:
        if (action.pk, action.due_date) in already:
            continue
        to = list(recipients)
        owner_email = action.owner.email.strip() if action.owner else ""
        known = {address.casefold() for address in to}
        if owner_email and owner_email.casefold() not in known and _valid_address(owner_email):
            to.append(owner_email)
        record = ImprovementAlertSent(
            organisation=organisation,
            action=action,
            due_date=action.due_date,
            sent_at=now,
            recipients=", ".join(to),
        )
        message = partial(improvement_overdue_message, organisation, action, today)
        if send_once(
            record, partial(queue_staff_message, organisation, KIND_REMINDER, to, message)
        ):
            tally.counts["improvement"] += 1


def _send_for_organisation(organisation: Organisation, *, now: datetime, tally: _Tally) -> None:
    local_now = now.astimezone(local_zone(organisation))
    today = local_now.date()
    reminder_settings = reminder_settings_for(organisation)
    policy = deadline_policy(organisation)
    if not sending_allowed(
        local_now, calendar=policy.calendar, from_hour=reminder_settings.digest_hour
    ):
        return
    recipients = staff_recipients(organisation, reminder_settings)
    if not recipients:
        tally.notes.append(
            f"{organisation.name} : aucun destinataire (renseignez l'e-mail du référent)"
        )
        return
    rows = open_with_days_left(organisation, today=today, policy=policy)
    _remind(
        organisation,
        rows,
        thresholds=reminder_settings.thresholds,
        recipients=recipients,
        now=now,
        tally=tally,
    )
    _digest(organisation, rows, day=today, recipients=recipients, now=now, tally=tally)
    _alert_improvements(organisation, today=today, recipients=recipients, now=now, tally=tally)


def send_reminders(*, now: datetime | None = None) -> str:
    """Queue every reminder, overdue alert and daily digest owed now; returns a summary."""
    now = now or timezone.now()
    tally = _Tally(Counter(), [])
    for organisation in Organisation.objects.order_by("id"):
        _send_for_organisation(organisation, now=now, tally=tally)
    return tally.summary()
