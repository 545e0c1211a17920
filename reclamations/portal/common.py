"""What the client's pages share: the organisation they speak for, the caller's address, the
page of a link that opens nothing."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.wording import deadline_text
from reclamations.core.languages import language_of
from reclamations.core.models import Organisation
from reclamations.core.security import client_address


def organisation_of(complaint: Complaint | None = None) -> Organisation | None:
    """The complaint's organisation; without one, the installation's (one organisation until
    issue 12 hosts several)."""
    if complaint is not None:
        return complaint.organisation
    return Organisation.objects.order_by("pk").first()


def client_ip(request: HttpRequest) -> str:
    """The caller's real address, behind a trusted proxy too (core.security.client_address)."""
    return client_address(request) or "0.0.0.0"  # noqa: S104 - a value, not a bind


def deadline_phrase(organisation: Organisation) -> str:
    """The organisation's time to reply, in the page's language ("10 jours ouvrables")."""
    return deadline_text(organisation, language_of(get_language() or ""))


def problem_page(
    request: HttpRequest,
    problem: tuple[Any, Any, int],
    organisation: Organisation | None,
    *,
    new_link_for: str | None = None,
) -> HttpResponse:
    """A link that opens nothing: its (title, text, status), and, when `new_link_for` is a
    reference ("" when unknown), the button to ask for a new link."""
    title, text, status = problem
    return render(
        request,
        "portal/problem.html",
        {
            "title": title,
            "text": text,
            "organisation": organisation,
            "offer_new_link": new_link_for is not None,
            "reference": new_link_for or "",
        },
        status=status,
    )
