from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reclamations.reporting"
    label = "reporting"
    verbose_name = "Registre et contrôle"
