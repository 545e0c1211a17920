"""Improvement actions (Qualiopi indicator 32): the plan for every reader; deciding, editing and
taking each step for those who handle complaints."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclamations.complaints.enums import improvement_status_label
from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.improvement_queries import (
    improvement_actions,
    improvement_chronology,
    improvement_counts,
    plan_lines,
)
from reclamations.complaints.improvement_rules import STEPS, is_overdue, steps_allowed
from reclamations.complaints.models import Complaint, ImprovementAction
from reclamations.complaints.workflow import WorkflowError
from reclamations.core.form_fields import add_service_errors
from reclamations.core.localtime import local_today
from reclamations.core.roles import can_handle
from reclamations.reporting.downloads import improvement_plan_response
from reclamations.web.display import timeline
from reclamations.web.forms.improvement import (
    STEP_FORMS,
    ImprovementFilterForm,
    ImprovementForm,
)
from reclamations.web.permissions import handler_required, reader_required

PLAN_PAGE_SIZE = 50


def _action_or_404(request: HttpRequest, reference: str) -> ImprovementAction:
    return get_object_or_404(
        ImprovementAction.objects.select_related("owner", "created_by", "organisation"),
        organisation=request.user.organisation,
        reference=reference,
    )


@reader_required
@require_GET
def improvement_list(request: HttpRequest) -> HttpResponse:
    """The improvement plan: every action, earliest due first, with what is late."""
    organisation = request.user.organisation
    today = local_today(organisation)
    form = ImprovementFilterForm(request.GET)
    status = form.status_asked()
    actions = improvement_actions(organisation, status=status, today=today)
    page = Paginator(actions, PLAN_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/improvement_list.html",
        {
            "form": form,
            "page": page,
            "lines": plan_lines(page.object_list, today),
            "counts": improvement_counts(organisation, today),
            "filtered": bool(status),
            "export_query": query.urlencode(),
            "nav": "improvement",
        },
    )


def _new_form_initial(request: HttpRequest) -> dict[str, Any]:
    """The person deciding as its owner; decided from a complaint's page, the complaint's
    reference and its cause already filled in."""
    initial: dict[str, Any] = {"owner": str(request.user.pk)}
    reference = request.GET.get("reclamation", "")
    complaint = (
        Complaint.objects.filter(organisation=request.user.organisation, reference=reference)
        .only("reference", "cause")
        .first()
    )
    if complaint is None:
        return initial
    return {
        **initial,
        "complaints": complaint.reference,
        "cause": complaint.cause,
        "source": "complaints",
    }


@handler_required
@require_http_methods(["GET", "POST"])
def improvement_new(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    status = 200
    if request.method == "POST":
        form = ImprovementForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                action = improvement_create(
                    organisation=organisation,
                    actor=request.user,
                    new=NewImprovement(**form.values()),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(reference)s : action d'amélioration décidée.")
                    % {"reference": action.reference},
                )
                return redirect("improvement_detail", reference=action.reference)
        status = 400
    else:
        form = ImprovementForm(initial=_new_form_initial(request), organisation=organisation)
    return render(
        request,
        "web/improvement_form.html",
        {"form": form, "action": None, "nav": "improvement"},
        status=status,
    )


@handler_required
@require_http_methods(["GET", "POST"])
def improvement_edit(request: HttpRequest, reference: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    organisation = action.organisation
    status = 200
    if request.method == "POST":
        form = ImprovementForm(request.POST, organisation=organisation)
        form.keep_cause(action.cause)
        if form.is_valid():
            try:
                improvement_apply(
                    action=action, actor=request.user, step="update", data=form.values()
                )
            except WorkflowError as error:
                messages.error(request, str(error))
                return redirect("improvement_detail", reference=action.reference)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(reference)s : %(done)s")
                    % {"reference": action.reference, "done": _(STEPS["update"].done)},
                )
                return redirect("improvement_detail", reference=action.reference)
        status = 400
    else:
        form = ImprovementForm(
            initial=ImprovementForm.initial_for(action), organisation=organisation
        )
        form.keep_cause(action.cause)
    return render(
        request,
        "web/improvement_form.html",
        {"form": form, "action": action, "nav": "improvement"},
        status=status,
    )


def _detail(
    request: HttpRequest,
    action: ImprovementAction,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today(action.organisation)
    handles = can_handle(request.user.role)
    step_forms = []
    if handles:
        for step in steps_allowed(action.status):
            if step.name == "update":
                continue
            if failed is not None and failed[0] == step.name:
                form = failed[1]
            else:
                form = STEP_FORMS[step.name](prefix=step.name)
            step_forms.append((step, form))
    events = timeline(improvement_chronology(action), improvement_status_label)
    return render(
        request,
        "web/improvement_detail.html",
        {
            "action": action,
            "complaints": list(action.complaints.order_by("reference")),
            "overdue": is_overdue(action.status, action.due_date, today),
            "step_forms": step_forms,
            "can_edit": handles and "update" in {s.name for s in steps_allowed(action.status)},
            "events": events,
            "open_step": failed[0] if failed else "",
            "nav": "improvement",
        },
        status=status,
    )


@reader_required
@require_GET
def improvement_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _detail(request, _action_or_404(request, reference))


@handler_required
@require_POST
def improvement_step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    action = _action_or_404(request, reference)
    form_class = STEP_FORMS.get(step)
    if form_class is None:
        raise Http404(_("Étape inconnue « %(step)s ».") % {"step": step})
    form = form_class(request.POST, prefix=step)
    if form.is_valid():
        try:
            improvement_apply(action=action, actor=request.user, step=step, data=form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, f"{action.reference} : {error}")
            return redirect("improvement_detail", reference=action.reference)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(reference)s : %(done)s")
                % {"reference": action.reference, "done": _(STEPS[step].done)},
            )
            return redirect("improvement_detail", reference=action.reference)
    return _detail(request, action, failed=(step, form), status=400)


@reader_required
@require_GET
def improvement_plan_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    """The improvement plan as the page shows it (its filter), as PDF or XLSX."""
    if extension not in ("pdf", "xlsx"):
        raise Http404(_("Format inconnu : le plan d'amélioration existe en PDF et en XLSX."))
    organisation = request.user.organisation
    form = ImprovementFilterForm(request.GET)
    status = form.status_asked()
    return improvement_plan_response(organisation, extension, status=status)
