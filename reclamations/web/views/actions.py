from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reclamations.complaints.actions import ACTIONS, ActionSpec, ComplaintState
from reclamations.complaints.apply import read_and_plan
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.letter import letter_file
from reclamations.complaints.services import WorkflowError, complaint_apply
from reclamations.core.form_fields import add_service_errors, note_files_to_choose_again
from reclamations.core.localtime import local_today, local_zone
from reclamations.web.display import status_badge
from reclamations.web.forms.actions import ActionForm, action_form, insert_paragraph
from reclamations.web.permissions import handler_required
from reclamations.web.views.common import complaint_or_404


def _refused(
    request: HttpRequest, complaint: Complaint, spec: ActionSpec[Any], reason: str
) -> HttpResponse:
    return render(
        request,
        "web/action_refused.html",
        {"complaint": complaint, "action_label": spec.label, "reason": reason},
        status=409,
    )


@handler_required
@require_http_methods(["GET", "POST"])
def complaint_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One workflow action: GET shows its form, POST applies it through complaint_apply."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("Action inconnue « %(action)s ».") % {"action": action})
    complaint = complaint_or_404(request, reference)
    refused = spec.refusal(ComplaintState.of(complaint))
    if refused:
        return _refused(request, complaint, spec, refused)
    organisation = complaint.organisation
    context = {
        "complaint": complaint,
        "user": request.user,
        "today": local_today(organisation),
        "zone": local_zone(organisation),
    }
    form_class = action_form(spec)
    status = 200
    if request.method == "POST":
        data, inserted = insert_paragraph(request.POST, spec, complaint.organisation_id)
        form = form_class(data, request.FILES, **context)
        if inserted or ("preview" in request.POST and (spec.composes or spec.prints) is not None):
            return _preview(request, complaint, spec, form)
        if form.is_valid():
            try:
                complaint_apply(
                    complaint=complaint,
                    actor=request.user,
                    action=spec,
                    data=form.payload(),
                    document=form.cleaned_data.get("document"),
                    enclosures=form.enclosures(),
                )
            except WorkflowError as error:
                return _refused(request, complaint, spec, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(reference)s : %(done)s")
                    % {"reference": complaint.reference, "done": spec.done},
                )
                return redirect("complaint_detail", reference=complaint.reference)
        note_files_to_choose_again(form, request.FILES)
        status = 400
    else:
        form = form_class(**context)
    return _page(request, complaint, spec, form, status)


def _preview(
    request: HttpRequest, complaint: Complaint, spec: ActionSpec[Any], form: ActionForm
) -> HttpResponse:
    """The form as typed, with the message it would send and what the action would refuse
    (a doubled greeting, say); nothing is applied."""
    if form.is_valid():
        try:
            _given, plan = read_and_plan(
                spec,
                complaint,
                request.user,
                form.payload(),
                form.cleaned_data.get("document"),
                today=local_today(complaint.organisation),
                enclosures=form.enclosures(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("preview") == "letter" and form.prints:
                return _letter_preview(complaint, spec, form, plan.occurred_on)
    note_files_to_choose_again(form, request.FILES)
    return _page(request, complaint, spec, form, 200 if form.is_valid() else 400)


def _letter_preview(
    complaint: Complaint, spec: ActionSpec[Any], form: ActionForm, dated: date
) -> HttpResponse:
    """The letter the action would print, dated as the action would be, shown in the browser;
    nothing is kept."""
    typed = form.cleaned_data
    printed = letter_file(
        complaint,
        spec.previews,
        dated=dated,
        extra=spec.composes(typed) if spec.composes is not None else None,
        enclosed=form.enclosure_names,
    )
    response = HttpResponse(printed.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="apercu-{printed.name}"'
    return response


def _page(
    request: HttpRequest,
    complaint: Complaint,
    spec: ActionSpec[Any],
    form: ActionForm,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "web/complaint_action.html",
        {
            "complaint": complaint,
            "status": status_badge(complaint.status),
            "form": form,
            "action": spec.name,
            "action_label": spec.label,
        },
        status=status,
    )
