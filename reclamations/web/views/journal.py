"""The global journal: the whole chronology of the register, for every reader (auditors too)."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reclamations.complaints.event_reading import event_items
from reclamations.reporting.downloads import journal_response
from reclamations.reporting.journal import FILE_FORMATS, journal_page
from reclamations.web.forms.journal import JournalFilterForm
from reclamations.web.permissions import reader_required

PAGE_SIZE = 50


def _sequence(value: str | None) -> int | None:
    """The `avant` of the query string: an event number, or None (a wrong one is ignored)."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


def _without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@reader_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """One page of the journal, newest first, under the filters; older pages by event number."""
    organisation = request.user.organisation
    form = JournalFilterForm(request.GET, organisation=organisation)
    form.is_valid()  # a wrong filter is reported next to its field and left out
    filters = form.filters()
    before = _sequence(request.GET.get("avant"))
    page = journal_page(organisation, filters, before=before, size=PAGE_SIZE)
    return render(
        request,
        "web/journal.html",
        {
            "form": form,
            "filtered": not filters.is_empty(),
            "entries": [
                (entry, event_items(entry.event_type, entry.data)) for entry in page.entries
            ],
            "older": page.older,
            "deeper": before is not None,
            "filter_query": _without(request, "avant"),
            "nav": "journal",
        },
    )


@reader_required
@require_GET
def journal_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    """The journal under the page's filters, whole, oldest first, as CSV or XLSX."""
    if extension not in FILE_FORMATS:
        raise Http404(
            gettext("Format d'export inconnu « %(extension)s » : csv ou xlsx.")
            % {"extension": extension}
        )
    organisation = request.user.organisation
    form = JournalFilterForm(request.GET, organisation=organisation)
    form.is_valid()
    return journal_response(organisation, form.filters(), extension)
