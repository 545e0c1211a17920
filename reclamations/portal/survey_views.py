"""The client's opinion after the reply: a page, then the answers sent, once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from reclamations.complaints.client_access import (
    SURVEY,
    LinkProblem,
    LinkState,
    peek_link,
    use_link,
)
from reclamations.complaints.client_requests import client_gives_opinion
from reclamations.core.form_fields import add_service_errors
from reclamations.portal.common import organisation_of, problem_page
from reclamations.portal.forms import OpinionForm

SURVEY_PROBLEMS = {
    LinkProblem.UNKNOWN: (
        _("Ce lien n'est pas valide"),
        _("Il est incomplet ou a été modifié."),
        404,
    ),
    LinkProblem.EXPIRED: (
        _("Ce lien a expiré"),
        _(
            "L'avis se donne dans les semaines qui suivent notre réponse. Vous pouvez toujours "
            "nous écrire."
        ),
        410,
    ),
    LinkProblem.USED: (
        _("Votre avis est déjà enregistré"),
        _("Merci de nous l'avoir donné."),
        410,
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, secret: str) -> HttpResponse:
    """The client's opinion after the reply. Loading the page records nothing (mail scanners
    follow links): only the answers sent do, and the link is then used."""
    now = timezone.now()
    state = peek_link(secret, now=now, purpose=SURVEY)
    if state.problem is not None or state.complaint is None:
        return _survey_problem(request, state)
    complaint = state.complaint
    form = OpinionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            with transaction.atomic():  # a refused answer leaves the link unused
                used = use_link(secret, now=now, purpose=SURVEY)
                if used.problem is not None:
                    return _survey_problem(request, used)
                client_gives_opinion(complaint=complaint, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "portal/survey_thanks.html",
                {
                    "organisation": complaint.organisation,
                    "resolved": form.cleaned_data["resolved"] == "yes",
                },
            )
    return render(
        request,
        "portal/survey.html",
        {"form": form, "complaint": complaint, "organisation": complaint.organisation},
        status=400 if form.is_bound else 200,
    )


def _survey_problem(request: HttpRequest, state: LinkState) -> HttpResponse:
    assert state.problem is not None
    return problem_page(request, SURVEY_PROBLEMS[state.problem], organisation_of(state.complaint))
