from django.contrib.auth.views import LoginView, LogoutView
from django.urls import path

from reclamations.web.forms.auth import LoginForm
from reclamations.web.views.actions import complaint_action
from reclamations.web.views.complaints import complaint_detail, complaint_new
from reclamations.web.views.documents import document_download
from reclamations.web.views.register import register
from reclamations.web.views.settings import organisation_settings
from reclamations.web.views.users import user_active, users

urlpatterns = [
    path(
        "connexion/",
        LoginView.as_view(
            template_name="web/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("", register, name="register"),
    path("reclamations/nouvelle/", complaint_new, name="complaint_new"),
    path("reclamations/<str:reference>/", complaint_detail, name="complaint_detail"),
    path(
        "reclamations/<str:reference>/actions/<str:action>/",
        complaint_action,
        name="complaint_action",
    ),
    path(
        "reclamations/<str:reference>/documents/<int:document_id>/",
        document_download,
        name="document_download",
    ),
    path("reglages/", organisation_settings, name="organisation_settings"),
    path("utilisateurs/", users, name="users"),
    path("utilisateurs/<int:user_id>/actif/", user_active, name="user_active"),
]
