from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("reclamations.api.urls")),
    path("suivi/", include("reclamations.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reclamations.web.urls")),
]
