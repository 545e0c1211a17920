"""The client's pages: ask for a link, open it, see where the complaint stands, download what
was sent. No account: a link e-mailed to the address the complaint holds opens the page for a
while (portal.access); nothing here says whether a reference exists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from reclamations.complaints.client_access import (
    LinkProblem,
    LinkState,
    link_hours,
    peek_link,
    use_link,
)
from reclamations.complaints.client_requests import (
    client_asks_for_news,
    client_chooses_language,
    client_message,
)
from reclamations.complaints.client_view import client_document, client_view
from reclamations.complaints.documents import MISSING_FILE, open_stored
from reclamations.complaints.enums import Status
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.sending import send_access_link
from reclamations.core.form_fields import add_service_errors, note_files_to_choose_again
from reclamations.core.localtime import local_today
from reclamations.core.procedures import version_in_force
from reclamations.portal.access import close, open_for, opened, session_minutes
from reclamations.portal.common import (
    client_ip,
    deadline_phrase,
    organisation_of,
    problem_page,
)
from reclamations.portal.forms import (
    ClientMessageForm,
    LookupForm,
    NewsRequestForm,
)
from reclamations.portal.limits import lookup_allowed

SENT = {
    Status.AWAITING_CONFIRMATION: _(
        "Merci : votre confirmation écrite est enregistrée. Le délai de réponse court à partir "
        "d'aujourd'hui."
    ),
    Status.AWAITING_INFORMATION: _(
        "Merci : votre réponse est transmise au ou à la référente qui suit votre réclamation."
    ),
    "": _("Merci : votre message est transmis au ou à la référente qui suit votre réclamation."),
}
NEWS_ASKED = _("Votre demande est transmise : nous vous répondrons par e-mail.")
NEWS_ALREADY_ASKED = _(
    "Votre demande est déjà enregistrée depuis moins d'un jour : nous vous répondrons par e-mail."
)
TOO_MANY = _(
    "Trop de demandes de lien depuis votre connexion ou pour cette référence : réessayez dans "
    "une heure. Vous pouvez aussi nous écrire ou nous appeler."
)
PROBLEMS = {
    LinkProblem.UNKNOWN: (
        _("Ce lien n'est pas valide"),
        _(
            "Il est incomplet ou a été modifié. Copiez-le en entier depuis notre e-mail, ou "
            "demandez-en un nouveau."
        ),
        404,
    ),
    LinkProblem.EXPIRED: (
        _("Ce lien a expiré"),
        _(
            "Pour votre sécurité, un lien n'est valable qu'un temps limité. Demandez-en un "
            "nouveau : il vous sera envoyé par e-mail."
        ),
        410,
    ),
    LinkProblem.USED: (
        _("Ce lien a déjà servi"),
        _(
            "Pour votre sécurité, un lien ne s'utilise qu'une fois. Demandez-en un nouveau : il "
            "vous sera envoyé par e-mail."
        ),
        410,
    ),
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the organisation publishes (Qualiopi indicator 31): how to complain, by every
    channel, how to follow a complaint, the procedure in force, the consumer mediator."""
    organisation = organisation_of()
    procedure = version_in_force(organisation, local_today(organisation)) if organisation else None
    return render(
        request,
        "portal/home.html",
        {
            "organisation": organisation,
            "procedure": procedure,
            "deadline": deadline_phrase(organisation) if organisation else "",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Suivre ma réclamation: the reference and the e-mail address; the same answer whether
    they match or not, and a link e-mailed when they do."""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            reference, email = form.cleaned_data["reference"], form.cleaned_data["email"]
            now = timezone.now()
            if not lookup_allowed(ip=client_ip(request), reference=reference, now=now):
                return render(
                    request,
                    "portal/lookup.html",
                    {"form": form, "organisation": organisation_of(), "refused": TOO_MANY},
                    status=429,
                )
            complaint = (
                Complaint.objects.select_related("organisation")
                .filter(reference=reference, client_email__iexact=email.strip())
                .exclude(client_email="")
                .first()
            )
            if complaint is not None:
                send_access_link(complaint)
            return render(
                request,
                "portal/lookup_sent.html",
                {"email": email, "organisation": organisation_of(), "hours": link_hours()},
            )
        status = 400
    else:
        form = LookupForm(initial={"reference": request.GET.get("reference", "")[:40]})
        status = 200
    return render(
        request,
        "portal/lookup.html",
        {"form": form, "organisation": organisation_of()},
        status=status,
    )


def _problem(request: HttpRequest, state: LinkState) -> HttpResponse:
    assert state.problem is not None
    reference = state.complaint.reference if state.complaint else ""
    return problem_page(
        request,
        PROBLEMS[state.problem],
        organisation_of(state.complaint),
        new_link_for=reference,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def open_link(request: HttpRequest, secret: str) -> HttpResponse:
    """GET: what the link opens, and a button (a mail scanner that follows the link uses
    nothing). POST: the link is used, and the page opens for this browser."""
    now = timezone.now()
    if request.method == "GET":
        state = peek_link(secret, now=now)
        if state.problem is not None:
            return _problem(request, state)
        return render(
            request,
            "portal/open.html",
            {
                "complaint": state.complaint,
                "organisation": organisation_of(state.complaint),
                "minutes": session_minutes(),
            },
        )
    state = use_link(secret, now=now)
    if state.problem is not None or state.complaint is None:
        return _problem(request, state)
    open_for(request, state.complaint, now=now)
    return redirect("portal_complaint")


def _closed(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/closed.html", {"organisation": organisation_of()}, status=403)


def _page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    message_form: ClientMessageForm | None = None,
    news_form: NewsRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/complaint.html",
        {
            "view": client_view(complaint),
            "organisation": complaint.organisation,
            "message_form": message_form or ClientMessageForm(),
            "news_form": news_form or NewsRequestForm(),
        },
        status=status,
    )


@never_cache
@require_GET
def complaint_page(request: HttpRequest) -> HttpResponse:
    """Where the complaint stands, what was asked and sent, what to download; the answer
    awaited from the client, or their question."""
    complaint = opened(request, now=timezone.now())
    if complaint is None:
        return _closed(request)
    return _page(request, complaint)


@never_cache
@require_POST
def send_message(request: HttpRequest) -> HttpResponse:
    """The client's answer (a written confirmation, the information asked), with its files."""
    complaint = opened(request, now=timezone.now())
    if complaint is None:
        return _closed(request)
    form = ClientMessageForm(request.POST, request.FILES)
    if form.is_valid():
        awaited = complaint.status
        try:
            client_message(
                complaint=complaint,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, SENT.get(awaited, SENT[""]))
            return redirect("portal_complaint")
    note_files_to_choose_again(form, request.FILES)
    return _page(request, complaint, message_form=form, status=400)


@never_cache
@require_POST
def ask_for_news(request: HttpRequest) -> HttpResponse:
    """The client asks where the complaint stands; the referent answers by e-mail."""
    complaint = opened(request, now=timezone.now())
    if complaint is None:
        return _closed(request)
    form = NewsRequestForm(request.POST)
    if form.is_valid():
        try:
            _event, new = client_asks_for_news(
                complaint=complaint, question=form.cleaned_data["question"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, NEWS_ASKED if new else NEWS_ALREADY_ASKED)
            return redirect("portal_complaint")
    return _page(request, complaint, news_form=form, status=400)


@never_cache
@require_GET
def document(request: HttpRequest, document_id: int) -> FileResponse:
    """A letter or file sent to the client, unchanged; only of the complaint opened here."""
    complaint = opened(request, now=timezone.now())
    found = client_document(complaint, document_id) if complaint is not None else None
    if found is None:
        raise Http404("Aucun document de ce numéro pour votre réclamation.")
    stream = open_stored(found)
    if stream is None:
        raise Http404(MISSING_FILE)
    return FileResponse(
        stream, as_attachment=True, filename=found.original_name, content_type=found.content_type
    )


@never_cache
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The switch of the client's pages (Django's set_language: the cookie, then back to the
    page). A client whose complaint is open on this browser chose it: their messages are
    written in it from now on (recorded in the chronology). Before a complaint is opened the
    choice stays the browser's: nothing says whose complaint it would be."""
    response = set_language(request)
    complaint = opened(request, now=timezone.now())
    if complaint is not None:
        client_chooses_language(complaint=complaint, language=request.POST.get("language", ""))
    return response


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    """Close the page on this browser (a shared computer)."""
    close(request)
    return redirect("portal_lookup")
