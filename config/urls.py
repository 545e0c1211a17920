from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("reclamations.api.urls")),
    path("", include("reclamations.web.urls")),
]
