"""Notices to the referent about what a client did: an awaited answer arrived by e-mail, a
message or a confirmation left on the client's pages, a request for news. Queued by the outbox
with the change that causes them; a notice that cannot go never stops that change."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.sending import notify_staff
from reclamations.core.users import addresses_by_language

logger = logging.getLogger(__name__)

STAFF_NOTICE = "staff_notice"


def complaint_url(complaint: Complaint) -> str:
    """The complaint's page, as staff open it from a notice."""
    return settings.RECLAMATIONS_BASE_URL + reverse(
        "complaint_detail", kwargs={"reference": complaint.reference}
    )


@dataclass(frozen=True)
class Notice:
    """What a notice says: its subject, its text, then what to do (before the link)."""

    subject: str
    body: str
    to_do: str


def notify_referent(complaint: Complaint, notice: Callable[[], Notice]) -> None:
    """Tell the organisation's referent about `complaint`: the `notice` (written by a function,
    called in the language of the referent's account, User.language, French when the address
    is no account's), then the link to its page. Logged, not raised, when there is nobody to
    tell."""
    address = complaint.organisation.referent_email
    if not address:
        logger.warning(
            "Avis au référent non envoyé pour %s : l'organisme n'a pas d'e-mail de référent.",
            complaint.reference,
        )
        return
    (language,) = addresses_by_language(complaint.organisation, [address])
    with translation.override(language):
        written = notice()
        to_do = _("%(to_do)s :") % {"to_do": written.to_do}
    try:
        notify_staff(
            complaint,
            kind=STAFF_NOTICE,
            to=address,
            subject=written.subject,
            body_text=f"{written.body.rstrip()}\n\n{to_do}\n{complaint_url(complaint)}\n",
        )
    except ValidationError as error:
        logger.warning("Avis au référent non envoyé pour %s : %s", complaint.reference, error)
