from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reclamations.complaints.actions import ComplaintState, available_actions
from reclamations.complaints.enums import OPEN_STATUSES, EventType
from reclamations.complaints.improvement_queries import complaint_improvements
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.next_step import next_step
from reclamations.complaints.next_step_reading import situation_of
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import (
    awaited_answer_arrived,
    complaint_documents,
    complaint_events,
    failed_messages_for,
    with_urgency,
)
from reclamations.complaints.related import related_complaints
from reclamations.complaints.services import complaint_register
from reclamations.core.form_fields import add_service_errors, note_files_to_choose_again
from reclamations.core.localtime import local_today, local_zone
from reclamations.core.roles import can_handle, can_read_archived
from reclamations.register_import.queries import imported_source
from reclamations.web.display import status_badge, timeline, urgency_badge
from reclamations.web.forms.complaint import ERROR_ALIASES, ComplaintNewForm
from reclamations.web.permissions import handler_required, reader_required
from reclamations.web.views.common import complaint_or_404


@handler_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    zone = local_zone(organisation)
    status = 200
    if request.method == "POST":
        form = ComplaintNewForm(request.POST, request.FILES, zone=zone, now=timezone.now())
        if form.is_valid():
            try:
                complaint = complaint_register(
                    organisation=organisation,
                    actor=request.user,
                    complaint=form.new_complaint(),
                    original=form.cleaned_data.get("original"),
                )
            except ValidationError as error:
                add_service_errors(form, error, ERROR_ALIASES)
            else:
                messages.success(
                    request,
                    _("Réclamation %(reference)s enregistrée.")
                    % {"reference": complaint.reference},
                )
                return redirect("complaint_detail", reference=complaint.reference)
        note_files_to_choose_again(form, request.FILES)
        status = 400
    else:
        form = ComplaintNewForm(zone=zone, now=timezone.now())
    return render(
        request, "web/complaint_new.html", {"form": form, "nav": "complaint_new"}, status=status
    )


def offered_actions(complaint: Complaint) -> list[tuple[str, str]]:
    """(name, label) of the actions the complaint can take now."""
    return [(spec.name, spec.label) for spec in available_actions(ComplaintState.of(complaint))]


@dataclass(frozen=True)
class ActionsOffered:
    """The complaint page's actions: what is due now and its one or two actions first, the
    others a click away."""

    advice: str  # French, translated by the template
    first: list[tuple[str, str]]
    others: list[tuple[str, str]]


def actions_offered(
    complaint: Complaint,
    offered: list[tuple[str, str]],
    events: Sequence[ComplaintEvent],
    *,
    client_answered: bool,
    undelivered: bool,
) -> ActionsOffered:
    situation = situation_of(
        complaint, events, client_answered=client_answered, undelivered=undelivered
    )
    step = next_step(situation, {name for name, _label in offered})
    if step is None:
        return ActionsOffered("", [], offered)
    labels = dict(offered)
    first = [(name, labels[name]) for name in step.actions]
    return ActionsOffered(
        step.advice, first, [(name, label) for name, label in offered if name not in step.actions]
    )


@reader_required
@require_GET
def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything about one complaint, its deadline, documents and chronology (oldest first)."""
    complaint = complaint_or_404(request, reference)
    organisation = complaint.organisation
    deadline = None
    if complaint.status in OPEN_STATUSES and complaint.due_date is not None:
        (row,) = with_urgency(
            [complaint],
            today=local_today(organisation),
            policy=deadline_policy(organisation),
            due_soon_days=organisation.due_soon_days,
        )
        deadline = urgency_badge(row.days_left, row.urgency)
    events = complaint_events(complaint)
    imported = next((e for e in events if e.event_type == EventType.IMPORTED), None)
    client_answered = awaited_answer_arrived(complaint, events)
    undelivered = failed_messages_for(complaint)
    offered = offered_actions(complaint) if can_handle(request.user.role) else []
    return render(
        request,
        "web/complaint_detail.html",
        {
            "complaint": complaint,
            "status": status_badge(complaint.status),
            "is_open": complaint.status in OPEN_STATUSES,
            "deadline": deadline,
            "documents": complaint_documents(complaint),
            "timeline": timeline(events),
            # Taken from an old register: said at the top, with where it came from.
            "imported": imported,
            "imported_source": (
                imported_source(complaint)
                if imported and can_read_archived(request.user.role)
                else None
            ),
            "client_answered": client_answered,
            "related": related_complaints(complaint, today=local_today(organisation)),
            "undelivered": undelivered,
            "improvements": complaint_improvements(complaint),
            "actions": offered,
            "next_step": (
                actions_offered(
                    complaint,
                    offered,
                    events,
                    client_answered=client_answered,
                    undelivered=bool(undelivered),
                )
                if offered
                else None
            ),
        },
    )
