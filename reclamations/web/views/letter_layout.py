"""Managers' page for the layout of the letters: the logo, the HTML template and the CSS, tried
on a sample letter before they are kept."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.letter import client_letter
from reclamations.complaints.notifications.wording import SAMPLE_EXTRA, sample_complaint
from reclamations.core.form_fields import add_service_errors
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.letters.content import Layout
from reclamations.letters.layout import LAYOUT_VARIABLES, LOGO_MAX_BYTES, layout_problems
from reclamations.letters.models import LetterLayout
from reclamations.letters.printing import DEFAULT_CSS, DEFAULT_HTML, letter_pdf, printing_problem
from reclamations.letters.services import (
    layout_of,
    letter_layout_reset,
    letter_layout_save,
    proposed_layout,
)
from reclamations.web.forms.fields import TextField
from reclamations.web.permissions import manager_required


class LetterLayoutForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        allow_empty_file=True,
        help_text=_(
            "PNG ou JPEG, 512 Ko au plus : imprimé en haut à gauche de chaque lettre "
            "(45 × 18 mm au plus). Laissé vide, le logo actuel est gardé."  # noqa: RUF001 - the sign of a size
        ),
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)
    html = TextField(
        label=_("Modèle HTML"),
        # The letters are French (docs/translation.md): so is the default template's text.
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false", "lang": "fr"}),
        help_text=_(
            "La syntaxe des modèles de messages ; les variables sont listées plus bas. "
            "L'adresse du client reste dans l'élément de classe « recipient »."
        ),
    )
    css = TextField(
        label=_("Feuille de style (CSS)"),
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        help_text=_(
            "Le bloc adresse doit tomber dans la fenêtre d'une enveloppe DL (100 à 200 mm "
            "du bord gauche, 45 à 95 mm du haut) : c'est vérifié avant l'enregistrement."
        ),
    )

    def logo_bytes(self) -> bytes | None:
        """The logo chosen (call after is_valid()); a form error when it is too heavy to read."""
        upload = self.cleaned_data.get("logo")
        if upload is None:
            return None
        if upload.size > LOGO_MAX_BYTES:
            self.add_error(
                "logo",
                gettext(
                    "Le logo pèse %(size)d Ko : %(most)d Ko au plus. Enregistrez-le en plus "
                    "petit (400 pixels de large suffisent)."
                )
                % {"size": upload.size // 1024, "most": LOGO_MAX_BYTES // 1024},
            )
            return None
        return bytes(upload.read())


def _sample_pdf(organisation: Organisation, layout: Layout) -> HttpResponse:
    """The sample complaint's reply, printed on the organisation's letterhead in `layout`."""
    letter = client_letter(
        sample_complaint(organisation),
        ClientMessage.REPLY,
        dated=local_today(organisation),
        extra=SAMPLE_EXTRA[ClientMessage.REPLY],
        enclosed=["devis-rectifie.pdf"],
    )
    response = HttpResponse(letter_pdf(letter, layout), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="apercu-mise-en-page.pdf"'
    return response


def _page(request: HttpRequest, form: LetterLayoutForm, status: int = 200) -> HttpResponse:
    organisation = request.user.organisation
    own = LetterLayout.objects.filter(organisation=organisation).select_related("updated_by")
    current = own.first()
    return render(
        request,
        "web/letter_layout.html",
        {
            "form": form,
            "own": current,
            "logo_uri": layout_of(organisation).logo_uri,
            "logo_name": current.logo_name if current else "",
            "variables": [(name, gettext(help)) for name, help in LAYOUT_VARIABLES.items()],
            # French where it is defined (the actions quote it), read in the page's language.
            "printing_problem": gettext(printing_problem()) if printing_problem() else "",
            "nav": "message_templates",
        },
        status=status,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def letter_layout(request: HttpRequest) -> HttpResponse:
    """GET: the layout in use. POST: "Aperçu" prints a sample letter with what was typed,
    "Enregistrer" checks it the same way and keeps it."""
    organisation = request.user.organisation
    if request.method == "GET":
        layout = layout_of(organisation)
        initial: dict[str, Any] = {
            "html": layout.html or DEFAULT_HTML,
            "css": layout.css or DEFAULT_CSS,
        }
        return _page(request, LetterLayoutForm(initial=initial))
    form = LetterLayoutForm(request.POST, request.FILES)
    if form.is_valid():
        logo = form.logo_bytes()
        layout = proposed_layout(
            organisation,
            html=form.cleaned_data["html"],
            css=form.cleaned_data["css"],
            logo=logo,
            remove_logo=form.cleaned_data["remove_logo"],
        )
        upload = form.cleaned_data.get("logo")
        if not form.errors and "save" in request.POST:
            try:
                letter_layout_save(
                    organisation=organisation,
                    actor=request.user,
                    layout=layout,
                    logo_name=upload.name if upload else "",
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("Mise en page des lettres enregistrée."))
                return redirect("letter_layout")
        elif not form.errors:
            problems = layout_problems(layout)
            if not problems and not printing_problem():
                return _sample_pdf(organisation, layout)
            add_service_errors(form, ValidationError(problems or printing_problem()))
    return _page(request, form, status=400)


@manager_required
@require_POST
def letter_layout_reset_view(request: HttpRequest) -> HttpResponse:
    if letter_layout_reset(request.user.organisation):
        messages.success(request, gettext("Mise en page des lettres : retour à celle par défaut."))
    else:
        messages.info(request, gettext("La mise en page par défaut est déjà utilisée."))
    return redirect("letter_layout")
