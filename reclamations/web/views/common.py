"""Lookups shared by the staff views, always within the user's organisation."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from reclamations.complaints.models import Complaint
from reclamations.complaints.queries import complaint_for


def complaint_or_404(request: HttpRequest, reference: str) -> Complaint:
    """The complaint of the user's organisation; another organisation's reference is a 404, an
    archived complaint's file opened by a role that may not, a 403 that says why."""
    try:
        return complaint_for(request.user.organisation, reference, role=request.user.role)
    except Complaint.DoesNotExist:
        raise Http404(
            gettext("Aucune réclamation « %(reference)s » dans votre registre.")
            % {"reference": reference}
        ) from None
