from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("reclamations.api.urls")),
    path("suivi/", include("reclamations.portal.urls")),
    path("", include("reclamations.web.urls")),
]
