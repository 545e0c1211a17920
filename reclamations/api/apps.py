from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reclamations.api"
    label = "api"
    verbose_name = "API"
