"""Managers' page for the wording of the messages sent to clients (outbox templates)."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclamations.core.models import Organisation
from reclamations.outbox.models import CLIENT_KINDS, MessageKind, MessageTemplate
from reclamations.outbox.recourse import missing_settings
from reclamations.outbox.services import message_template_reset, message_template_save
from reclamations.outbox.templating import (
    CONTEXT_HELP,
    DEFAULT_TEMPLATES,
    REQUIRED_VARIABLES,
    Rendered,
    recourse_settings,
    sample_context,
    template_for,
    validate_template,
)
from reclamations.web.forms.fields import TextField, add_service_errors
from reclamations.web.permissions import manager_required

# In the order of a complaint's life.
KINDS_IN_ORDER = (
    MessageKind.ACKNOWLEDGEMENT,
    MessageKind.CONFIRMATION_REQUEST,
    MessageKind.INFORMATION_REQUEST,
    MessageKind.PROGRESS,
    MessageKind.REPLY,
)
WHEN_SENT = {
    MessageKind.ACKNOWLEDGEMENT: "À l'enregistrement d'une réclamation reçue par e-mail, "
    "formulaire web ou API ; sur demande (action « Envoyer l'accusé de réception ») sinon.",
    MessageKind.CONFIRMATION_REQUEST: "À l'enregistrement d'une réclamation téléphonique dont "
    "la confirmation écrite est demandée par e-mail.",
    MessageKind.INFORMATION_REQUEST: "Quand une demande d'informations complémentaires est "
    "envoyée par e-mail.",
    MessageKind.PROGRESS: "Sur demande (action « Informer le client de l'avancement »), quand "
    "le client demande où en est sa réclamation.",
    MessageKind.REPLY: "Quand la réponse est envoyée par e-mail : le texte saisi par le ou la "
    "référent·e, suivi des voies de recours adaptées au client.",
}


class MessageTemplateForm(forms.Form):
    subject = TextField(
        label="Objet",
        max_length=300,
        help_text="La référence de la réclamation est ajoutée entre crochets si l'objet ne la "
        "contient pas : le client répond ainsi dans le bon dossier.",
    )
    body = TextField(label="Texte", widget=forms.Textarea(attrs={"rows": 18}))


def recourse_warning(organisation: Organisation) -> str:
    """Said on the pages of the reply when the settings lack part of the legal mentions."""
    missing = missing_settings(recourse_settings(organisation))
    if not missing:
        return ""
    return (
        f"Réglages incomplets : renseignez {', '.join(missing)} (page Réglages). Une réponse "
        "à un consommateur doit indiquer le nom, l'adresse et le site du médiateur ; une "
        "réponse à un professionnel, le tribunal compétent."
    )


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str
    when: str
    own: MessageTemplate | None


def _kind_or_404(kind: str) -> MessageKind:
    if kind not in CLIENT_KINDS:
        raise Http404(f"Aucun modèle de message « {kind} ».")
    return MessageKind(kind)


@manager_required
@require_GET
def message_templates(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    own = {
        template.kind: template
        for template in MessageTemplate.objects.filter(organisation=organisation).select_related(
            "updated_by"
        )
    }
    lines = [
        KindLine(kind.value, kind.label, WHEN_SENT[kind], own.get(kind.value))
        for kind in KINDS_IN_ORDER
    ]
    return render(
        request,
        "web/message_templates.html",
        {
            "lines": lines,
            "recourse_warning": recourse_warning(organisation),
            "nav": "message_templates",
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def message_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit one template: "Aperçu" shows the result with a sample complaint, "Enregistrer"
    checks it the same way and saves it."""
    chosen = _kind_or_404(kind)
    organisation = request.user.organisation
    sample = sample_context(organisation, chosen)
    preview: Rendered | None = None
    status = 200
    if request.method == "POST":
        form = MessageTemplateForm(request.POST)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            if "save" in request.POST:
                try:
                    message_template_save(
                        organisation=organisation,
                        actor=request.user,
                        kind=chosen,
                        subject=subject,
                        body=body,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, f"Modèle « {chosen.label} » enregistré.")
                    return redirect("message_template_edit", kind=chosen.value)
            else:
                preview, errors = validate_template(chosen, subject, body, sample)
                for name, problems in errors.items():
                    form.add_error(name, problems)
        if not form.is_valid():
            status = 400
    else:
        current = template_for(organisation, chosen)
        form = MessageTemplateForm(initial={"subject": current.subject, "body": current.body})
        preview, _errors = validate_template(chosen, current.subject, current.body, sample)
    own = MessageTemplate.objects.filter(organisation=organisation, kind=chosen).first()
    return render(
        request,
        "web/message_template_edit.html",
        {
            "form": form,
            "kind": chosen,
            "when": WHEN_SENT[chosen],
            "own": own,
            "preview": preview,
            "variables": list(CONTEXT_HELP.items()),
            "required": [f"{{{{ {name} }}}}" for name in REQUIRED_VARIABLES.get(chosen, ())],
            "default": DEFAULT_TEMPLATES[chosen],
            "recourse_warning": (
                recourse_warning(organisation) if chosen == MessageKind.REPLY else ""
            ),
            "nav": "message_templates",
        },
        status=status,
    )


@manager_required
@require_POST
def message_template_reset_view(request: HttpRequest, kind: str) -> HttpResponse:
    chosen = _kind_or_404(kind)
    if message_template_reset(organisation=request.user.organisation, kind=chosen):
        messages.success(request, f"Modèle « {chosen.label} » : retour au texte par défaut.")
    else:
        messages.info(request, f"Modèle « {chosen.label} » : le texte par défaut est déjà utilisé.")
    return redirect("message_template_edit", kind=chosen.value)
