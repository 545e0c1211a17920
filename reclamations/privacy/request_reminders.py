"""The managers reminded of the data subjects' requests: once when a request falls due within
rules.REMINDER_DAYS days, once when it is overdue (and again for a new deadline once extended).

Sent the reminders app's way (its recipients, its sending hours and days, its outbox queue
and its record-then-queue in one transaction), so that nothing is sent twice even by two
workers at once: each reminder is a DataRequestReminder, unique per request, kind and deadline.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from functools import partial

from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.policy import deadline_policy
from reclamations.core.french import long_date
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.privacy import rules
from reclamations.privacy.models import DataRequest, DataRequestReminder
from reclamations.privacy.request_reading import open_requests, request_title
from reclamations.reminders.messages import StaffMessage, absolute_url, staff_footer
from reclamations.reminders.rules import sending_allowed
from reclamations.reminders.services import (
    KIND_REMINDER,
    manager_recipients,
    queue_staff_message,
    reminder_settings_for,
    send_once,
)


def _days(count: int) -> str:
    return f"{count} jour{'s' if count > 1 else ''}"


def reminder_message(
    organisation: Organisation, request: DataRequest, kind: str, today: date
) -> StaffMessage:
    """The reminder's French text. It names the request by its number, not the person: the
    outbox keeps its copy, and a complaint's anonymisation purges only the messages about
    the complaint."""
    title = request_title(request)
    deadline = request.deadline
    left = (deadline - today).days
    if kind == rules.OVERDUE:
        subject = f"Alerte : {title} sans réponse, délai dépassé"
        when = (
            f"devait recevoir sa réponse le {long_date(deadline)} ({_days(-left)} de retard). "
            "Répondez à la personne dès que possible et enregistrez la décision"
        )
    elif left == 0:
        subject = f"Rappel : {title}, réponse due aujourd'hui"
        when = f"doit recevoir sa réponse aujourd'hui, {long_date(deadline)}"
    else:
        subject = f"Rappel : {title}, réponse due sous {_days(left)}"
        when = f"doit recevoir sa réponse d'ici le {long_date(deadline)} : il reste {_days(left)}"
    extended = (
        f"Délai prolongé (annoncé à la personne le {request.extension_told_on:%d/%m/%Y}).\n"
        if request.extended_to
        else ""
    )
    url = absolute_url(reverse("data_request_detail", kwargs={"pk": request.pk}))
    body = (
        "Bonjour,\n\n"
        f"La {title}, reçue le {long_date(request.received_on)}, {when}.\n\n"
        f"{extended}"
        "Le RGPD (article 12.3) donne un mois pour répondre, prolongeable de deux mois si la "
        "personne en est informée dans le premier mois.\n\n"
        f"Ouvrir la demande : {url}\n"
        f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def _for_organisation(organisation: Organisation, now: datetime, counts: Counter[str]) -> None:
    local_now = now.astimezone(local_zone(organisation))
    today = local_now.date()
    allowed = sending_allowed(
        local_now,
        calendar=deadline_policy(organisation).calendar,
        from_hour=reminder_settings_for(organisation).digest_hour,
    )
    if not allowed:
        return
    owed = []
    for request in open_requests(organisation):
        kind = rules.request_reminder(request.deadline, today)
        if kind is not None:
            owed.append((request, kind))
    if not owed:
        return
    already = set(
        DataRequestReminder.objects.filter(organisation=organisation).values_list(
            "request_id", "kind", "deadline"
        )
    )
    recipients = manager_recipients(organisation)
    if not recipients:
        counts["no_recipient"] += 1
        return
    for request, kind in owed:
        if (request.pk, kind, request.deadline) in already:
            continue
        record = DataRequestReminder(
            organisation=organisation,
            request=request,
            kind=kind,
            deadline=request.deadline,
            sent_at=now,
            recipients=", ".join(recipients),
        )
        message = reminder_message(organisation, request, kind, today)
        queue = partial(queue_staff_message, organisation, KIND_REMINDER, recipients, message)
        if send_once(record, queue):
            counts[kind] += 1


def send_request_reminders(*, now: datetime | None = None) -> str:
    """Queue every reminder owed now about the data subjects' requests; returns a summary."""
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    for organisation in Organisation.objects.order_by("id"):
        _for_organisation(organisation, now, counts)
    summary = (
        f"demandes sur les données personnelles : rappels {counts[rules.DUE_SOON]}, "
        f"retards {counts[rules.OVERDUE]}"
    )
    if counts["no_recipient"]:
        summary += (
            f" ; {counts['no_recipient']} organisme(s) sans responsable ayant une adresse e-mail"
        )
    return summary
