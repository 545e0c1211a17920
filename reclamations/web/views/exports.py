"""The register as a file, with the filters of the register page (auditors may export too)."""

from django.http import Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from reclamations.complaints.policy import deadline_policy
from reclamations.core.localtime import local_today
from reclamations.reporting.downloads import EXPORT_FORMATS, export_name, export_response
from reclamations.reporting.register_export import export_rows
from reclamations.web.forms.register import RegisterFilterForm
from reclamations.web.permissions import reader_required


@reader_required
@require_GET
def register_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    """The register as the page shows it (same filters, same order, every page)."""
    if extension not in EXPORT_FORMATS:
        raise Http404(f"Format d'export inconnu « {extension} » : csv ou xlsx.")
    organisation = request.user.organisation
    form = RegisterFilterForm(request.GET)
    form.is_valid()  # a wrong filter is left out, as on the register page
    today = local_today(organisation)
    rows = export_rows(
        organisation, form.filters(), today=today, policy=deadline_policy(organisation)
    )
    return export_response(rows, extension, export_name(organisation, today, extension))
