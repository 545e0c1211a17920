"""Managers' page of the paragraphs staff insert in what they write to clients."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from reclamations.core.form_fields import add_service_errors
from reclamations.outbox.models import CannedParagraph
from reclamations.outbox.services import canned_paragraph_delete, canned_paragraph_save
from reclamations.web.forms.fields import TextField
from reclamations.web.permissions import manager_required


class ParagraphForm(forms.Form):
    title = TextField(
        label=_("Intitulé"),
        max_length=CannedParagraph._meta.get_field("title").max_length,
        help_text=_("Ce que la liste « Insérer un paragraphe type » montre."),
    )
    text = TextField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 6}))


def _paragraph_or_404(request: HttpRequest, paragraph_id: int) -> CannedParagraph:
    paragraph = CannedParagraph.objects.filter(
        pk=paragraph_id, organisation=request.user.organisation_id
    ).first()
    if paragraph is None:
        raise Http404(gettext("Aucun paragraphe type n° %(number)d.") % {"number": paragraph_id})
    return paragraph


def _save(request: HttpRequest, form: ParagraphForm, paragraph: CannedParagraph | None) -> bool:
    if not form.is_valid():
        return False
    try:
        canned_paragraph_save(
            organisation=request.user.organisation,
            actor=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            paragraph=paragraph,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@manager_required
@require_http_methods(["GET", "POST"])
def paragraphs(request: HttpRequest) -> HttpResponse:
    """The organisation's paragraphs, and a form to write a new one."""
    form = ParagraphForm(request.POST or None)
    if request.method == "POST" and _save(request, form, None):
        messages.success(
            request,
            gettext("Paragraphe « %(title)s » ajouté.") % {"title": form.cleaned_data["title"]},
        )
        return redirect("paragraphs")
    listed = CannedParagraph.objects.filter(organisation=request.user.organisation_id)
    return render(
        request,
        "web/paragraphs.html",
        {
            "paragraphs": listed.select_related("updated_by"),
            "form": form,
            "nav": "message_templates",
        },
        status=400 if form.errors else 200,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def paragraph_edit(request: HttpRequest, paragraph_id: int) -> HttpResponse:
    paragraph = _paragraph_or_404(request, paragraph_id)
    form = ParagraphForm(
        request.POST or None, initial={"title": paragraph.title, "text": paragraph.text}
    )
    if request.method == "POST" and _save(request, form, paragraph):
        messages.success(
            request, gettext("Paragraphe « %(title)s » enregistré.") % {"title": paragraph.title}
        )
        return redirect("paragraphs")
    return render(
        request,
        "web/paragraph_edit.html",
        {"paragraph": paragraph, "form": form, "nav": "message_templates"},
        status=400 if form.errors else 200,
    )


@manager_required
@require_POST
def paragraph_delete(request: HttpRequest, paragraph_id: int) -> HttpResponse:
    paragraph = _paragraph_or_404(request, paragraph_id)
    canned_paragraph_delete(paragraph)
    messages.success(
        request, gettext("Paragraphe « %(title)s » supprimé.") % {"title": paragraph.title}
    )
    return redirect("paragraphs")
