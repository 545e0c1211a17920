from django.urls import path

from reclamations.portal import filing_views, survey_views, views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("suivre/", views.lookup, name="portal_lookup"),
    path("acces/<str:secret>/", views.open_link, name="portal_open"),
    path("reclamation/", views.complaint_page, name="portal_complaint"),
    path("reclamation/message/", views.send_message, name="portal_message"),
    path("reclamation/avancement/", views.ask_for_news, name="portal_news"),
    path("reclamation/documents/<int:document_id>/", views.document, name="portal_document"),
    path("quitter/", views.leave, name="portal_leave"),
    path("langue/", views.choose_language, name="portal_language"),
    path("avis/<str:secret>/", survey_views.survey, name="portal_survey"),
    path("deposer/", filing_views.file_complaint, name="portal_file"),
    path("confirmer/<str:secret>/", filing_views.confirm_filing, name="portal_confirm"),
]
