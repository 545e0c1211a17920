"""The security journal, for managers: who logged in, failed, was locked out or refused, from
where; filtered, a page at a time, or whole as CSV. Not for auditors: it is about the staff."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reclamations.core.languages import french_lines
from reclamations.core.localtime import local_today, local_zone
from reclamations.core.security_journal import kept_days, security_records
from reclamations.reporting.downloads import export_name
from reclamations.reporting.security_journal import security_journal_lines
from reclamations.web.forms.security_journal import SecurityFilterForm
from reclamations.web.permissions import manager_required

PAGE_SIZE = 50


@manager_required
@require_GET
def security_journal(request: HttpRequest) -> HttpResponse:
    form = SecurityFilterForm(request.GET, viewer=request.user)
    form.is_valid()  # a wrong filter is reported next to its field and left out
    filters = form.filters()
    records = security_records(viewer=request.user, filters=filters)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/security_journal.html",
        {
            "form": form,
            "page": page,
            "filtered": not filters.is_empty(),
            "filter_query": query.urlencode(),
            "kept_days": kept_days(),
            "nav": "users",
        },
    )


@manager_required
@require_GET
def security_journal_export(request: HttpRequest) -> StreamingHttpResponse:
    """The journal under the page's filters, whole, oldest first, as CSV."""
    organisation = request.user.organisation
    form = SecurityFilterForm(request.GET, viewer=request.user)
    form.is_valid()
    records = security_records(viewer=request.user, filters=form.filters()).reverse()
    # The file is the organisation's record: French, whatever the page's language.
    lines = french_lines(
        security_journal_lines(records.iterator(chunk_size=500), local_zone(organisation))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = export_name(organisation, local_today(organisation), "csv", what="journal-securite")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
