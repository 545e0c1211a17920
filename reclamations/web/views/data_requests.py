"""The data subjects' requests (GDPR), for managers: the list with each one's clock, recording
one, and its page where it is extended and decided (privacy.requests)."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclamations.complaints.enums import status_label
from reclamations.core.form_fields import add_service_errors
from reclamations.core.localtime import local_today
from reclamations.privacy import rules
from reclamations.privacy.erasure_review import erasure_review
from reclamations.privacy.models import DataRequest, RequestKind
from reclamations.privacy.request_reading import (
    all_requests,
    complaints_of_person,
    request_chronology,
    request_title_shown,
)
from reclamations.privacy.requests import (
    DataRequestRefused,
    NewDataRequest,
    data_request_create,
    data_request_decide,
    data_request_extend,
    data_request_update,
)
from reclamations.web.display import timeline
from reclamations.web.forms.data_requests import (
    DataRequestEditForm,
    DataRequestForm,
    DecideForm,
    ExtendForm,
)
from reclamations.web.permissions import manager_required

PAGE_SIZE = 50


@dataclass(frozen=True)
class Clock:
    """Where an open request stands: days left (negative once overdue) and how urgent."""

    days_left: int
    overdue: bool
    due_soon: bool

    @property
    def days_late(self) -> int:
        return -self.days_left


def _clock(request: DataRequest, today: date) -> Clock | None:
    if not request.is_open:
        return None
    left = (request.deadline - today).days
    return Clock(left, left < 0, 0 <= left <= rules.REMINDER_DAYS)


def _export_url() -> str:
    """The subject-access export's page (web.views.privacy), "" if this installation has none."""
    try:
        return reverse("personal_data")
    except NoReverseMatch:
        return ""


def _request_or_404(request: HttpRequest, pk: int) -> DataRequest:
    return get_object_or_404(
        DataRequest.objects.select_related("organisation", "decided_by", "recorded_by"),
        organisation=request.user.organisation,
        pk=pk,
    )


@manager_required
@require_GET
def data_requests(request: HttpRequest) -> HttpResponse:
    """Every request, the open ones first with their clock, then those answered."""
    organisation = request.user.organisation
    today = local_today(organisation)
    page = Paginator(all_requests(organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, _clock(item, today)) for item in page.object_list]
    return render(
        request,
        "web/data_requests.html",
        {
            "page": page,
            "rows": rows,
            "reminder_days": rules.REMINDER_DAYS,
            "export_url": _export_url(),
            "nav": "privacy",
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def data_request_new(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    status = 200
    if request.method == "POST":
        form = DataRequestForm(request.POST)
        if form.is_valid():
            try:
                created = data_request_create(
                    organisation=organisation,
                    actor=request.user,
                    new=NewDataRequest(**form.cleaned_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                found = created.complaints.count()
                messages.success(
                    request,
                    _(
                        "%(title)s enregistrée, réponse due le %(day)s ; %(found)s "
                        "réclamation(s) rattachée(s)."
                    )
                    % {
                        "title": request_title_shown(created).capitalize(),
                        "day": f"{created.due_on:%d/%m/%Y}",
                        "found": found,
                    },
                )
                return redirect("data_request_detail", pk=created.pk)
        status = 400
    else:
        form = DataRequestForm(initial={"received_on": local_today(organisation)})
    return render(
        request, "web/data_request_new.html", {"form": form, "nav": "privacy"}, status=status
    )


def _detail(
    request: HttpRequest,
    item: DataRequest,
    *,
    failed: tuple[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today(item.organisation)
    erasure = item.kind == RequestKind.ERASURE
    review = erasure_review(item) if erasure else None
    failed_name, failed_form = failed if failed else ("", None)
    step_forms: list[tuple[str, str, forms.Form]] = []
    if item.is_open:
        decide = failed_form if failed_name == "decide" else None
        decide = decide or DecideForm(
            prefix="decide", today=today, erasable=review.erasable if review else None
        )
        step_forms.append(("decide", _("Enregistrer la décision"), decide))
        extend = failed_form if failed_name == "extend" else None
        # Offered during the first month only (the person must be told by then), and shown
        # again with its errors when one sent later was refused.
        if extend is not None or (item.extended_to is None and today <= item.due_on):
            step_forms.append(
                (
                    "extend",
                    _("Prolonger le délai"),
                    extend or ExtendForm(prefix="extend", today=today),
                )
            )
        edit = failed_form if failed_name == "edit" else None
        edit = edit or DataRequestEditForm(
            prefix="edit", initial=DataRequestEditForm.initial_for(item)
        )
        step_forms.append(("edit", _("Modifier les réclamations concernées et les notes"), edit))
    concerned = list(item.complaints.order_by("received_at", "id"))
    at_address = [
        complaint
        for complaint in complaints_of_person(item.organisation, item.person_email)
        if complaint not in concerned
    ]
    return render(
        request,
        "web/data_request_detail.html",
        {
            "item": item,
            "title": request_title_shown(item),
            "clock": _clock(item, today),
            "concerned": [(c, status_label(c.status)) for c in concerned],
            "at_address": at_address,
            "review": review,
            "step_forms": step_forms,
            "open_step": failed_name,
            "events": timeline(request_chronology(item)),
            "export_url": _export_url() if item.kind == RequestKind.ACCESS else "",
            "nav": "privacy",
        },
        status=status,
    )


@manager_required
@require_GET
def data_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _request_or_404(request, pk))


def _refused(request: HttpRequest, item: DataRequest, error: DataRequestRefused) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("data_request_detail", pk=item.pk)


@manager_required
@require_POST
def data_request_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_or_404(request, pk)
    form = ExtendForm(request.POST, prefix="extend", today=local_today(item.organisation))
    if form.is_valid():
        try:
            data_request_extend(request=item, actor=request.user, **form.cleaned_data)
        except DataRequestRefused as error:
            return _refused(request, item, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s : délai prolongé jusqu'au %(day)s.")
                % {
                    "title": request_title_shown(item).capitalize(),
                    "day": f"{item.extended_to:%d/%m/%Y}",
                },
            )
            return redirect("data_request_detail", pk=item.pk)
    return _detail(request, item, failed=("extend", form), status=400)


@manager_required
@require_POST
def data_request_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_or_404(request, pk)
    review = erasure_review(item) if item.kind == RequestKind.ERASURE else None
    form = DecideForm(
        request.POST,
        prefix="decide",
        today=local_today(item.organisation),
        erasable=review.erasable if review else None,
    )
    if form.is_valid():
        values = form.cleaned_data
        try:
            data_request_decide(
                request=item,
                actor=request.user,
                decision=values["decision"],
                reason=values["reason"],
                decided_on=values["decided_on"],
                keep=values.get("keep", []),
            )
        except DataRequestRefused as error:
            return _refused(request, item, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            done = _("%(title)s : %(decision)s") % {
                "title": request_title_shown(item).capitalize(),
                "decision": item.get_decision_display().lower(),
            }
            if item.kind == RequestKind.ERASURE:
                decided = request_chronology(item).last()
                anonymised = len(decided.data.get("anonymised", [])) if decided else 0
                done += _(" ; %(count)s réclamation(s) anonymisée(s)") % {"count": anonymised}
            messages.success(request, f"{done}.")
            return redirect("data_request_detail", pk=item.pk)
    return _detail(request, item, failed=("decide", form), status=400)


@manager_required
@require_POST
def data_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request_or_404(request, pk)
    form = DataRequestEditForm(request.POST, prefix="edit")
    if form.is_valid():
        try:
            data_request_update(
                request=item,
                actor=request.user,
                complaints=form.references(),
                notes=form.cleaned_data["notes"],
            )
        except DataRequestRefused as error:
            return _refused(request, item, error)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(title)s : modifiée.") % {"title": request_title_shown(item).capitalize()},
            )
            return redirect("data_request_detail", pk=item.pk)
    return _detail(request, item, failed=("edit", form), status=400)
