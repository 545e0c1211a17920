"""The triage inbox: messages routing could not place, for a person to decide on.

Handlers decide (register, attach, dismiss); auditors read. Every decision is recorded on the
message (who, when, why) by the triage services.
"""

import io
import logging

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reclamations.core.form_fields import add_service_errors
from reclamations.core.languages import language_of
from reclamations.core.roles import can_handle
from reclamations.intake.evidence import inbound_raw
from reclamations.intake.forwarding import Forwarded, forwarded_original, received_when
from reclamations.intake.models import InboundEmail
from reclamations.intake.queries import (
    inbound_for,
    inbound_message,
    triage_page,
    triage_recent_decisions,
)
from reclamations.intake.triage import triage_attach, triage_dismiss, triage_register
from reclamations.web.forms.triage import TriageAttachForm, TriageDismissForm, TriageRegisterForm
from reclamations.web.permissions import handler_required, reader_required

logger = logging.getLogger(__name__)


def _inbound_or_404(request: HttpRequest, pk: int) -> InboundEmail:
    try:
        return inbound_for(request.user.organisation, pk)
    except InboundEmail.DoesNotExist:
        raise Http404(
            _("Aucun message n° %(number)s dans votre boîte de tri.") % {"number": pk}
        ) from None


def _already_decided(request: HttpRequest, inbound: InboundEmail) -> HttpResponse:
    """A second decision (another tab, a colleague faster): say so on the message's page."""
    messages.error(
        request,
        _(
            "Ce message a déjà été traité (%(outcome)s) : aucune nouvelle décision n'a été "
            "enregistrée."
        )
        % {"outcome": inbound.get_outcome_display().lower()},
    )
    return redirect("triage_message", pk=inbound.pk)


@reader_required
@require_GET
def triage_inbox(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    return render(
        request,
        "web/triage.html",
        {
            "page": triage_page(organisation, request.GET.get("page")),
            "decisions": triage_recent_decisions(organisation),
            "nav": "triage",
        },
    )


def _register_initial(
    inbound: InboundEmail, text: str, forwarded: Forwarded | None, content_language: str = ""
) -> dict[str, str]:
    """What the form proposes: the sender and the text, and the client's language as the
    message's Content-Language says (French without it); for a client's e-mail forwarded by a
    member of staff, the original's sender and text, as an automatic registration takes them."""
    if forwarded is not None:
        return {
            "client_name": forwarded.sender_name,
            "client_email": forwarded.sender_address,
            "description": forwarded.text or text,
        }
    return {
        "client_name": inbound.sender_name,
        "client_email": inbound.sender_address,
        "description": text,
        "client_language": language_of(content_language),
    }


def _detail(
    request: HttpRequest,
    inbound: InboundEmail,
    *,
    register_form: forms.Form | None = None,
    attach_form: forms.Form | None = None,
    dismiss_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    try:
        message = inbound_message(inbound)
    except FileNotFoundError:
        logger.error("Fichier absent du stockage : message reçu %s", inbound.pk)
        message = None
    decide = can_handle(request.user.role) and inbound.is_waiting
    text = message.text.strip() if message else ""
    forwarded = forwarded_original(message) if message else None
    return render(
        request,
        "web/triage_message.html",
        {
            "inbound": inbound,
            "message": message,
            "forwarded": forwarded,
            "forwarded_received_at": (
                received_when(forwarded, inbound.received_at) if forwarded else None
            ),
            "decide": decide,
            "register_form": register_form
            or TriageRegisterForm(
                initial=_register_initial(
                    inbound, text, forwarded, message.content_language if message else ""
                )
            ),
            "attach_form": attach_form or TriageAttachForm(),
            "dismiss_form": dismiss_form or TriageDismissForm(),
            "nav": "triage",
        },
        status=status,
    )


@reader_required
@require_GET
def triage_message(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _inbound_or_404(request, pk))


@reader_required
@require_GET
def triage_raw(request: HttpRequest, pk: int) -> FileResponse:
    """The message's bytes exactly as received, e.g. to open a quarantined one elsewhere."""
    inbound = _inbound_or_404(request, pk)
    try:
        raw = inbound_raw(inbound)
    except FileNotFoundError:
        logger.error("Fichier absent du stockage : message reçu %s", inbound.pk)
        raise Http404(
            _(
                "Le fichier de ce message est introuvable dans le stockage : prévenez "
                "l'administrateur."
            )
        ) from None
    return FileResponse(
        io.BytesIO(raw),
        as_attachment=True,
        filename=f"message-{inbound.pk}.eml",
        content_type="message/rfc822",
    )


@handler_required
@require_POST
def triage_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = _inbound_or_404(request, pk)
    if not inbound.is_waiting:
        return _already_decided(request, inbound)
    form = TriageRegisterForm(request.POST)
    if form.is_valid():
        try:
            complaint = triage_register(inbound=inbound, actor=request.user, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Réclamation %(reference)s enregistrée.") % {"reference": complaint.reference},
            )
            return redirect("complaint_detail", reference=complaint.reference)
    return _detail(request, inbound, register_form=form, status=400)


@handler_required
@require_POST
def triage_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = _inbound_or_404(request, pk)
    if not inbound.is_waiting:
        return _already_decided(request, inbound)
    form = TriageAttachForm(request.POST)
    if form.is_valid():
        try:
            complaint = triage_attach(
                inbound=inbound, actor=request.user, reference=form.cleaned_data["reference"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Message ajouté à la chronologie de la réclamation %(reference)s.")
                % {"reference": complaint.reference},
            )
            return redirect("complaint_detail", reference=complaint.reference)
    return _detail(request, inbound, attach_form=form, status=400)


@handler_required
@require_POST
def triage_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    inbound = _inbound_or_404(request, pk)
    if not inbound.is_waiting:
        return _already_decided(request, inbound)
    form = TriageDismissForm(request.POST)
    if form.is_valid():
        try:
            triage_dismiss(inbound=inbound, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Message écarté ; le motif est conservé."))
            return redirect("triage")
    return _detail(request, inbound, dismiss_form=form, status=400)
