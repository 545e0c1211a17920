from django.contrib.auth.views import LogoutView
from django.urls import path

from reclamations.web.views import (
    account,
    improvement,
    letter_layout,
    paragraphs,
    password_reset,
    templates_admin,
)
from reclamations.web.views import first_run as first_run_views
from reclamations.web.views import platform as platform_views
from reclamations.web.views import triage as triage_views
from reclamations.web.views.actions import complaint_action
from reclamations.web.views.complaints import complaint_detail, complaint_new
from reclamations.web.views.data_requests import (
    data_request_decide_view,
    data_request_detail,
    data_request_edit,
    data_request_extend_view,
    data_request_new,
    data_requests,
)
from reclamations.web.views.documents import complaint_file, document_download
from reclamations.web.views.exports import register_export
from reclamations.web.views.help import help_index, help_page, help_shortcuts
from reclamations.web.views.journal import journal, journal_export
from reclamations.web.views.mailbox import organisation_mailbox
from reclamations.web.views.mailbox_consent import mailbox_consent_return, mailbox_consent_start
from reclamations.web.views.my_work import my_work
from reclamations.web.views.privacy import personal_data
from reclamations.web.views.procedure import procedure, procedure_new
from reclamations.web.views.register import register
from reclamations.web.views.register_import import (
    register_import_file,
    register_import_mapping,
    register_import_upload,
)
from reclamations.web.views.reminder_settings import reminder_settings
from reclamations.web.views.security_journal import security_journal, security_journal_export
from reclamations.web.views.settings import organisation_settings
from reclamations.web.views.statistics import (
    annual_synthesis_pdf,
    audit_pack,
    statistics,
    statistics_pdf,
)
from reclamations.web.views.users import (
    access_journal,
    invitation,
    user_active,
    user_edit,
    user_invite,
    user_password_reset_view,
    user_two_factor_reset_view,
    users,
)

urlpatterns = [
    path("connexion/", first_run_views.login_page, name="login"),
    path("installation/", first_run_views.first_run, name="first_run"),
    path("plateforme/", platform_views.platform, name="platform"),
    path(
        "plateforme/organismes/nouveau/",
        platform_views.platform_organisation_new,
        name="platform_organisation_new",
    ),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path("connexion/code/", account.login_code, name="login_code"),
    path(
        "mot-de-passe-oublie/",
        password_reset.PasswordForgotten.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        password_reset.PasswordForgottenSent.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        password_reset.PasswordResetDone.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe-oublie/<str:uidb64>/<str:token>/",
        password_reset.PasswordResetChoose.as_view(),
        name="password_reset_confirm",
    ),
    path("compte/", account.account, name="account"),
    path("compte/mot-de-passe/", account.password_change, name="password_change"),
    path("compte/langue/", account.account_language, name="account_language"),
    path(
        "compte/mot-de-passe-provisoire/",
        account.password_provisional,
        name="password_provisional",
    ),
    path(
        "compte/double-authentification/obligatoire/",
        account.two_factor_enrol,
        name="two_factor_enrol",
    ),
    path(
        "compte/double-authentification/",
        account.two_factor_enrol_optional,
        name="two_factor_enrol_optional",
    ),
    path(
        "compte/double-authentification/codes-de-secours/",
        account.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "compte/double-authentification/desactiver/",
        account.two_factor_off,
        name="two_factor_off",
    ),
    path("compte/jetons/", account.api_token_create, name="api_token_create"),
    path(
        "compte/jetons/<int:token_id>/revoquer/",
        account.api_token_revoke,
        name="api_token_revoke",
    ),
    path("utilisateurs/jetons/", account.organisation_tokens, name="organisation_tokens"),
    path("", register, name="register"),
    path("mon-travail/", my_work, name="my_work"),
    path("registre.<str:extension>", register_export, name="register_export"),
    path("registre/importer/", register_import_upload, name="register_import"),
    path("registre/importer/<int:pk>/", register_import_mapping, name="register_import_mapping"),
    path("registre/importer/<int:pk>/fichier/", register_import_file, name="register_import_file"),
    path("journal/", journal, name="journal"),
    path("statistiques/", statistics, name="statistics"),
    path("procedure/", procedure, name="procedure"),
    path("aide/", help_index, name="help"),
    path("aide/raccourcis/", help_shortcuts, name="help_shortcuts"),
    path("aide/<slug:slug>/", help_page, name="help_page"),
    path("procedure/nouvelle/", procedure_new, name="procedure_new"),
    path("procedure/<int:number>/", procedure, name="procedure_version"),
    path("statistiques.pdf", statistics_pdf, name="statistics_pdf"),
    path("dossier-audit.zip", audit_pack, name="audit_pack"),
    path("synthese-annuelle.pdf", annual_synthesis_pdf, name="annual_synthesis"),
    path("journal.<str:extension>", journal_export, name="journal_export"),
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
    path("reclamations/<str:reference>/dossier.pdf", complaint_file, name="complaint_file"),
    path("ameliorations/", improvement.improvement_list, name="improvement_list"),
    path("ameliorations/nouvelle/", improvement.improvement_new, name="improvement_new"),
    path(
        "plan-amelioration.<str:extension>",
        improvement.improvement_plan_export,
        name="improvement_plan_export",
    ),
    path(
        "ameliorations/<str:reference>/",
        improvement.improvement_detail,
        name="improvement_detail",
    ),
    path(
        "ameliorations/<str:reference>/modifier/",
        improvement.improvement_edit,
        name="improvement_edit",
    ),
    path(
        "ameliorations/<str:reference>/<str:step>/",
        improvement.improvement_step,
        name="improvement_step",
    ),
    path("reglages/", organisation_settings, name="organisation_settings"),
    path("reglages/boite/", organisation_mailbox, name="organisation_mailbox"),
    path("reglages/boite/oauth/connecter/", mailbox_consent_start, name="mailbox_consent_start"),
    # Registered at the provider as it is (docs/oauth2.md): never rename it.
    path("reglages/boite/oauth/retour/", mailbox_consent_return, name="mailbox_consent_return"),
    path("reglages/rappels/", reminder_settings, name="reminder_settings"),
    path("utilisateurs/", users, name="users"),
    path("donnees-personnelles/", personal_data, name="personal_data"),
    path("donnees-personnelles/demandes/", data_requests, name="data_requests"),
    path("donnees-personnelles/demandes/nouvelle/", data_request_new, name="data_request_new"),
    path(
        "donnees-personnelles/demandes/<int:pk>/", data_request_detail, name="data_request_detail"
    ),
    path(
        "donnees-personnelles/demandes/<int:pk>/prolonger/",
        data_request_extend_view,
        name="data_request_extend",
    ),
    path(
        "donnees-personnelles/demandes/<int:pk>/decider/",
        data_request_decide_view,
        name="data_request_decide",
    ),
    path(
        "donnees-personnelles/demandes/<int:pk>/modifier/",
        data_request_edit,
        name="data_request_edit",
    ),
    path("utilisateurs/acces/", access_journal, name="access_journal"),
    path("utilisateurs/securite/", security_journal, name="security_journal"),
    path("utilisateurs/securite.csv", security_journal_export, name="security_journal_export"),
    path("invitation/<str:uidb64>/<str:token>/", invitation, name="invitation"),
    path("utilisateurs/<int:user_id>/actif/", user_active, name="user_active"),
    path("utilisateurs/<int:user_id>/modifier/", user_edit, name="user_edit"),
    path("utilisateurs/<int:user_id>/inviter/", user_invite, name="user_invite"),
    path(
        "utilisateurs/<int:user_id>/mot-de-passe/",
        user_password_reset_view,
        name="user_password_reset",
    ),
    path(
        "utilisateurs/<int:user_id>/double-authentification/",
        user_two_factor_reset_view,
        name="user_two_factor_reset",
    ),
    path("tri/", triage_views.triage_inbox, name="triage"),
    path("tri/<int:pk>/", triage_views.triage_message, name="triage_message"),
    path("tri/<int:pk>/eml/", triage_views.triage_raw, name="triage_raw"),
    path("tri/<int:pk>/enregistrer/", triage_views.triage_register_view, name="triage_register"),
    path("tri/<int:pk>/rattacher/", triage_views.triage_attach_view, name="triage_attach"),
    path("tri/<int:pk>/ecarter/", triage_views.triage_dismiss_view, name="triage_dismiss"),
    path("modeles-de-messages/", templates_admin.message_templates, name="message_templates"),
    path("modeles-de-messages/paragraphes/", paragraphs.paragraphs, name="paragraphs"),
    path("modeles-de-messages/mise-en-page/", letter_layout.letter_layout, name="letter_layout"),
    path(
        "modeles-de-messages/mise-en-page/par-defaut/",
        letter_layout.letter_layout_reset_view,
        name="letter_layout_reset",
    ),
    path(
        "modeles-de-messages/paragraphes/<int:paragraph_id>/",
        paragraphs.paragraph_edit,
        name="paragraph_edit",
    ),
    path(
        "modeles-de-messages/paragraphes/<int:paragraph_id>/supprimer/",
        paragraphs.paragraph_delete,
        name="paragraph_delete",
    ),
    path(
        "modeles-de-messages/<str:kind>/",
        templates_admin.message_template_edit,
        name="message_template_edit",
    ),
    path(
        "modeles-de-messages/<str:kind>/defaut/",
        templates_admin.message_template_reset_view,
        name="message_template_reset",
    ),
]
