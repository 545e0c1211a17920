"""/sante/: whether this installation works, for a load balancer or a monitoring probe.

No login: it says nothing about anyone, only whether each part answers and a few counts."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from reclamations.web.health import health


@require_safe
def health_view(request: HttpRequest) -> JsonResponse:
    found = health()
    return JsonResponse(
        found.as_json(),
        status=200 if found.healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
