"""Mon travail: the complaints that need someone now, list by list (issue 13)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.work_lists import WAITING_TOO_LONG_DAYS, work_lists
from reclamations.core.localtime import local_today
from reclamations.web.display import register_lines
from reclamations.web.permissions import handler_required


@handler_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    work = work_lists(
        organisation,
        today=local_today(organisation),
        policy=deadline_policy(organisation),
        due_soon_days=organisation.due_soon_days,
    )
    return render(
        request,
        "web/my_work.html",
        {
            "work": work,
            "lists": {name: register_lines(rows) for name, rows in work.lists.items()},
            "waiting_days": WAITING_TOO_LONG_DAYS,
            "nav": "my_work",
        },
    )
