from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "reclamations.complaints"
    label = "complaints"
    verbose_name = "Réclamations"
