"""The register as a file, with the filters of the register page (auditors may export too)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reclamations.reporting.downloads import export_response
from reclamations.reporting.register_files import EXPORT_FORMATS, TooLargeToPrint
from reclamations.web.forms.register import RegisterFilterForm
from reclamations.web.permissions import reader_required


@reader_required
@require_GET
def register_export(request: HttpRequest, extension: str) -> HttpResponseBase:
    """The register as the page shows it (same filters, same order, every page)."""
    if extension not in EXPORT_FORMATS:
        raise Http404(
            gettext("Format d'export inconnu « %(extension)s » : csv, xlsx ou pdf.")
            % {"extension": extension}
        )
    form = RegisterFilterForm(request.GET)
    form.is_valid()  # a wrong filter is left out, as on the register page
    try:
        return export_response(request.user.organisation, form.filters(), extension)
    except TooLargeToPrint as error:
        messages.error(request, str(error))
        query = request.GET.urlencode()
        return redirect(reverse("register") + (f"?{query}" if query else ""))
