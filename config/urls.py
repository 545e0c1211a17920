from django.urls import include, path
from django.views import defaults

from reclamations.api.errors import (
    BAD_REQUEST,
    RESOURCE_NOT_FOUND,
    SERVER_ERROR,
    answering_json_on_the_api,
)
from reclamations.web.views.errors import permission_denied
from reclamations.web.views.health import health_view

urlpatterns = [
    path("api/v1/", include("reclamations.api.urls")),
    path("suivi/", include("reclamations.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sante/", health_view, name="health"),
    path("", include("reclamations.web.urls")),
]

# Errors Django answers itself, before any view: the page's template, or JSON under /api/.
handler400 = answering_json_on_the_api(defaults.bad_request, 400, BAD_REQUEST)
handler404 = answering_json_on_the_api(defaults.page_not_found, 404, RESOURCE_NOT_FOUND)
handler500 = answering_json_on_the_api(defaults.server_error, 500, SERVER_ERROR)
# A refusal recorded in the security journal, logged as one line (web.views.errors).
handler403 = permission_denied
