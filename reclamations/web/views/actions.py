from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reclamations.complaints.models import Complaint
from reclamations.complaints.services import complaint_apply
from reclamations.complaints.workflow import (
    ACTION_LABELS,
    Action,
    WorkflowError,
    allowed_actions,
    next_status,
)
from reclamations.core.localtime import local_today, local_zone
from reclamations.web.display import status_badge
from reclamations.web.forms.actions import ACTION_FORMS, SUCCESS_MESSAGES
from reclamations.web.forms.fields import add_service_errors
from reclamations.web.permissions import handler_required
from reclamations.web.views.common import complaint_or_404, note_files_to_choose_again


def _refused(
    request: HttpRequest, complaint: Complaint, action: Action, reason: str
) -> HttpResponse:
    return render(
        request,
        "web/action_refused.html",
        {"complaint": complaint, "action_label": ACTION_LABELS[action], "reason": reason},
        status=409,
    )


@handler_required
@require_http_methods(["GET", "POST"])
def complaint_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One workflow action: GET shows its form, POST applies it through complaint_apply."""
    try:
        chosen = Action(action)
    except ValueError:
        raise Http404(f"Action inconnue « {action} ».") from None
    complaint = complaint_or_404(request, reference)
    if chosen not in allowed_actions(complaint.status):
        try:
            next_status(complaint.status, chosen)
        except WorkflowError as error:
            return _refused(request, complaint, chosen, str(error))
    organisation = complaint.organisation
    context = {
        "complaint": complaint,
        "user": request.user,
        "today": local_today(organisation),
        "zone": local_zone(organisation),
    }
    form_class = ACTION_FORMS[chosen]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **context)
        if form.is_valid():
            try:
                complaint_apply(
                    complaint=complaint,
                    actor=request.user,
                    action=chosen,
                    data=form.payload(),
                    document=form.cleaned_data.get("document"),
                )
            except WorkflowError as error:
                return _refused(request, complaint, chosen, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{complaint.reference} : {SUCCESS_MESSAGES[chosen]}")
                return redirect("complaint_detail", reference=complaint.reference)
        note_files_to_choose_again(form, request.FILES)
        status = 400
    else:
        form = form_class(**context)
    return render(
        request,
        "web/complaint_action.html",
        {
            "complaint": complaint,
            "status": status_badge(complaint.status),
            "form": form,
            "action": chosen.value,
            "action_label": ACTION_LABELS[chosen],
        },
        status=status,
    )
