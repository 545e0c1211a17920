from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "reclamations.web"
    label = "web"
    verbose_name = "Interface web"
