from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import (
    CONTEXT_FILTERS,
    RELEVANCE,
    complaints_with_failed_messages,
    register_counts,
)
from reclamations.complaints.register_pages import SEARCH_LISTED, more_listed, register_page
from reclamations.complaints.search_text import search_terms
from reclamations.core.localtime import local_today
from reclamations.web.display import register_lines
from reclamations.web.forms.register import RegisterFilterForm
from reclamations.web.permissions import reader_required
from reclamations.web.register_rows import Labels, register_rows

# The page's place in the address: its number, and the neighbour it was reached from.
PAGE_PLACE = ("page", "apres", "avant")


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in PAGE_PLACE:
        query.pop(name, None)
    return query.urlencode()


def _neighbour(request: HttpRequest, name: str) -> int | None:
    """The complaint a page was reached from (its id in the address), if it reads as one: any
    other value is left out, the page is then found by its number."""
    value = request.GET.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


@reader_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The register: three figures, filters, one page of complaints with their deadlines."""
    organisation = request.user.organisation
    form = RegisterFilterForm(request.GET)
    form.is_valid()  # a wrong filter is reported next to its field and left out
    filters = form.filters()
    policy = deadline_policy(organisation)
    today = local_today(organisation)
    # The words searched, to mark them in the reference, name and account.
    terms = search_terms(filters.search)
    page, rows = register_page(
        organisation,
        filters,
        page_number=request.GET.get("page", 1),
        page_size=settings.REGISTER_PAGE_SIZE,
        today=today,
        policy=policy,
        after=_neighbour(request, "apres"),
        before=_neighbour(request, "avant"),
        search_listed=SEARCH_LISTED,
    )
    lines = register_lines(rows)
    labels = Labels.in_active_language()
    return render(
        request,
        "web/register.html",
        {
            "form": form,
            "filtered": not filters.is_empty(),
            "context_filtered": any(getattr(filters, name) for name in CONTEXT_FILTERS),
            "causes": organisation.causes,
            "page": page,
            # A search matching more than the register lists: the page says so.
            "more_listed": more_listed(page),
            "by_relevance": filters.order == RELEVANCE,
            "lines": lines,
            "labels": labels,
            "rows": register_rows(lines, terms, labels),
            # The page's first and last complaints: the next and previous pages start there.
            "first_shown": rows[0].complaint.pk if rows else None,
            "last_shown": rows[-1].complaint.pk if rows else None,
            "counts": register_counts(organisation, today=today, policy=policy),
            "failed_mail": complaints_with_failed_messages(organisation),
            # The filters without the page number: an export holds every page.
            "export_query": _without_page(request),
            "nav": "register",
        },
    )
