"""The help pages: the user guide (French, from reclamations/web/guide/) and the keyboard
shortcuts, for every staff member."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from reclamations.web import user_guide
from reclamations.web.permissions import reader_required


@reader_required
@require_GET
def help_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/help.html",
        {
            "page": user_guide.render(user_guide.INDEX),
            "contents": user_guide.contents(),
            "nav": "help",
        },
    )


@reader_required
@require_GET
def help_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in user_guide.PAGES:
        raise Http404(gettext("Page d'aide inconnue."))
    return render(
        request,
        "web/help.html",
        {"page": user_guide.render(slug), "contents": user_guide.contents(), "nav": "help"},
    )


@reader_required
@require_GET
def help_shortcuts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/help_shortcuts.html",
        {"nav": "help"},
    )
