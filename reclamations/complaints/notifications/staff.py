"""Notices to the referent about what a client did: an awaited answer arrived by e-mail, a
message or a confirmation left on the client's pages, a request for news. Queued by the outbox
with the change that causes them; a notice that cannot go never stops that change."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.sending import notify_staff

logger = logging.getLogger(__name__)

STAFF_NOTICE = "staff_notice"


def complaint_url(complaint: Complaint) -> str:
    """The complaint's page, as staff open it from a notice."""
    return settings.RECLAMATIONS_BASE_URL + reverse(
        "complaint_detail", kwargs={"reference": complaint.reference}
    )


def notify_referent(complaint: Complaint, *, subject: str, body: str, to_do: str) -> None:
    """Tell the organisation's referent about `complaint`: `body`, then what to do (`to_do`)
    and the link to its page. Logged, not raised, when there is nobody to tell."""
    address = complaint.organisation.referent_email
    if not address:
        logger.warning(
            "Avis au référent non envoyé pour %s : l'organisme n'a pas d'e-mail de référent.",
            complaint.reference,
        )
        return
    try:
        notify_staff(
            complaint,
            kind=STAFF_NOTICE,
            to=address,
            subject=subject,
            body_text=f"{body.rstrip()}\n\n{to_do} :\n{complaint_url(complaint)}\n",
        )
    except ValidationError as error:
        logger.warning("Avis au référent non envoyé pour %s : %s", complaint.reference, error)
