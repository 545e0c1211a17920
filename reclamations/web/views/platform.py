"""The super-administrator's pages (docs/multi-organisation.md): the installation's
organisations, and a new one with its first manager through the first run's form, checks and
service. No organisation's register is read here: names, dates and counts only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from reclamations.complaints.installation import Via, organisation_create
from reclamations.core.form_fields import add_service_errors
from reclamations.core.organisations import organisations_listed
from reclamations.intake.polling import env_mailbox_organisation
from reclamations.web.forms.first_run import SERVICE_ALIASES, FirstRunForm
from reclamations.web.forms.settings import COMMON_TIME_ZONES
from reclamations.web.permissions import superadmin_required

PAGE_SIZE = 50
SEARCH_MAX = 200


@superadmin_required
@require_GET
def platform(request: HttpRequest) -> HttpResponse:
    """The organisations by name, a page at a time, searched by name."""
    search = request.GET.get("q", "")[:SEARCH_MAX].strip()
    # Each organisation's own mailbox with it (one query a page); the IMAP_* settings' mailbox
    # is the one of the organisation that has none of its own (decision 0032).
    listed = organisations_listed(search).select_related("mailbox")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    read = env_mailbox_organisation()
    return render(
        request,
        "web/platform.html",
        {
            "page": page,
            "search": search,
            "env_mailbox_organisation_id": read.pk if read is not None else None,
            "nav": "platform",
        },
    )


@superadmin_required
@require_http_methods(["GET", "POST"])
def platform_organisation_new(request: HttpRequest) -> HttpResponse:
    """A new organisation and its first manager, as the first run makes them; the manager's
    password is provisional when left empty, shown here once to hand over."""
    status = 200
    if request.method == "POST":
        form = FirstRunForm(request.POST, password_required=False)
        if form.is_valid():
            try:
                created = organisation_create(
                    values=form.values(),
                    manager=form.manager(),
                    actor=request.user,  # type: ignore[arg-type]
                    via=Via.PLATFORM,
                )
            except ValidationError as error:
                add_service_errors(form, error, SERVICE_ALIASES)
            else:
                if created.provisional_password:
                    response = render(
                        request,
                        "web/platform_organisation_created.html",
                        {"created": created, "nav": "platform_new"},
                    )
                    # The password is shown once: never from a cache.
                    response["Cache-Control"] = "no-store"
                    return response
                messages.success(
                    request,
                    _("Organisme « %(name)s » créé, avec son responsable « %(username)s ».")
                    % {"name": created.organisation.name, "username": created.manager.username},
                )
                return redirect("platform")
        else:
            form.add_service_checks()
        status = 400
    else:
        form = FirstRunForm(password_required=False)
    return render(
        request,
        "web/platform_organisation_new.html",
        {"form": form, "time_zones": COMMON_TIME_ZONES, "nav": "platform_new"},
        status=status,
    )
