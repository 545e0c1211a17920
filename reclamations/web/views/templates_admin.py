"""Managers' page for the wording of the messages sent to clients."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.kinds import WHEN_SENT, ClientMessage
from reclamations.complaints.notifications.letter import client_letter, letter_problems
from reclamations.complaints.notifications.wording import (
    CONTEXT_HELP,
    SAMPLE_EXTRA,
    recourse_settings,
    sample_complaint,
    template_spec,
)
from reclamations.complaints.recourse import missing_settings
from reclamations.core.form_fields import add_service_errors
from reclamations.core.languages import ENGLISH, FRENCH
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.letters.printing import letter_pdf
from reclamations.letters.services import layout_of
from reclamations.outbox.models import MessageTemplate
from reclamations.outbox.services import message_template_reset, message_template_save
from reclamations.outbox.templates import Rendered, template_for, validate_template
from reclamations.web.forms.fields import TextField
from reclamations.web.permissions import manager_required


class MessageTemplateForm(forms.Form):
    subject = TextField(
        label=_("Objet"),
        max_length=MessageTemplate._meta.get_field("subject").max_length,
        # The message goes to clients in French (docs/translation.md), whatever the page's
        # language: said to the browser's spelling and screen readers.
        widget=forms.TextInput(attrs={"lang": "fr"}),
        help_text=_(
            "La référence de la réclamation est ajoutée entre crochets si l'objet ne la "
            "contient pas : le client répond ainsi dans le bon dossier."
        ),
    )
    body = TextField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 18, "lang": "fr"}))
    shown_on = TextField(
        label=_("Aperçu avec la réclamation"),
        required=False,
        max_length=40,
        help_text=_(
            "La référence d'une réclamation du registre (REC-2026-0042) pour voir le modèle "
            "appliqué à un cas réel ; vide : une réclamation d'exemple. Rien n'est envoyé."
        ),
        widget=forms.TextInput(attrs={"list": "recent-references", "autocomplete": "off"}),
    )

    def shown_complaint(self, organisation: Organisation) -> Complaint | None:
        """The complaint of the register named in `shown_on` (call after is_valid()); a form
        error when the register has none of that reference."""
        reference = " ".join(self.cleaned_data.get("shown_on", "").split()).upper()
        if not reference:
            return None
        complaint = (
            Complaint.objects.filter(organisation=organisation, reference=reference)
            .select_related("organisation")
            .first()
        )
        if complaint is None:
            self.add_error(
                "shown_on",
                gettext(
                    "Aucune réclamation « %(reference)s » dans le registre : vérifiez la "
                    "référence, ou laissez vide pour l'exemple."
                )
                % {"reference": reference},
            )
        return complaint


def recourse_warning(organisation: Organisation) -> str:
    """Said on the pages of the reply when the settings lack part of the legal mentions."""
    missing = missing_settings(recourse_settings(organisation))
    unlisted = (
        gettext(
            "Le médiateur n'est pas indiqué comme référencé par la CECMC : vérifiez-le sur la "
            "liste publiée et cochez la case des réglages."
        )
        if organisation.mediator_name and not organisation.mediator_cecmc_listed
        else ""
    )
    if not missing:
        return unlisted
    incomplete = gettext(
        "Réglages incomplets : renseignez %(missing)s (page Réglages). Une réponse à un "
        "consommateur doit indiquer le nom, l'adresse et le site du médiateur ; une réponse à "
        "un professionnel, le tribunal compétent."
    ) % {"missing": ", ".join(gettext(name) for name in missing)}
    return f"{incomplete} {unlisted}".strip()


# The languages a client may be written to in, as this (French) page names them; the query
# parameter LANGUAGE_PARAMETER picks the wording edited.
WORDING_LANGUAGES = {FRENCH: gettext_noop("français"), ENGLISH: gettext_noop("anglais")}
LANGUAGE_PARAMETER = "langue"


def _language(request: HttpRequest) -> str:
    """The language of the wording asked for (query string, or the form sent): French by
    default, or when unknown."""
    asked = request.POST.get(LANGUAGE_PARAMETER) or request.GET.get(LANGUAGE_PARAMETER, "")
    return asked if asked in WORDING_LANGUAGES else FRENCH


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str
    when: str
    own: MessageTemplate | None
    own_english: MessageTemplate | None = None


def _kind_or_404(kind: str) -> ClientMessage:
    if kind not in ClientMessage.values:
        raise Http404(gettext("Aucun modèle de message « %(kind)s ».") % {"kind": kind})
    return ClientMessage(kind)


@manager_required
@require_GET
def message_templates(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    own = {
        (template.kind, template.language): template
        for template in MessageTemplate.objects.filter(organisation=organisation).select_related(
            "updated_by"
        )
    }
    lines = [
        KindLine(
            kind.value,
            gettext(kind.label),
            gettext(WHEN_SENT[kind]),
            own.get((kind.value, FRENCH)),
            own.get((kind.value, ENGLISH)),
        )
        for kind in ClientMessage
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


def _letter_preview(
    organisation: Organisation,
    kind: ClientMessage,
    complaint: Complaint | None,
    wording: Rendered,
    form: MessageTemplateForm,
    language: str,
) -> HttpResponse | None:
    """The letter this wording prints for `complaint` (the sample one when None), shown in
    the browser; None, with the reason on the form, when it cannot be printed."""
    shown = complaint or sample_complaint(organisation, language)
    problems = letter_problems(shown)
    if problems:
        for problem in problems:
            form.add_error("shown_on" if complaint else None, problem)
        return None
    letter = client_letter(
        shown,
        kind,
        dated=local_today(organisation),
        extra=SAMPLE_EXTRA.get(kind, {}),
        wording=wording,
    )
    response = HttpResponse(
        letter_pdf(letter, layout_of(organisation)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="apercu-{kind}-{shown.reference}.pdf"'
    return response


@manager_required
@require_http_methods(["GET", "POST"])
def message_template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    """Edit one template: "Aperçu" shows the result with a complaint of the register (or a
    sample one), "Aperçu de la lettre" the letter it prints, "Enregistrer" checks it the same
    way and saves it."""
    chosen = _kind_or_404(kind)
    organisation = request.user.organisation
    language = _language(request)
    spec = template_spec(organisation, chosen, language=language)
    preview: Rendered | None = None
    shown: Complaint | None = None
    status = 200
    if request.method == "POST":
        form = MessageTemplateForm(request.POST)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            shown = form.shown_complaint(organisation)
            spec = template_spec(organisation, chosen, shown, language)
        if form.is_valid():
            if "save" in request.POST:
                try:
                    message_template_save(
                        organisation=organisation,
                        actor=request.user,
                        spec=spec,
                        subject=subject,
                        body=body,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        gettext("%(template)s enregistré.")
                        % {"template": _template_label(chosen, language)},
                    )
                    return _edit_page(chosen, language)
            else:
                preview, errors = validate_template(spec, subject, body)
                for name, problems in errors.items():
                    form.add_error(name, problems)
                if preview is not None and request.POST.get("preview") == "letter":
                    printed = _letter_preview(
                        organisation, chosen, shown, Rendered(subject, body), form, language
                    )
                    if printed is not None:
                        return printed
        if not form.is_valid():
            status = 400
    else:
        current = template_for(organisation, chosen, spec.default, language)
        form = MessageTemplateForm(initial={"subject": current.subject, "body": current.body})
        preview, _errors = validate_template(spec, current.subject, current.body)
    for name in ("subject", "body"):
        # The wording is in the language of the clients it goes to, whatever the page's.
        form.fields[name].widget.attrs["lang"] = language
    own = MessageTemplate.objects.filter(
        organisation=organisation, kind=chosen, language=language
    ).first()
    return render(
        request,
        "web/message_template_edit.html",
        {
            "form": form,
            "kind": chosen,
            "label": gettext(chosen.label),
            "language": language,
            "language_name": gettext(WORDING_LANGUAGES[language]),
            "languages": [(code, gettext(name)) for code, name in WORDING_LANGUAGES.items()],
            "language_parameter": LANGUAGE_PARAMETER,
            "when": gettext(WHEN_SENT[chosen]),
            "own": own,
            "preview": preview,
            "shown": shown,
            "recent_references": Complaint.objects.filter(organisation=organisation)
            .order_by("-received_at")
            .values_list("reference", flat=True)[:20],
            "variables": [(name, gettext(help)) for name, help in CONTEXT_HELP.items()],
            "required": [f"{{{{ {name} }}}}" for name in spec.required],
            "default": spec.default,
            "recourse_warning": (
                recourse_warning(organisation) if chosen == ClientMessage.REPLY else ""
            ),
            "nav": "message_templates",
        },
        status=status,
    )


@manager_required
@require_POST
def message_template_reset_view(request: HttpRequest, kind: str) -> HttpResponse:
    chosen = _kind_or_404(kind)
    language = _language(request)
    label = {"template": _template_label(chosen, language)}
    if message_template_reset(
        organisation=request.user.organisation, kind=chosen, language=language
    ):
        messages.success(request, gettext("%(template)s : retour au texte par défaut.") % label)
    else:
        messages.info(
            request, gettext("%(template)s : le texte par défaut est déjà utilisé.") % label
        )
    return _edit_page(chosen, language)


def _template_label(kind: ClientMessage, language: str) -> str:
    """ "Modèle « Réponse »", "Modèle « Réponse » (anglais)", in the page's language."""
    if language == FRENCH:
        return gettext("Modèle « %(label)s »") % {"label": gettext(kind.label)}
    return gettext("Modèle « %(label)s » (%(language)s)") % {
        "label": gettext(kind.label),
        "language": gettext(WORDING_LANGUAGES[language]),
    }


def _edit_page(kind: ClientMessage, language: str) -> HttpResponse:
    """Back to the page of `kind`'s wording in `language`."""
    url = reverse("message_template_edit", kwargs={"kind": kind.value})
    return redirect(url if language == FRENCH else f"{url}?{LANGUAGE_PARAMETER}={language}")
