"""A complaint filed online: the form, then the link that confirms the address."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reclamations.complaints.client_access import LinkProblem
from reclamations.core.form_fields import add_service_errors, note_files_to_choose_again
from reclamations.core.languages import language_of
from reclamations.core.models import Organisation
from reclamations.portal.common import client_ip, deadline_phrase, organisation_of, problem_page
from reclamations.portal.filing import (
    checked,
    confirm_pending,
    file_pending,
    filled_by_a_person,
    form_stamp,
    peek_pending,
)
from reclamations.portal.forms import FilingForm
from reclamations.portal.limits import filing_allowed

FILING_PROBLEMS = {
    LinkProblem.UNKNOWN: (
        _("Ce lien n'est pas valide"),
        _("Il est incomplet ou a été modifié : copiez-le en entier depuis notre e-mail."),
        404,
    ),
    LinkProblem.EXPIRED: (
        _("Ce lien a expiré"),
        _(
            "Une réclamation déposée en ligne se confirme dans les 24 heures. Déposez-la de "
            "nouveau : rien n'a été enregistré."
        ),
        410,
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def file_complaint(request: HttpRequest) -> HttpResponse:
    """The online complaint form; sent, an e-mail asks to confirm the address."""
    organisation = organisation_of()
    now = timezone.now()
    if request.method == "GET" or organisation is None:
        form = FilingForm(initial={"started": form_stamp(now)})
        return _filing_page(request, form, organisation)
    form = FilingForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if data["website"] or not filled_by_a_person(data["started"], now):
            # A robot: told it went, nothing kept.
            return _filing_sent(request, organisation, data["email"])
        if not filing_allowed(ip=client_ip(request), email=data["email"], now=now):
            return _filing_page(request, form, organisation, refused=TOO_MANY_FILINGS, status=429)
        try:
            fields = checked(data, data["files"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            file_pending(
                organisation=organisation,
                fields=fields,
                email=data["email"],
                files=data["files"],
                ip=client_ip(request),
                now=now,
                language=language_of(get_language() or ""),
            )
            return _filing_sent(request, organisation, data["email"])
    note_files_to_choose_again(form, request.FILES)
    return _filing_page(request, form, organisation, status=400)


TOO_MANY_FILINGS = _(
    "Trop de réclamations déposées depuis votre connexion ou avec cette adresse en une heure : "
    "réessayez plus tard, ou écrivez-nous."
)


def _filing_page(
    request: HttpRequest,
    form: FilingForm,
    organisation: Organisation | None,
    *,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/file.html",
        {
            "form": form,
            "organisation": organisation,
            "refused": refused,
            "deadline": deadline_phrase(organisation) if organisation else "",
        },
        status=status,
    )


def _filing_sent(
    request: HttpRequest, organisation: Organisation | None, email: str
) -> HttpResponse:
    return render(request, "portal/file_sent.html", {"organisation": organisation, "email": email})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_filing(request: HttpRequest, secret: str) -> HttpResponse:
    """GET: a button (a scanner that follows the link registers nothing). POST: registered."""
    now = timezone.now()
    state = peek_pending(secret, now) if request.method == "GET" else confirm_pending(secret, now)
    organisation = organisation_of(state.complaint)
    if state.problem == LinkProblem.USED or (state.complaint is not None):
        return render(
            request,
            "portal/file_registered.html",
            {"organisation": organisation, "reference": state.reference},
        )
    if state.problem is not None:
        return problem_page(request, FILING_PROBLEMS[state.problem], organisation)
    return render(request, "portal/file_confirm.html", {"organisation": organisation})
